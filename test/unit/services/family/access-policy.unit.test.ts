import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commandGroup, type CommandGroup } from '../../../../services/family/access-policy.js';
import {
  ACCESS_POLICY_END, ACCESS_POLICY_START, outcomeOf, RELATIONSHIP_SAMPLES, renderAccessPolicyTable, sampleCommand, sampleState,
} from '../../../../services/family/access-policy-docs.js';
import { FAMILY_COMMAND_TYPES } from '../../../../services/family/decide.js';
import type { FamilyCommand } from '../../../../services/family/commands.js';
import { familyDecider } from '../../../../services/family/family-decider.js';
import type { Actor } from '../../../../services/shared/decider.js';
import { DomainError } from '../../../../services/shared/domain-error.js';

type Outcome = 'yes' | 'FORBIDDEN' | 'NOT_FOUND';
const Y = 'yes', F = 'FORBIDDEN', N = 'NOT_FOUND';
type Row = readonly [handOff: Outcome, control: Outcome, documents: Outcome, tracing: Outcome, caseWork: Outcome, referralAnswer: Outcome, transferAnswer: Outcome];
const COLUMNS: readonly CommandGroup[] = ['HAND_OFF', 'CASE_CONTROL', 'DOCUMENT_WORK', 'TRACING_WORK', 'CASE_WORK', 'REFERRAL_ANSWER', 'TRANSFER_ANSWER'];

/**
 * The policy as specified (issue 12, finding 1), written out by hand for an ADVOCATE or ADMIN key:
 * only the lead shares or controls the case; DOCUMENTS scope does document work and records tracing; FULL scope does
 * case work; answers belong to their recipient; no access in force is NOT_FOUND.
 */
const EXPECTED: Readonly<Record<string, Row>> = {
  'lead organisation': [Y, Y, Y, Y, Y, F, F],
  'STATUS referral, pending': [F, F, F, F, F, Y, F],
  'STATUS referral, accepted': [F, F, F, F, F, Y, F],
  'DOCUMENTS referral, pending': [F, F, F, F, F, Y, F],
  'DOCUMENTS referral, accepted': [F, F, Y, Y, F, Y, F],
  'FULL referral, pending': [F, F, F, F, F, Y, F],
  'FULL referral, accepted': [F, F, Y, Y, Y, Y, F],
  'referral expired (any scope)': [N, N, N, N, N, N, N],
  'referral revoked (any scope)': [N, N, N, N, N, N, N],
  'STATUS grant': [F, F, F, F, F, F, F],
  'DOCUMENTS grant': [F, F, Y, Y, F, F, F],
  'FULL grant': [F, F, Y, Y, Y, F, F],
  'former lead that kept read access': [F, F, F, F, F, F, F],
  'former lead without kept access': [N, N, N, N, N, N, N],
  'transfer proposed to it': [F, F, F, F, F, F, Y],
  // Sees the family at STATUS scope; records the tracing of the person it was given (issue 14, item 6).
  'Defender named in tracing': [F, F, F, Y, F, F, F],
  'auditor appointed by the lead, or any outsider': [N, N, N, N, N, N, N],
};

const expectedFor = (relationship: string, group: CommandGroup, role: Actor['role']): Outcome => {
  if (group === 'OPENING') return role === 'ADVOCATE' || role === 'ADMIN' ? Y : F;
  const row = EXPECTED[relationship];
  if (!row) throw new Error(`no expectation for ${relationship}`);
  const outcome = row[COLUMNS.indexOf(group)]!;
  if (outcome === N) return N;
  if (role === 'AUDITOR' || role === 'SYSTEM') return F;
  if (role === 'PARTNER') return group === 'REFERRAL_ANSWER' ? outcome : F;
  return outcome;
};

describe('family access policy: every command x every relationship x role', () => {
  const roles: readonly Actor['role'][] = ['ADMIN', 'ADVOCATE', 'PARTNER', 'AUDITOR', 'SYSTEM'];
  for (const [relationship, events] of RELATIONSHIP_SAMPLES) {
    it(relationship, () => {
      const state = sampleState(events);
      const cases = FAMILY_COMMAND_TYPES.flatMap((type) => roles.map((role) => ({ type, role })));
      const actual = cases.map(({ type, role }) => `${role} ${type}: ${outcomeOf(sampleCommand(type, role), state)}`);
      const expected = cases.map(({ type, role }) => `${role} ${type}: ${expectedFor(relationship, commandGroup(type), role)}`);
      expect(actual).toEqual(expected);
    });
  }

  it('puts the commands that move or widen access in the lead-only groups', () => {
    for (const type of ['ReferFamily', 'GrantAccess', 'RevokeReferral', 'RevokeAccess', 'TransferFamily', 'CancelTransfer'] as const) expect(commandGroup(type)).toBe('HAND_OFF');
    for (const type of ['WithdrawConsent', 'GiveConsent', 'SuspendService', 'CloseFamilyCase'] as const) expect(commandGroup(type)).toBe('CASE_CONTROL');
  });

  it('judges a FULL grant expired when its expiry, written with any offset, is an earlier instant', () => {
    // 2024-06-01T23:00:00+12:00 is 11:00Z, an hour before the sample's time (12:00Z): expired.
    const granted = sampleState([{ type: 'FamilyCaseOpened', data: { familyId: 'fam', leadOrganizationId: 'org-lead', programme: 'ASYLUM' } },
      { type: 'AccessGranted', data: { grantId: 'g', organizationId: 'org-b', scope: 'FULL', expiresAt: '2024-06-01T23:00:00+12:00' } }]);
    expect(outcomeOf(sampleCommand('RecordContactAttempt', 'ADVOCATE'), granted)).toBe('NOT_FOUND');
    const later = sampleState([{ type: 'FamilyCaseOpened', data: { familyId: 'fam', leadOrganizationId: 'org-lead', programme: 'ASYLUM' } },
      { type: 'AccessGranted', data: { grantId: 'g', organizationId: 'org-b', scope: 'FULL', expiresAt: '2024-06-01T07:30:00-06:00' } }]);
    expect(outcomeOf(sampleCommand('RecordContactAttempt', 'ADVOCATE'), later)).toBe('yes');
  });
});

describe('README access-policy table', () => {
  it('is what the policy generates (run npm run docs:transitions after changing it)', () => {
    const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');
    const committed = readme.slice(readme.indexOf(ACCESS_POLICY_START) + ACCESS_POLICY_START.length + 1, readme.indexOf(ACCESS_POLICY_END) - 1);
    expect(committed).toBe(renderAccessPolicyTable(FAMILY_COMMAND_TYPES));
  });
});

describe('a person hidden from the caller is NOT_FOUND for writes, exactly like an unknown person id', () => {
  const lead = { userId: 'l', organizationId: 'org-lead', role: 'ADVOCATE' as const };
  const documents = { userId: 'd', organizationId: 'org-b', role: 'ADVOCATE' as const };
  const state = sampleState([
    { type: 'FamilyCaseOpened', data: { familyId: 'fam', leadOrganizationId: 'org-lead', programme: 'ASYLUM' } },
    { type: 'RelativeAdded', data: { relativeId: 'abuser', relationship: 'FATHER', biological: true, vitalStatus: 'ALIVE', adverse: true, personal: { subjectId: 'abuser', givenName: 'x' } } },
    { type: 'FamilyReferred', data: { referralId: 'r', fromOrganizationId: 'org-lead', toOrganizationId: 'org-b', purpose: 'p', scope: 'DOCUMENTS' } },
    { type: 'ReferralAccepted', data: { referralId: 'r' } },
  ]);
  const attempt = (relativeId: string, actor: typeof lead) => {
    const command = { type: 'RecordContactAttempt', familyId: 'fam', actor, issuedAt: '2024-06-01T12:00:00.000Z', occurredAt: '2024-06-01T12:00:00.000Z', relativeId, channel: 'PHONE', result: 'NO_ANSWER' } as unknown as FamilyCommand;
    try {
      return { events: familyDecider.decide(command, state).length };
    } catch (error) {
      return error instanceof DomainError ? { code: error.code, field: error.field, message: error.message } : { unexpected: String(error) };
    }
  };
  it('answers a DOCUMENTS organisation about the adverse father as about a person who does not exist', () => {
    expect(attempt('abuser', documents)).toMatchObject({ code: 'NOT_FOUND' });
    expect(attempt('abuser', documents)).toEqual(attempt('nobody', documents));
  });
  it('the lead finds the person (here: not yet sought, so the step itself is refused)', () => {
    expect(attempt('abuser', lead)).toMatchObject({ code: 'INVALID_TRANSITION' });
  });
});

import { describe, expect, it } from 'vitest';
import { accessHolders, decideAccess } from '../../../../services/family/access-policy.js';
import type { FamilyCommandOf, FamilyCommandType } from '../../../../services/family/commands.js';
import { decideInWorld } from '../../../../services/family/decide-in-world.js';
import type { FamilyEvent } from '../../../../services/family/events.js';
import type { FamilyState } from '../../../../services/family/state.js';
import { worldOf, type FamilyWorld } from '../../../../services/family/world.js';
import { DomainError } from '../../../../services/shared/domain-error.js';
import {
  ADVOCATE, childRegistered, command, consented, date, documentRequested, event, given, opened, referred, relativeAdded, suspended, tracingStarted, when,
} from '../../../support/family-fixtures.js';

/** Given/when/then for consent (item 3), stop-work orders (item 5) and hand-offs (item 6) of issue 14. */

type Fields<T extends FamilyCommandType> = Parameters<typeof command<T>>[1];
const ORG_B: FamilyCommandOf<'AcceptTransfer'>['actor'] = { userId: 'b', organizationId: 'org-b', role: 'ADVOCATE' };
const DEFENDER = { userId: 'hn', organizationId: 'org-hn', role: 'ADVOCATE' } as const;
const ORDER = { orderId: 'order-1', programme: 'SEPARATED_FAMILY', funderOrganizationId: 'funder' } as const;
/** org-a (the lead), org-b, org-c, org-hn exist; none is under an order. */
const everyoneWorks = worldOf({ 'org-a': [], 'org-b': [], 'org-c': [], 'org-hn': [] });
/** org-a is under a stop-work order for the families' programme. */
const leadStopped = worldOf({ 'org-a': [ORDER], 'org-b': [], 'org-c': [], 'org-hn': [] });

const decideIn = <T extends FamilyCommandType>(world: FamilyWorld, state: FamilyState, type: T, fields: Fields<T>): readonly FamilyEvent[] =>
  decideInWorld(command(type, fields), state, world);
const refusedIn = <T extends FamilyCommandType>(world: FamilyWorld, state: FamilyState, type: T, fields: Fields<T>): DomainError => {
  try {
    decideIn(world, state, type, fields);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`${type} was not refused`);
};

describe('consent (issue 14, item 3)', () => {
  const family = given(opened, childRegistered());
  const referral = { referralId: 'r-1', toOrganizationId: 'org-b', purpose: 'Tracing', scope: 'DOCUMENTS' } as const;

  it('refuses a referral, a grant and a transfer that no consent covers', () => {
    for (const [type, fields] of [
      ['ReferFamily', referral],
      ['GrantAccess', { grantId: 'g-1', organizationId: 'org-b', scope: 'STATUS' }],
      ['TransferFamily', { toOrganizationId: 'org-b', previousLeadKeepsReadAccess: false }],
    ] as const) {
      const error = refusedIn(everyoneWorks, family, type, fields as never);
      expect(error.code).toBe('INVALID_TRANSITION');
      expect(error.message).toMatch(/no consent in force covers that organisation/);
    }
  });

  it('needs the recipient and the purpose (trimmed, any case) in one consent in force', () => {
    expect(when(given(opened, childRegistered(), consented(['org-b'], [' tracing '])), 'ReferFamily', referral)[0]?.type).toBe('FamilyReferred');
    expect(() => when(given(opened, childRegistered(), consented(['org-c'], ['tracing'])), 'ReferFamily', referral)).toThrow(/no consent/);
    expect(() => when(given(opened, childRegistered(), consented(['org-b'], ['legal representation'])), 'ReferFamily', referral)).toThrow(/no consent/);
    const expired = event('ConsentGiven', { consentId: 'c-old', personId: 'child-1', purposes: ['tracing'], recipientOrganizationIds: ['org-b'], expiresOn: date('2024-05-31') });
    expect(() => when(given(opened, childRegistered(), expired), 'ReferFamily', referral)).toThrow(/no consent/);
    const lastDay = event('ConsentGiven', { consentId: 'c-day', personId: 'child-1', purposes: ['tracing'], recipientOrganizationIds: ['org-b'], expiresOn: date('2024-06-01') });
    expect(when(given(opened, childRegistered(), lastDay), 'ReferFamily', referral)).toHaveLength(1);
  });

  it('a transfer needs purpose "transfer", a grant its own purpose or "access"', () => {
    const consenting = given(opened, childRegistered(), consented(['org-b'], ['transfer', 'audit']));
    expect(when(consenting, 'TransferFamily', { toOrganizationId: 'org-b', previousLeadKeepsReadAccess: false })[0]?.type).toBe('FamilyTransferProposed');
    expect(when(consenting, 'GrantAccess', { grantId: 'g', organizationId: 'org-b', scope: 'STATUS', purpose: 'Audit' })[0]).toMatchObject({ data: { purpose: 'Audit' } });
    expect(() => when(consenting, 'GrantAccess', { grantId: 'g', organizationId: 'org-b', scope: 'STATUS' })).toThrow(/no consent/);
  });

  it('refers nothing new after the consent was withdrawn', () => {
    const withdrawn = given(opened, childRegistered(), consented(), event('ConsentWithdrawn', { consentId: 'consent-1' }));
    expect(() => when(withdrawn, 'ReferFamily', referral)).toThrow(/no consent/);
  });

  it('withdrawal revokes pending referrals and cancels a pending transfer it alone covered; accepted ones stay, for the lead to decide', () => {
    const shared = given(
      opened, childRegistered(), consented(['org-b', 'org-c'], ['tracing', 'transfer']),
      event('ConsentGiven', { consentId: 'consent-c', personId: 'child-1', purposes: ['tracing'], recipientOrganizationIds: ['org-c'] }),
      referred('pending-b'), event('FamilyReferred', { referralId: 'accepted-b', fromOrganizationId: 'org-a', toOrganizationId: 'org-b', purpose: 'tracing', scope: 'STATUS' }),
      event('ReferralAccepted', { referralId: 'accepted-b' }),
      event('FamilyReferred', { referralId: 'pending-c', fromOrganizationId: 'org-a', toOrganizationId: 'org-c', purpose: 'tracing', scope: 'STATUS' }),
      event('FamilyTransferProposed', { fromOrganizationId: 'org-a', toOrganizationId: 'org-b', previousLeadKeepsReadAccess: false }),
    );
    expect(when(shared, 'WithdrawConsent', { consentId: 'consent-1' })).toEqual([
      { type: 'ConsentWithdrawn', data: { consentId: 'consent-1' } },
      { type: 'ReferralRevoked', data: { referralId: 'pending-b' } },
      { type: 'FamilyTransferCancelled', data: { toOrganizationId: 'org-b' } },
    ]);
  });

  it('accepting a referral needs the consent still in force', () => {
    const lapsed = given(opened, childRegistered(), consented(), referred(), event('ConsentWithdrawn', { consentId: 'consent-1' }));
    expect(() => when(lapsed, 'AcceptReferral', { referralId: 'ref-1', actor: ORG_B })).toThrow(/no consent/);
  });
});

describe('organisations a command names (issue 14, item 6)', () => {
  const family = given(opened, childRegistered(), relativeAdded(), consented(['org-unknown', 'org-b'], ['tracing']));

  it('refuses a referral, a grant, a transfer, a tracing or a document request to an organisation that does not exist, naming that field', () => {
    const cases = [
      ['ReferFamily', { referralId: 'r', toOrganizationId: 'org-unknown', purpose: 'tracing', scope: 'STATUS' }, 'toOrganizationId'],
      ['GrantAccess', { grantId: 'g', organizationId: 'org-unknown', scope: 'STATUS' }, 'organizationId'],
      ['TransferFamily', { toOrganizationId: 'org-unknown', previousLeadKeepsReadAccess: false }, 'toOrganizationId'],
      ['StartTracing', { relativeId: 'father-1', defenderOrganizationId: 'org-unknown' }, 'defenderOrganizationId'],
      ['RequestDocument', { documentId: 'd', documentType: 'BIRTH_CERTIFICATE', issuingCountry: 'HN', assignedOrganizationId: 'org-unknown', needsLegalisation: false, needsTranslation: false, needsService: false }, 'assignedOrganizationId'],
    ] as const;
    for (const [type, fields, field] of cases) {
      const error = refusedIn(everyoneWorks, family, type, fields as never);
      expect([error.code, error.field, error.message], type).toEqual(['NOT_FOUND', field, 'organisation not found']);
    }
  });

  it('a deactivated organisation is refused like an unknown one', () => {
    const deactivated: FamilyWorld = { organization: (id) => (id === 'org-b' ? { exists: true, active: false, stopWorkOrders: [] } : everyoneWorks.organization(id)) };
    expect(refusedIn(deactivated, family, 'ReferFamily', { referralId: 'r', toOrganizationId: 'org-b', purpose: 'tracing', scope: 'STATUS' }).field).toBe('toOrganizationId');
  });
});

describe('kept read access after a transfer (issue 14, item 6)', () => {
  const proposed = (until?: string) =>
    event('FamilyTransferProposed', { fromOrganizationId: 'org-a', toOrganizationId: 'org-b', previousLeadKeepsReadAccess: true, ...(until ? { previousLeadReadAccessUntil: until } : {}) });
  const waiting = (until?: string) => given(opened, childRegistered(), consented(['org-b'], ['transfer']), proposed(until));

  it('ends after 30 days by default, or when the transfer said', () => {
    expect(when(waiting(), 'AcceptTransfer', { actor: ORG_B })[0]).toMatchObject({ data: { previousLeadReadAccessUntil: '2024-07-01T12:00:00.000Z' } });
    expect(when(waiting('2024-06-08T00:00:00.000Z'), 'AcceptTransfer', { actor: ORG_B })[0]).toMatchObject({ data: { previousLeadReadAccessUntil: '2024-06-08T00:00:00.000Z' } });
    const family = given(opened, childRegistered(), consented(['org-b'], ['transfer']));
    expect(when(family, 'TransferFamily', { toOrganizationId: 'org-b', previousLeadKeepsReadAccess: true, previousLeadReadAccessUntil: '2024-06-08T00:00:00.000Z' })[0])
      .toMatchObject({ data: { previousLeadReadAccessUntil: '2024-06-08T00:00:00.000Z' } });
    expect(() => when(family, 'TransferFamily', { toOrganizationId: 'org-b', previousLeadKeepsReadAccess: false, previousLeadReadAccessUntil: '2024-06-08T00:00:00.000Z' })).toThrow(/needs previousLeadKeepsReadAccess/);
    expect(() => when(family, 'TransferFamily', { toOrganizationId: 'org-b', previousLeadKeepsReadAccess: true, previousLeadReadAccessUntil: '2024-05-01T00:00:00.000Z' })).toThrow(/future/);
  });

  it('is an access holder with that expiry, and the new lead revokes it', () => {
    const transferred = given(opened, event('FamilyTransferred', { fromOrganizationId: 'org-a', toOrganizationId: 'org-b', previousLeadKeepsReadAccess: true, previousLeadReadAccessUntil: '2024-06-08T00:00:00.000Z' }));
    expect(accessHolders(transferred)).toContainEqual({ organizationId: 'org-a', scope: 'FULL', expiresAt: '2024-06-08T00:00:00.000Z', via: 'FORMER_LEAD', writes: false });
    const revoke = command('RevokeFormerLeadAccess', { organizationId: 'org-a', actor: ORG_B });
    expect(decideAccess(revoke, transferred)).toEqual({ allowed: true });
    expect(decideAccess({ ...revoke, actor: ADVOCATE }, transferred)).toEqual({ allowed: false, reason: 'LEAD_ONLY' });
    expect(when(transferred, 'RevokeFormerLeadAccess', { organizationId: 'org-a', actor: ORG_B })).toEqual([{ type: 'FormerLeadAccessRevoked', data: { organizationId: 'org-a' } }]);
    const revoked = given(opened, event('FamilyTransferred', { fromOrganizationId: 'org-a', toOrganizationId: 'org-b', previousLeadKeepsReadAccess: true, previousLeadReadAccessUntil: '2024-06-08T00:00:00.000Z' }), event('FormerLeadAccessRevoked', { organizationId: 'org-a' }));
    expect(accessHolders(revoked).map((holder) => holder.via)).toEqual(['LEAD']);
    expect(() => when(revoked, 'RevokeFormerLeadAccess', { organizationId: 'org-a', actor: ORG_B })).toThrow(/former lead/);
    const lapsed = given(opened, event('FamilyTransferred', { fromOrganizationId: 'org-a', toOrganizationId: 'org-b', previousLeadKeepsReadAccess: true, previousLeadReadAccessUntil: '2024-05-08T00:00:00.000Z' }));
    expect(decideAccess(command('RecordLead', { relativeId: 'x', actor: ADVOCATE }), lapsed)).toEqual({ allowed: false, reason: 'NOT_VISIBLE' });
  });
});

describe('a Defender given a sought person or a document (issue 14, item 6)', () => {
  const family = given(opened, childRegistered(), relativeAdded('father-1'), relativeAdded('mother-1', 'MOTHER'), tracingStarted('father-1'), documentRequested('doc-1'),
    event('TracingStarted', { relativeId: 'mother-1', defenderOrganizationId: 'org-gt', startedOn: date('2024-01-10') }));
  const as = <T extends FamilyCommandType>(type: T, fields: Fields<T>) => decideAccess(command(type, { ...fields, actor: DEFENDER }), family);

  it('sees the family at STATUS scope and records the tracing of that person only', () => {
    expect(accessHolders(family)).toContainEqual({ organizationId: 'org-hn', scope: 'STATUS', expiresAt: undefined, via: 'ASSIGNMENT', writes: false });
    expect(as('RecordContactAttempt', { relativeId: 'father-1', channel: 'PHONE', result: 'NO_ANSWER' })).toEqual({ allowed: true });
    expect(as('RecordParentLocated', { relativeId: 'father-1', country: 'HN' as never, method: 'PHONE' })).toEqual({ allowed: true });
    expect(as('RecordContactAttempt', { relativeId: 'mother-1', channel: 'PHONE', result: 'NO_ANSWER' })).toEqual({ allowed: false, reason: 'SCOPE_TOO_NARROW' });
  });

  it('records the steps of its document, and no other document or case work', () => {
    expect(as('RecordDocumentObtained', { documentId: 'doc-1' })).toEqual({ allowed: true });
    expect(as('RecordDocumentApostilled', { documentId: 'doc-1', method: 'APOSTILLE' })).toEqual({ allowed: true });
    expect(as('RecordDocumentFiled', { documentId: 'doc-1' })).toEqual({ allowed: false, reason: 'SCOPE_TOO_NARROW' });
    expect(as('RecordDocumentObtained', { documentId: 'doc-2' })).toEqual({ allowed: false, reason: 'SCOPE_TOO_NARROW' });
    expect(as('RegisterChild', { childId: 'c2', givenName: 'x', birthDate: date('2015-01-01'), birthDateEstimated: false, nationality: 'HN' as never, languages: [], needsInterpreter: false })).toEqual({ allowed: false, reason: 'SCOPE_TOO_NARROW' });
    expect(as('ReferFamily', { referralId: 'r', toOrganizationId: 'org-x', purpose: 'x', scope: 'FULL' })).toEqual({ allowed: false, reason: 'LEAD_ONLY' });
  });
});

describe('stop-work orders (issue 14, item 5)', () => {
  const family = given(opened, childRegistered(), relativeAdded(), consented(['org-b', 'org-c'], ['transfer', 'tracing']));
  const withDeadline = given(opened, childRegistered(), consented(['org-b'], ['transfer']), event('DeadlineSet', { deadlineId: 'asylum', kind: 'ASYLUM_ONE_YEAR', dueOn: date('2024-06-20') }));

  it('lets unavoidable work go on: safety, corrections, filings and service under way, hand-offs', () => {
    expect(decideIn(leadStopped, family, 'RecordChildDetained', { childId: 'child-1', agency: 'ORR', detainedOn: date('2024-05-01') })).toHaveLength(1);
    expect(decideIn(leadStopped, family, 'CorrectChildBirthDate', { childId: 'child-1', birthDate: date('2012-03-05'), birthDateEstimated: false })[0]?.type).toBe('ChildBirthDateCorrected');
    const served = given(opened, childRegistered(), relativeAdded(), documentRequested(), event('DocumentObtained', { documentId: 'doc-1' }));
    expect(decideIn(leadStopped, served, 'RecordDocumentServed', { documentId: 'doc-1', servedPersonId: 'father-1' })[0]?.type).toBe('DocumentServed');
    expect(decideIn(leadStopped, family, 'TransferFamily', { toOrganizationId: 'org-b', previousLeadKeepsReadAccess: false })[0]?.type).toBe('FamilyTransferProposed');
  });

  it('document and legal work toward an open deadline is unavoidable', () => {
    expect(decideIn(leadStopped, withDeadline, 'OpenLegalMatter', { matterId: 'm', matterType: 'ASYLUM', childId: 'child-1', jurisdiction: 'US-NC' })[0]?.type).toBe('LegalMatterOpened');
    expect(refusedIn(leadStopped, family, 'OpenLegalMatter', { matterId: 'm', matterType: 'ASYLUM', childId: 'child-1', jurisdiction: 'US-NC' }).message).toMatch(/not unavoidable work.*stopWorkReason/);
  });

  it('records any other step only with a reason, and records the reason first', () => {
    const error = refusedIn(leadStopped, family, 'StartTracing', { relativeId: 'father-1', defenderOrganizationId: 'org-hn' });
    expect([error.code, error.message]).toEqual(['INVALID_TRANSITION', "StartTracing is not unavoidable work under your organisation's stop-work order for the SEPARATED_FAMILY programme: give stopWorkReason to record it anyway"]);
    expect(decideIn(leadStopped, family, 'StartTracing', { relativeId: 'father-1', defenderOrganizationId: 'org-hn', stopWorkReason: 'the father was reported in danger' })).toEqual([
      { type: 'StopWorkExceptionRecorded', data: { organizationId: 'org-a', orderIds: ['order-1'], commandType: 'StartTracing', personal: { subjectId: 'case:notes', reason: 'the father was reported in danger' } } },
      { type: 'TracingStarted', data: { relativeId: 'father-1', defenderOrganizationId: 'org-hn', startedOn: '2024-06-01' } },
    ]);
  });

  it('covers only its programme, and only the organisation under it', () => {
    const asylum = given(event('FamilyCaseOpened', { familyId: 'fam-1', leadOrganizationId: 'org-a', programme: 'ASYLUM' }), childRegistered(), relativeAdded());
    expect(decideIn(leadStopped, asylum, 'StartTracing', { relativeId: 'father-1', defenderOrganizationId: 'org-hn' })).toHaveLength(1);
    const referredFull = given(opened, childRegistered(), relativeAdded(), consented(['org-b'], ['tracing']), event('FamilyReferred', { referralId: 'r', fromOrganizationId: 'org-a', toOrganizationId: 'org-b', purpose: 'tracing', scope: 'FULL' }), event('ReferralAccepted', { referralId: 'r' }));
    expect(decideIn(leadStopped, referredFull, 'StartTracing', { relativeId: 'father-1', defenderOrganizationId: 'org-hn', actor: ORG_B })).toHaveLength(1);
  });

  it('takes no new client under the programme, whatever the reason', () => {
    const bStopped = worldOf({ 'org-a': [], 'org-b': [ORDER], 'org-c': [] });
    expect(refusedIn(bStopped, given(), 'OpenFamilyCase', { leadOrganizationId: 'org-b', programme: 'SEPARATED_FAMILY', actor: ORG_B, stopWorkReason: 'urgent' }).message).toMatch(/Cannot take a new client/);
    expect(refusedIn(bStopped, family, 'TransferFamily', { toOrganizationId: 'org-b', previousLeadKeepsReadAccess: false }).message).toMatch(/Cannot hand the family to that organisation/);
    expect(refusedIn(bStopped, family, 'ReferFamily', { referralId: 'r', toOrganizationId: 'org-b', purpose: 'tracing', scope: 'FULL' }).code).toBe('INVALID_TRANSITION');
    const waiting = given(opened, childRegistered(), consented(['org-b'], ['transfer']), event('FamilyTransferProposed', { fromOrganizationId: 'org-a', toOrganizationId: 'org-b', previousLeadKeepsReadAccess: false }));
    expect(refusedIn(bStopped, waiting, 'AcceptTransfer', { actor: ORG_B, stopWorkReason: 'deadline' }).message).toMatch(/new client/);
    expect(decideIn(bStopped, waiting, 'DeclineTransfer', { actor: ORG_B })[0]?.type).toBe('FamilyTransferDeclined');
    // A hand-off to an organisation not under the order stays possible.
    expect(decideIn(bStopped, family, 'TransferFamily', { toOrganizationId: 'org-c', previousLeadKeepsReadAccess: false })[0]?.type).toBe('FamilyTransferProposed');
  });

  it('a family-level suspension (older cases) follows the same rule', () => {
    const paused = given(opened, childRegistered(), relativeAdded(), consented(['org-b'], ['transfer']), suspended);
    expect(decideIn(everyoneWorks, paused, 'TransferFamily', { toOrganizationId: 'org-b', previousLeadKeepsReadAccess: false })[0]?.type).toBe('FamilyTransferProposed');
    expect(decideIn(everyoneWorks, paused, 'CorrectChildBirthDate', { childId: 'child-1', birthDate: date('2012-03-05'), birthDateEstimated: false })).toHaveLength(1);
    expect(() => decideIn(everyoneWorks, paused, 'StartTracing', { relativeId: 'father-1', defenderOrganizationId: 'org-hn' })).toThrow(/SUSPENDED/);
    expect(decideIn(everyoneWorks, paused, 'StartTracing', { relativeId: 'father-1', defenderOrganizationId: 'org-hn', stopWorkReason: 'safety' })[0]?.type).toBe('StopWorkExceptionRecorded');
    expect(decideIn(everyoneWorks, paused, 'ResumeService', {})).toEqual([{ type: 'ServiceResumed', data: {} }]);
  });
});

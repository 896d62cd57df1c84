import { describe, expect, it } from 'vitest';
import {
  decideOrganization, evolveOrganization, initialOrganizationState, type OrganizationCommand, type OrganizationEvent,
} from '../../../../services/organization/organization.js';
import { DomainError } from '../../../../services/shared/domain-error.js';
import { sha256 } from '../../../../services/shared/hash-chain.js';

const base = { organizationId: 'org-a', actor: { userId: 'admin', organizationId: 'system', role: 'ADMIN' as const }, issuedAt: '2024-06-01T00:00:00.000Z' };
const given = (...events: OrganizationEvent[]) => events.reduce(evolveOrganization, initialOrganizationState);
type Input = OrganizationCommand extends infer C ? (C extends unknown ? Omit<C, keyof typeof base> : never) : never;
const when = (state: ReturnType<typeof given>, command: Input) =>
  decideOrganization({ ...base, ...command }, state);
const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    return error instanceof DomainError ? error.code : 'not a DomainError';
  }
  return undefined;
};

const registered: OrganizationEvent = { type: 'OrganizationRegistered', data: { organizationId: 'org-a', name: 'Legal Aid NY', kind: 'LEGAL_SERVICE_PROVIDER', countries: [] } };
const memberAdded: OrganizationEvent = { type: 'MemberAdded', data: { userId: 'u1', role: 'ADVOCATE', personal: { subjectId: 'u1', name: 'Ada' } } };
const hash = sha256('secret-key');
const keyIssued: OrganizationEvent = { type: 'ApiKeyIssued', data: { keyId: 'k1', userId: 'u1', role: 'ADVOCATE', keyHash: hash, label: 'laptop' } };

describe('organisation decider', () => {
  it('registers once', () => {
    expect(when(given(), { type: 'RegisterOrganization', name: 'Legal Aid NY', kind: 'LEGAL_SERVICE_PROVIDER', countries: [] })).toEqual([registered]);
    expect(codeOf(() => when(given(registered), { type: 'RegisterOrganization', name: 'x', kind: 'FUNDER', countries: [] }))).toBe('CONFLICT');
    expect(codeOf(() => when(given(), { type: 'AddMember', userId: 'u1', role: 'ADMIN', name: 'x' }))).toBe('NOT_FOUND');
  });
  it('adds members with their names as personal data', () => {
    expect(when(given(registered), { type: 'AddMember', userId: 'u1', role: 'ADVOCATE', name: 'Ada' })).toEqual([memberAdded]);
    expect(codeOf(() => when(given(registered, memberAdded), { type: 'AddMember', userId: 'u1', role: 'ADVOCATE', name: 'Ada' }))).toBe('BAD_USER_INPUT');
  });
  it('issues keys as hashes bound to the member and role, never the key', () => {
    const [event] = when(given(registered, memberAdded), { type: 'IssueApiKey', keyId: 'k1', userId: 'u1', keyHash: hash, label: 'laptop' });
    expect(event).toEqual(keyIssued);
    expect(JSON.stringify(event)).not.toContain('secret-key');
    expect(codeOf(() => when(given(registered, memberAdded), { type: 'IssueApiKey', keyId: 'k1', userId: 'u1', keyHash: 'secret-key', label: 'x' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => when(given(registered), { type: 'IssueApiKey', keyId: 'k1', userId: 'ghost', keyHash: hash, label: 'x' }))).toBe('NOT_FOUND');
  });
  it('issues a key to a new user and adds them as a member in the same step', () => {
    expect(when(given(registered), { type: 'IssueApiKey', keyId: 'k1', userId: 'u1', keyHash: hash, label: 'laptop', asNewMember: { role: 'ADVOCATE', name: 'Ada' } }))
      .toEqual([memberAdded, keyIssued]);
  });
  it('issues a key to an existing member with their own role, whatever asNewMember says', () => {
    expect(when(given(registered, memberAdded), { type: 'IssueApiKey', keyId: 'k1', userId: 'u1', keyHash: hash, label: 'laptop', asNewMember: { role: 'ADMIN', name: 'Someone else' } }))
      .toEqual([keyIssued]);
  });
  it('revokes an active key once', () => {
    expect(when(given(registered, memberAdded, keyIssued), { type: 'RevokeApiKey', keyId: 'k1' })).toEqual([{ type: 'ApiKeyRevoked', data: { keyId: 'k1' } }]);
    const revoked = given(registered, memberAdded, keyIssued, { type: 'ApiKeyRevoked', data: { keyId: 'k1' } });
    expect(codeOf(() => when(revoked, { type: 'RevokeApiKey', keyId: 'k1' }))).toBe('INVALID_TRANSITION');
    expect(codeOf(() => when(revoked, { type: 'RevokeApiKey', keyId: 'k9' }))).toBe('NOT_FOUND');
  });
  it('changes roles, and removing a member revokes their keys', () => {
    expect(when(given(registered, memberAdded), { type: 'ChangeMemberRole', userId: 'u1', role: 'AUDITOR' })).toEqual([{ type: 'MemberRoleChanged', data: { userId: 'u1', role: 'AUDITOR' } }]);
    expect(when(given(registered, memberAdded, keyIssued), { type: 'RemoveMember', userId: 'u1' })).toEqual([
      { type: 'ApiKeyRevoked', data: { keyId: 'k1' } },
      { type: 'MemberRemoved', data: { userId: 'u1' } },
    ]);
  });
  it('appoints and dismisses auditors, never itself or twice', () => {
    const appointed: OrganizationEvent = { type: 'AuditorAppointed', data: { auditorOrganizationId: 'audit-co' } };
    expect(when(given(registered), { type: 'AppointAuditor', auditorOrganizationId: 'audit-co' })).toEqual([appointed]);
    expect(codeOf(() => when(given(registered, appointed), { type: 'AppointAuditor', auditorOrganizationId: 'audit-co' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => when(given(registered), { type: 'AppointAuditor', auditorOrganizationId: 'org-a' }))).toBe('BAD_USER_INPUT');
    expect(when(given(registered, appointed), { type: 'DismissAuditor', auditorOrganizationId: 'audit-co' })).toEqual([{ type: 'AuditorDismissed', data: { auditorOrganizationId: 'audit-co' } }]);
    expect(codeOf(() => when(given(registered), { type: 'DismissAuditor', auditorOrganizationId: 'audit-co' }))).toBe('NOT_FOUND');
  });
  it('a deactivated organisation takes no further command; the system organisation cannot be deactivated', () => {
    const deactivated: OrganizationEvent = { type: 'OrganizationDeactivated', data: { personal: { subjectId: 'organization:notes', reason: 'closed its programme' } } };
    expect(when(given(registered), { type: 'DeactivateOrganization', reason: 'closed its programme' })).toEqual([deactivated]);
    expect(codeOf(() => when(given(registered, memberAdded, deactivated), { type: 'IssueApiKey', keyId: 'k2', userId: 'u1', keyHash: hash, label: 'x' }))).toBe('INVALID_TRANSITION');
    const system: OrganizationEvent = { type: 'OrganizationRegistered', data: { organizationId: 'system', name: 'System', kind: 'SYSTEM', countries: [] } };
    expect(codeOf(() => when(given(system), { type: 'DeactivateOrganization', reason: 'x' }))).toBe('BAD_USER_INPUT');
  });
});

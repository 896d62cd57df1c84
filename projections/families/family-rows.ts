import type { FamilyState } from '../../services/family/state.js';
import { nextDeadline, reunificationStatus } from '../../services/family/status.js';

/** The columns of a family's rows, derived from its folded state. */
export const familyColumns = (state: FamilyState) => {
  const deadline = nextDeadline(state);
  const ageOuts = [...state.deadlines.values()]
    .filter((d) => d.kind === 'SIJ_AGE_OUT' && d.status === 'OPEN')
    .map((d) => d.dueOn)
    .sort();
  const relatives = [...state.relatives.values()];
  return {
    leadOrganizationId: state.leadOrganizationId,
    programme: state.programme ?? null,
    status: reunificationStatus(state),
    country: [...state.children.values()][0]?.nationality ?? null,
    separatedOn: state.separatedOn ?? null,
    nextDeadlineOn: deadline?.dueOn ?? null,
    nextDeadlineKind: deadline?.kind ?? null,
    earliestAgeOutOn: ageOuts[0] ?? null,
    unlocatedRelatives: relatives.filter((r) => r.location === 'TRACING' || r.location === 'UNREACHABLE').length,
  };
};

export type AccessVia = 'LEAD' | 'REFERRAL' | 'GRANT' | 'FORMER_LEAD';

/**
 * Which organisations may see the family, and how: the access-relevant facts, kept as rows so
 * every query can filter in SQL. Expiry is stored, and compared at query time (no clock here).
 * Revoked and declined referrals and revoked grants give nothing.
 */
export const accessRows = (state: FamilyState): Array<{ organizationId: string; scope: string; expiresAt: string | null; via: AccessVia }> => [
  { organizationId: state.leadOrganizationId, scope: 'FULL', expiresAt: null, via: 'LEAD' },
  ...[...state.formerLeadsWithReadAccess].map((organizationId) => ({ organizationId, scope: 'FULL', expiresAt: null, via: 'FORMER_LEAD' as const })),
  // A pending referral lets the receiving organisation see the status it is asked to take on;
  // the referral's scope applies once it is accepted.
  ...[...state.referrals.values()]
    .filter((r) => r.status === 'PENDING' || r.status === 'ACCEPTED')
    .map((r) => ({ organizationId: r.toOrganizationId, scope: r.status === 'ACCEPTED' ? r.scope : 'STATUS', expiresAt: r.expiresAt ?? null, via: 'REFERRAL' as const })),
  ...[...state.grants.values()]
    .filter((g) => g.active)
    .map((g) => ({ organizationId: g.organizationId, scope: g.scope, expiresAt: g.expiresAt ?? null, via: 'GRANT' as const })),
];

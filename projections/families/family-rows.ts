import { accessHolders, type AccessVia } from '../../services/family/access-policy.js';
import type { FamilyState } from '../../services/family/state.js';
import { familySeenAt, hiddenPersonIds } from '../../services/family/disclosure.js';
import { isSought } from '../../services/family/child-relations.js';
import { nextDeadline, reunificationStatus, type ReunificationStatus } from '../../services/family/status.js';
import type { AccessScope } from '../../services/family/vocabulary.js';

/** The scopes, with the bit each has in an audience mask (`shown_to`, `audience`): STATUS 1, DOCUMENTS 2, FULL 4 (1 << (viewer_scope - 1)). */
export const SCOPE_BITS: ReadonlyArray<readonly [AccessScope, number]> = [['FULL', 4], ['DOCUMENTS', 2], ['STATUS', 1]];
export const EVERY_SCOPE = 7;

/** The family's status as each scope may know it (familySeenAt: people hidden from a scope change nothing for it). */
export const statusByScope = (state: FamilyState): Record<AccessScope, ReunificationStatus> => {
  const full = reunificationStatus(state);
  const at = (scope: AccessScope): ReunificationStatus => {
    const seen = familySeenAt(state, scope);
    return seen === state ? full : reunificationStatus(seen);
  };
  return { FULL: full, DOCUMENTS: at('DOCUMENTS'), STATUS: at('STATUS') };
};

/** The scopes a relative is shown to, as an audience mask: every scope, or FULL alone for a person hidden below it. */
export const relativeShownTo = (state: FamilyState, relativeId: string): number =>
  SCOPE_BITS.reduce((mask, [scope, bit]) => (hiddenPersonIds(state, scope).has(relativeId) ? mask : mask | bit), 0);

/**
 * The columns of a family's rows, derived from its folded state. Status and the count of relatives
 * still sought are kept per scope, each from the family as that scope may see it.
 */
export const familyColumns = (state: FamilyState) => {
  const deadline = nextDeadline(state);
  const ageOuts = [...state.deadlines.values()]
    .filter((d) => d.kind === 'SIJ_AGE_OUT' && d.status === 'OPEN')
    .map((d) => d.dueOn)
    .sort();
  const unlocatedAt = (scope: AccessScope): number => [...familySeenAt(state, scope).relatives.values()].filter(isSought).length;
  const statuses = statusByScope(state);
  return {
    leadOrganizationId: state.leadOrganizationId,
    programme: state.programme ?? null,
    status: statuses.FULL,
    statusAtDocuments: statuses.DOCUMENTS,
    statusAtStatus: statuses.STATUS,
    country: [...state.children.values()][0]?.nationality ?? null,
    separatedOn: state.separatedOn ?? null,
    nextDeadlineOn: deadline?.dueOn ?? null,
    nextDeadlineKind: deadline?.kind ?? null,
    earliestAgeOutOn: ageOuts[0] ?? null,
    unlocatedRelatives: unlocatedAt('FULL'),
    unlocatedAtDocuments: unlocatedAt('DOCUMENTS'),
    unlocatedAtStatus: unlocatedAt('STATUS'),
  };
};

/** The access rows of a family: the same holders the write policy judges (services/family/access-policy.ts). */
export const accessRows = (state: FamilyState): Array<{ organizationId: string; scope: string; expiresAt: string | null; via: AccessVia }> =>
  accessHolders(state).map(({ organizationId, scope, expiresAt, via }) => ({ organizationId, scope, expiresAt: expiresAt ?? null, via }));

import { accessHolders, type AccessVia } from '../../services/family/access-policy.js';
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

/** The access rows of a family: the same holders the write policy judges (services/family/access-policy.ts). */
export const accessRows = (state: FamilyState): Array<{ organizationId: string; scope: string; expiresAt: string | null; via: AccessVia }> =>
  accessHolders(state).map(({ organizationId, scope, expiresAt, via }) => ({ organizationId, scope, expiresAt: expiresAt ?? null, via }));

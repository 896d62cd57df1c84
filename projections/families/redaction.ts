import type { FamilyRow } from './family-read-model.js';
import type { ChildState, RelativeState } from '../../services/family/state.js';

/**
 * What a caller may see of a family's people follows their scope (DESIGN.md §7):
 * - FULL (the lead organisation, a kept read access, a FULL referral or grant): everything;
 * - DOCUMENTS: names and birth dates, but nothing about where anyone is, and no adverse
 *   relative ("never disclose to": the abuser, the trafficker's family);
 * - STATUS: no names, birth dates, locations or identifiers: the status, blockers, deadlines
 *   and document progress only.
 */
export const FULL = 3;
export const DOCUMENTS = 2;

export const childView = (row: FamilyRow, child: ChildState) => {
  const scope = row.viewer_scope;
  return {
    ...child,
    id: child.childId,
    givenName: scope >= DOCUMENTS ? child.givenName : null,
    birthDate: scope >= DOCUMENTS ? child.birthDate : null,
    arrivalDate: scope >= DOCUMENTS ? (child.arrivalDate ?? null) : null,
    placement: scope >= FULL ? (child.placement ?? null) : null,
    custody: scope >= FULL ? child.custody : null,
  };
};

export const visibleRelatives = (row: FamilyRow, relatives: Iterable<RelativeState>): RelativeState[] =>
  [...relatives].filter((relative) => row.viewer_scope >= FULL || !relative.adverse);

export const relativeView = (row: FamilyRow, relative: RelativeState) => {
  const scope = row.viewer_scope;
  return {
    ...relative,
    id: relative.relativeId,
    givenName: scope >= DOCUMENTS ? relative.givenName : null,
    locationStatus: relative.location,
    locatedCountry: scope >= FULL ? (relative.locatedCountry ?? null) : null,
    notLocatedSince: relative.location === 'TRACING' || relative.location === 'UNREACHABLE' ? (relative.soughtSince ?? null) : null,
  };
};

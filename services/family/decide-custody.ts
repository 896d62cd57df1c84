import { known, rule } from '../shared/domain-error.js';
import type { FamilyCommandOf, FamilyCommandType } from './commands.js';
import type { FamilyEvent } from './events.js';
import { existing, requireTransition } from './lookups.js';
import type { FamilyState } from './state.js';
import { CHILD_CUSTODY } from './transitions.js';
import { overridesUsed, passSafetyGates } from './safety-gates.js';
import { pastDate } from './world-dates.js';

const custodyStep = (s: FamilyState, type: FamilyCommandType, childId: string): void => {
  const child = existing(s.children, childId, 'childId', rule`child`);
  requireTransition(CHILD_CUSTODY, type, child.custody, rule`the child`);
};

export const recordSeparation = (c: FamilyCommandOf<'RecordSeparation'>, s: FamilyState): FamilyEvent[] => {
  pastDate('separatedOn', c.separatedOn, c.issuedAt);
  c.childIds.forEach((childId) => existing(s.children, childId, 'childIds', rule`child`));
  // One sealed copy of the place per child (each under that child's key): an erasure takes exactly that child's copy.
  // A child already erased gets none (nothing personal is recorded about them).
  const places = c.place ? [...new Set(c.childIds)].filter((childId) => s.children.get(childId)?.erased !== true).map((childId) => ({ childId, personal: { subjectId: childId, place: c.place! } })) : [];
  return [{
    type: 'SeparationRecorded',
    data: { separatedOn: c.separatedOn, cause: c.cause, childIds: c.childIds, ...(places.length > 0 ? { places } : {}) },
  }];
};

export const recordChildDetained = (c: FamilyCommandOf<'RecordChildDetained'>, s: FamilyState): FamilyEvent[] => {
  pastDate('detainedOn', c.detainedOn, c.issuedAt);
  custodyStep(s, 'RecordChildDetained', c.childId);
  return [{
    type: 'ChildDetained',
    data: { childId: c.childId, agency: c.agency, detainedOn: c.detainedOn, ...(c.facility ? { personal: { subjectId: c.childId, facility: c.facility } } : {}) },
  }];
};

export const recordChildTransferred = (c: FamilyCommandOf<'RecordChildTransferred'>, s: FamilyState): FamilyEvent[] => {
  pastDate('transferredOn', c.transferredOn, c.issuedAt);
  custodyStep(s, 'RecordChildTransferred', c.childId);
  return [{
    type: 'ChildTransferred',
    data: { childId: c.childId, transferredOn: c.transferredOn, ...(c.facility ? { personal: { subjectId: c.childId, facility: c.facility } } : {}) },
  }];
};

export const recordChildReleased = (c: FamilyCommandOf<'RecordChildReleased'>, s: FamilyState): FamilyEvent[] => {
  pastDate('releasedOn', c.releasedOn, c.issuedAt);
  custodyStep(s, 'RecordChildReleased', c.childId);
  if (c.releasedToRelativeId) existing(s.relatives, c.releasedToRelativeId, 'releasedToRelativeId', rule`relative`);
  const overrides = passSafetyGates(s, { childId: c.childId, caregiverId: c.releasedToRelativeId, leavesTheUs: false, reunifies: false }, known('release the child'));
  return [{
    type: 'ChildReleased',
    data: { childId: c.childId, releasedOn: c.releasedOn, placement: c.placement, ...(c.releasedToRelativeId ? { releasedToRelativeId: c.releasedToRelativeId } : {}), ...overridesUsed(overrides) },
  }];
};

export const changeChildPlacement = (c: FamilyCommandOf<'ChangeChildPlacement'>, s: FamilyState): FamilyEvent[] => {
  pastDate('changedOn', c.changedOn, c.issuedAt);
  existing(s.children, c.childId, 'childId', rule`child`);
  if (c.relativeId) existing(s.relatives, c.relativeId, 'relativeId', rule`relative`);
  const overrides = passSafetyGates(s, { childId: c.childId, caregiverId: c.relativeId, leavesTheUs: false, reunifies: false }, known('change the placement of the child'));
  return [{
    type: 'ChildPlacementChanged',
    data: { childId: c.childId, placement: c.placement, changedOn: c.changedOn, ...(c.relativeId ? { relativeId: c.relativeId } : {}), ...overridesUsed(overrides) },
  }];
};

export const recordChildRepatriated = (c: FamilyCommandOf<'RecordChildRepatriated'>, s: FamilyState): FamilyEvent[] => {
  pastDate('repatriatedOn', c.repatriatedOn, c.issuedAt);
  custodyStep(s, 'RecordChildRepatriated', c.childId);
  const overrides = passSafetyGates(s, { childId: c.childId, caregiverId: undefined, leavesTheUs: true, reunifies: false }, known('repatriate the child'));
  return [{ type: 'ChildRepatriated', data: { childId: c.childId, country: c.country, repatriatedOn: c.repatriatedOn, ...overridesUsed(overrides) } }];
};

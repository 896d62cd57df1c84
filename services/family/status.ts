import type { DeadlineState, DocumentState, FamilyState } from './state.js';
import {
  caregiverCandidates, documentConcerns, documentOpen, isFound, isSought, matterOpen, noParentAvailable, readyToReunify, relativesOf,
} from './child-relations.js';

/**
 * The reunification status of each child and of the family: pure functions of its state, used
 * by the read model, the as-of (time travel) query and the tests alike. Never stored by hand.
 * The blockers beside it are in blockers.ts (re-exported here).
 */
export const REUNIFICATION_STATUSES = [
  'INTAKE', 'SEARCHING', 'IN_CONTACT', 'LEGAL_PROCESS', 'READY_TO_REUNIFY', 'REUNIFIED', 'CLOSED',
] as const;
export type ReunificationStatus = (typeof REUNIFICATION_STATUSES)[number];

export { PARENTS, noParentAvailable } from './child-relations.js';
export { blockers, childBlockers, DEADLINE_HORIZON_DAYS, DEADLINE_HORIZON_MONTHS, type BlockerReading, type DeadlinePrecision } from './blockers.js';

/**
 * One child's status, first match wins: CLOSED; REUNIFIED once the child is reunified;
 * READY_TO_REUNIFY when its custody is recovered, it is released or its reunification is
 * planned; SEARCHING while a relative concerning it is sought and not located; LEGAL_PROCESS
 * while its documents or matters are open; IN_CONTACT once such a relative is located. A child
 * with no parent available (every recorded parent deceased or adverse) is never INTAKE:
 * SEARCHING until another caregiver is known, IN_CONTACT once one is. INTAKE otherwise.
 */
export const childStatus = (state: FamilyState, childId: string): ReunificationStatus => {
  const child = state.children.get(childId);
  if (state.lifecycle === 'CLOSED') return 'CLOSED';
  if (!child) return 'INTAKE';
  if (state.reunifiedChildIds.has(childId)) return 'REUNIFIED';
  if (readyToReunify(child)) return 'READY_TO_REUNIFY';
  const relatives = relativesOf(state, childId);
  if (relatives.some(isSought)) return 'SEARCHING';
  const documents = [...state.documents.values()].filter((document: DocumentState) => documentConcerns(state, document, childId));
  const matters = [...state.matters.values()].filter((matter) => matter.childId === childId);
  if (documents.some(documentOpen) || matters.some(matterOpen)) return 'LEGAL_PROCESS';
  if (relatives.some(isFound)) return 'IN_CONTACT';
  if (noParentAvailable(state, childId)) return caregiverCandidates(state, childId).length > 0 ? 'IN_CONTACT' : 'SEARCHING';
  return 'INTAKE';
};

/** The status of a family with no child registered yet: the same rules over all its relatives, documents and matters. */
const statusWithoutChildren = (state: FamilyState): ReunificationStatus => {
  const relatives = [...state.relatives.values()];
  if (relatives.some(isSought)) return 'SEARCHING';
  if ([...state.documents.values()].some(documentOpen) || [...state.matters.values()].some(matterOpen)) return 'LEGAL_PROCESS';
  if (relatives.some(isFound)) return 'IN_CONTACT';
  return 'INTAKE';
};

const RANK = new Map<ReunificationStatus, number>(REUNIFICATION_STATUSES.map((status, index) => [status, index]));

/**
 * The family's status is derived from its children's: CLOSED when the case is closed;
 * REUNIFIED once every child is; otherwise the least advanced status among the children not
 * yet reunified (a family is only as far along as the child furthest from home).
 */
export const reunificationStatus = (state: FamilyState): ReunificationStatus => {
  if (state.lifecycle === 'CLOSED') return 'CLOSED';
  const children = [...state.children.keys()];
  if (children.length === 0) return statusWithoutChildren(state);
  const open = children.map((childId) => childStatus(state, childId)).filter((status) => status !== 'REUNIFIED');
  if (open.length === 0) return 'REUNIFIED';
  return open.reduce((least, status) => ((RANK.get(status) ?? 0) < (RANK.get(least) ?? 0) ? status : least));
};

export const nextDeadline = (state: FamilyState): DeadlineState | undefined =>
  [...state.deadlines.values()]
    .filter((deadline): deadline is DeadlineState & { dueOn: string } => deadline.status === 'OPEN' && deadline.dueOn !== undefined)
    .sort((a, b) => a.dueOn.localeCompare(b.dueOn))[0];

import type { ChildState, DeadlineState, DocumentState, FamilyState, MatterState, RelativeState } from './state.js';
import type { Relationship } from './vocabulary.js';

/**
 * Who and what concerns which child: the one reading of the family that a child's status, its
 * blockers and the deadlines derived from facts share.
 */

/** Relatives who count as a child's parents when asking whether any parent is available. */
export const PARENTS: readonly Relationship[] = ['MOTHER', 'FATHER', 'STEPMOTHER', 'STEPFATHER'];

export const isSought = (relative: RelativeState): boolean => relative.location === 'TRACING' || relative.location === 'UNREACHABLE';
export const isFound = (relative: RelativeState): boolean => relative.location === 'LOCATED' || relative.location === 'IN_CONTACT';
export const documentOpen = (document: DocumentState): boolean => document.status === 'REQUESTED' || document.status === 'OBTAINED';
export const matterOpen = (matter: MatterState): boolean => matter.status !== 'DECIDED' && matter.status !== 'CUSTODY_RECOVERED';

/** A relative concerns the children a relationship links them to, or every child when none is recorded. */
export const relativesOf = (state: FamilyState, childId: string): RelativeState[] =>
  [...state.relatives.values()].filter((relative) => relative.childIds.length === 0 || relative.childIds.includes(childId));

/** A document about a child concerns that child; about a relative, that relative's children; about no one, every child. */
export const documentConcerns = (state: FamilyState, document: DocumentState, childId: string): boolean => {
  const subject = document.subjectPersonId;
  if (subject === undefined) return true;
  if (state.children.has(subject)) return subject === childId;
  const relative = state.relatives.get(subject);
  return relative === undefined || relative.childIds.length === 0 || relative.childIds.includes(childId);
};

/** The child a deadline concerns (directly or through its matter); undefined: the whole family. */
export const deadlineChild = (state: FamilyState, deadline: DeadlineState): string | undefined =>
  deadline.childId ?? (deadline.matterId ? state.matters.get(deadline.matterId)?.childId : undefined);

/** A parent who cannot take the child back: dead, or recorded as an adverse party. */
const unavailableParent = (relative: RelativeState): boolean => relative.location === 'DECEASED' || relative.adverse;

/**
 * Every parent recorded for the child is deceased or adverse (and at least one is recorded):
 * the child needs another caregiver, found and assessed, and a placement decision.
 */
export const noParentAvailable = (state: FamilyState, childId: string): boolean => {
  const parents = relativesOf(state, childId).filter((relative) => PARENTS.includes(relative.relationship));
  return parents.length > 0 && parents.every(unavailableParent);
};

/** Adults who could care for a child without a parent: not a parent, alive, not adverse, not assessed unsafe. */
export const caregiverCandidates = (state: FamilyState, childId: string): RelativeState[] =>
  relativesOf(state, childId).filter((relative) =>
    !PARENTS.includes(relative.relationship) && !relative.adverse && relative.location !== 'DECEASED' && relative.safetyOutcome !== 'UNSAFE');

/** Custody recovered, released from custody, or a reunification planned: reunification can go ahead. */
export const readyToReunify = (child: ChildState): boolean =>
  child.custodyRecovered || child.custody === 'RELEASED' || child.reunificationPlannedWith !== undefined;

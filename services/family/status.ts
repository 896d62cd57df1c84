import { daysBetween, type CalendarDate } from '../shared/calendar-date.js';
import type { ChildState, DeadlineState, DocumentState, FamilyState, MatterState, RelativeState } from './state.js';
import type { Relationship } from './vocabulary.js';

/**
 * The reunification status and blockers of each child and of the family: pure functions of its
 * state, used by the read model, the as-of (time travel) query and the tests alike. Never
 * stored by hand.
 */
export const REUNIFICATION_STATUSES = [
  'INTAKE', 'SEARCHING', 'IN_CONTACT', 'LEGAL_PROCESS', 'READY_TO_REUNIFY', 'REUNIFIED', 'CLOSED',
] as const;
export type ReunificationStatus = (typeof REUNIFICATION_STATUSES)[number];

/**
 * Open deadlines within this many days are blockers; later ones are only the next deadline.
 * The default of the `horizonDays` argument of `blockers` and `childBlockers`.
 */
export const DEADLINE_HORIZON_DAYS = 90;

/** Relatives who count as a child's parents when asking whether any parent is available. */
export const PARENTS: readonly Relationship[] = ['MOTHER', 'FATHER', 'STEPMOTHER', 'STEPFATHER'];

const isSought = (relative: RelativeState): boolean => relative.location === 'TRACING' || relative.location === 'UNREACHABLE';
const isFound = (relative: RelativeState): boolean => relative.location === 'LOCATED' || relative.location === 'IN_CONTACT';
const documentOpen = (document: DocumentState): boolean => document.status === 'REQUESTED' || document.status === 'OBTAINED';
const matterOpen = (matter: MatterState): boolean => matter.status !== 'DECIDED' && matter.status !== 'CUSTODY_RECOVERED';

/** A relative concerns the children a relationship links them to, or every child when none is recorded. */
export const relativesOf = (state: FamilyState, childId: string): RelativeState[] =>
  [...state.relatives.values()].filter((relative) => relative.childIds.length === 0 || relative.childIds.includes(childId));

/** A document about a child concerns that child; about a relative, that relative's children; about no one, every child. */
const documentConcerns = (state: FamilyState, document: DocumentState, childId: string): boolean => {
  const subject = document.subjectPersonId;
  if (subject === undefined) return true;
  if (state.children.has(subject)) return subject === childId;
  const relative = state.relatives.get(subject);
  return relative === undefined || relative.childIds.length === 0 || relative.childIds.includes(childId);
};

/** The child a deadline concerns (directly or through its matter); undefined: the whole family. */
const deadlineChild = (state: FamilyState, deadline: DeadlineState): string | undefined =>
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
const caregiverCandidates = (state: FamilyState, childId: string): RelativeState[] =>
  relativesOf(state, childId).filter((relative) =>
    !PARENTS.includes(relative.relationship) && !relative.adverse && relative.location !== 'DECEASED' && relative.safetyOutcome !== 'UNSAFE');

/** Custody recovered, released from custody, or a reunification planned: reunification can go ahead. */
const readyToReunify = (child: ChildState): boolean =>
  child.custodyRecovered || child.custody === 'RELEASED' || child.reunificationPlannedWith !== undefined;

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
  const documents = [...state.documents.values()].filter((document) => documentConcerns(state, document, childId));
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

const words = (code: string): string => code.toLowerCase().replaceAll('_', ' ');

const DEADLINE_WORDS: Record<DeadlineState['kind'], string> = {
  SIJ_AGE_OUT: 'SIJ age-out',
  ASYLUM_ONE_YEAR: 'asylum one-year filing deadline',
  HEARING: 'hearing',
  RESPONSE_WINDOW: 'response window',
  OTHER: 'deadline',
};

const deadlineBlocker = (deadline: DeadlineState, today: CalendarDate, horizonDays: number): string | undefined => {
  const days = daysBetween(today, deadline.dueOn);
  const what = DEADLINE_WORDS[deadline.kind];
  if (days < 0) return `${what} passed on ${deadline.dueOn}`;
  if (days === 0) return `${what} today`;
  if (days <= horizonDays) return `${what} in ${String(days)} day${days === 1 ? '' : 's'}`;
  return undefined;
};

const documentBlockers = (document: DocumentState): string[] => {
  const name = words(document.documentType);
  if (document.status === 'REQUESTED') return [`${name} requested, not yet obtained`];
  if (document.status === 'EXPIRED') return [`${name} expired`];
  if (document.status !== 'OBTAINED') return [];
  return [
    ...(document.needsLegalisation && !document.legalised ? [`${name} awaiting apostille`] : []),
    ...(document.needsTranslation && !document.translated ? [`${name} awaiting certified translation`] : []),
    ...(document.needsService && !document.served ? [`${name} awaiting service`] : []),
  ];
};

const relativeBlocker = (relative: RelativeState): string | undefined => {
  const who = words(relative.relationship);
  if (relative.location === 'TRACING') return `${who} not located since ${relative.soughtSince ?? 'an unknown date'}`;
  if (relative.location === 'UNREACHABLE') return `${who} unreachable`;
  return undefined;
};

/** Where the child's custody stands, when it stands in the way: detention (with its last transfer), repatriation not yet followed by reunification. */
const custodyBlocker = (state: FamilyState, child: ChildState): string | undefined => {
  if (state.reunifiedChildIds.has(child.childId)) return undefined;
  const last = <K extends string>(kind: K) => child.placementHistory.filter((step) => step.change === kind).at(-1);
  if (child.custody === 'DETAINED') {
    const detained = last('DETAINED');
    const transferred = child.placementHistory.filter((step) => step.change === 'TRANSFERRED' && detained && step.on >= detained.on).at(-1);
    return `still detained${detained ? ` since ${detained.on}` : ''}${transferred ? `, transferred on ${transferred.on}` : ''}`;
  }
  if (child.custody === 'REPATRIATED') {
    const repatriated = last('REPATRIATED');
    return `repatriated${repatriated ? ` on ${repatriated.on}` : ''}, reunification not yet recorded`;
  }
  return undefined;
};

/** What a child with no parent available needs next: a caregiver found, assessed, then a placement decision. */
const caregiverBlocker = (state: FamilyState, child: ChildState): string | undefined => {
  if (state.reunifiedChildIds.has(child.childId) || readyToReunify(child) || !noParentAvailable(state, child.childId)) return undefined;
  const candidates = caregiverCandidates(state, child.childId);
  if (candidates.length === 0) return 'no parent available (deceased or adverse): another caregiver to be found and assessed';
  const assessed = candidates.filter((relative) => relative.safetyOutcome === 'SAFE' || relative.safetyOutcome === 'CONDITIONAL');
  if (assessed.length === 0) return `no parent available: ${candidates.map((relative) => words(relative.relationship)).join(' or ')} to be assessed as caregiver (safety assessment)`;
  return `no parent available: placement decision needed (${assessed.map((relative) => words(relative.relationship)).join(' or ')} assessed)`;
};

/** A blocker and the children it concerns; `undefined`: the whole family. */
interface Blocker {
  readonly text: string;
  readonly childIds: readonly string[] | undefined;
}

const forChild = (childId: string) => (text: string): Blocker => ({ text, childIds: [childId] });
const forFamily = (text: string): Blocker => ({ text, childIds: undefined });

/** Every blocker of the family, each with the children it concerns, in the order advocates read them. */
const allBlockers = (state: FamilyState, today: CalendarDate, horizonDays: number): Blocker[] => {
  if (state.lifecycle === 'CLOSED') return [];
  const children = [...state.children.values()];
  const childrenOfRelative = (relative: RelativeState): readonly string[] | undefined => (relative.childIds.length > 0 ? relative.childIds : undefined);
  const childrenOfDocument = (document: DocumentState): readonly string[] | undefined => {
    const concerned = children.filter((child) => documentConcerns(state, document, child.childId)).map((child) => child.childId);
    return concerned.length === children.length ? undefined : concerned;
  };
  const openDeadlines = [...state.deadlines.values()]
    .filter((deadline) => deadline.status === 'OPEN')
    .sort((a, b) => a.dueOn.localeCompare(b.dueOn));
  const asylumWithoutArrival = children.filter((child) => !child.arrivalDate && (state.programme === 'ASYLUM' ||
    [...state.matters.values()].some((matter) => matter.matterType === 'ASYLUM' && matter.childId === child.childId)));
  return [
    ...(state.lifecycle === 'SUSPENDED' ? [forFamily("service suspended by a funder's stop-work order")] : []),
    ...children.filter((child) => child.ageReviewRequired).map((child) => forChild(child.childId)('child registered at 18 or older: age needs review')),
    ...children.flatMap((child) => [custodyBlocker(state, child) ?? []].flat().map(forChild(child.childId))),
    ...[...state.relatives.values()].flatMap((relative) => [relativeBlocker(relative) ?? []].flat().map((text) => ({ text, childIds: childrenOfRelative(relative) }))),
    ...children.flatMap((child) => [caregiverBlocker(state, child) ?? []].flat().map(forChild(child.childId))),
    ...[...state.documents.values()].flatMap((document) => documentBlockers(document).map((text) => ({ text, childIds: childrenOfDocument(document) }))),
    ...asylumWithoutArrival.map((child) => forChild(child.childId)('arrival date unknown: asylum one-year deadline cannot be computed')),
    ...openDeadlines.flatMap((deadline) => {
      const text = deadlineBlocker(deadline, today, horizonDays);
      const childId = deadlineChild(state, deadline);
      return text ? [{ text, childIds: childId ? [childId] : undefined }] : [];
    }),
    ...(state.openRedFlags.size > 0 ? [forFamily(`${String(state.openRedFlags.size)} open red flag${state.openRedFlags.size === 1 ? '' : 's'}`)] : []),
  ];
};

/**
 * The non-identifying reference to children in blockers: "child 2", "children 1 and 3", by the
 * order they were registered in. Blockers are shown to STATUS partners, so never names or
 * birth dates.
 */
const childReference = (state: FamilyState, childIds: readonly string[]): string => {
  const order = [...state.children.keys()];
  const numbers = [...new Set(childIds)].map((childId) => order.indexOf(childId) + 1).filter((n) => n > 0).sort((a, b) => a - b).map(String);
  if (numbers.length === 1) return `child ${numbers[0] ?? ''}`;
  return `children ${numbers.slice(0, -1).join(', ')} and ${numbers.at(-1) ?? ''}`;
};

/**
 * What stands between the family and reunification, as sentences an advocate understands.
 * They name relationships and document types, never people: partners with status-only access
 * see them too. In a family of more than one child, a blocker that concerns only some children
 * starts with their reference ("child 2: still detained since 2024-01-05"); one that concerns
 * every child, or the family, does not. `today` turns due dates into "in N days"; deadlines
 * further than `horizonDays` away are not blockers.
 */
export const blockers = (state: FamilyState, today: CalendarDate, horizonDays = DEADLINE_HORIZON_DAYS): string[] => {
  const all = allBlockers(state, today, horizonDays);
  const childCount = state.children.size;
  const grouped = new Map<string, Set<string> | undefined>();
  for (const blocker of all) {
    const before = grouped.has(blocker.text) ? grouped.get(blocker.text) : new Set<string>();
    grouped.set(blocker.text, before === undefined || blocker.childIds === undefined ? undefined : new Set([...before, ...blocker.childIds]));
  }
  return [...grouped].map(([text, childIds]) =>
    childIds === undefined || childCount <= 1 || childIds.size >= childCount || childIds.size === 0 ? text : `${childReference(state, [...childIds])}: ${text}`);
};

/** The blockers that concern one child (its own, and the family's), without a child reference. */
export const childBlockers = (state: FamilyState, childId: string, today: CalendarDate, horizonDays = DEADLINE_HORIZON_DAYS): string[] => [
  ...new Set(allBlockers(state, today, horizonDays).filter((blocker) => blocker.childIds === undefined || blocker.childIds.includes(childId)).map((blocker) => blocker.text)),
];

export const nextDeadline = (state: FamilyState): DeadlineState | undefined =>
  [...state.deadlines.values()]
    .filter((deadline) => deadline.status === 'OPEN')
    .sort((a, b) => a.dueOn.localeCompare(b.dueOn))[0];

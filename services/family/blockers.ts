import { daysBetween, monthOf, monthsBetween, type CalendarDate } from '../shared/calendar-date.js';
import { caregiverCandidates, deadlineChild, documentConcerns, noParentAvailable, readyToReunify } from './child-relations.js';
import { verificationBlockers } from './safety-gates.js';
import type { ChildState, DeadlineState, DocumentState, FamilyState, RelativeState } from './state.js';
import type { AccessScope } from './vocabulary.js';

/**
 * The blockers of a family and of each child: what stands between them and reunification, as
 * sentences an advocate understands. They name relationships, document types and children by
 * number ("child 2"), never people. Pure functions of the state and of what the reader may know.
 */

/** Open deadlines within this many days are blockers; later ones are only the next deadline (TRACKER_DEADLINE_HORIZON_DAYS). */
export const DEADLINE_HORIZON_DAYS = 90;

/** When only the month may be shown: deadlines due within this many calendar months are blockers (for the default horizon). */
export const DEADLINE_HORIZON_MONTHS = 3;

/**
 * How precisely a reader may learn when a deadline falls: the day, the calendar month, or not
 * at all (for a reader who could work a withheld fact out of it; see the read side's allowlist).
 */
export type DeadlinePrecision = 'DAY' | 'MONTH' | 'NONE';

/** What the reader may know, and how far ahead deadlines count. Every field has a default: the lead's reading. */
export interface BlockerReading {
  /**
   * The reader's scope (default FULL). Below DOCUMENTS, custody sentences carry no dates (the
   * dates of custody steps are DOCUMENTS data) and sentences that would tell a safety
   * assessment's outcome (DOCUMENTS data) are replaced by one that does not.
   */
  readonly scope?: AccessScope;
  /** Per deadline, how precisely its timing may be shown (default: the day); deadlines are ordered by what is shown only. */
  readonly precisionOf?: (deadline: DeadlineState) => DeadlinePrecision;
  /** Open deadlines within this many days are blockers (default DEADLINE_HORIZON_DAYS); by month, within ceil(days / 30) months. */
  readonly horizonDays?: number;
}

const words = (code: string): string => code.toLowerCase().replaceAll('_', ' ');

const DEADLINE_WORDS: Record<DeadlineState['kind'], string> = {
  SIJ_AGE_OUT: 'SIJ age-out',
  ASYLUM_ONE_YEAR: 'asylum one-year filing deadline',
  HEARING: 'hearing',
  RESPONSE_WINDOW: 'response window',
  OTHER: 'deadline',
};

const dayBlocker = (deadline: DeadlineState, today: CalendarDate, horizonDays: number): string | undefined => {
  const days = daysBetween(today, deadline.dueOn);
  const what = DEADLINE_WORDS[deadline.kind];
  if (days < 0) return `${what} passed on ${deadline.dueOn}`;
  if (days === 0) return `${what} today`;
  if (days <= horizonDays) return `${what} in ${String(days)} day${days === 1 ? '' : 's'}`;
  return undefined;
};

/** A function of the due month and today's month only, so it never narrows the day down, however often it is read. */
const monthBlocker = (deadline: DeadlineState, today: CalendarDate, horizonMonths: number): string | undefined => {
  const months = monthsBetween(today, deadline.dueOn);
  const what = DEADLINE_WORDS[deadline.kind];
  if (months < 0) return `${what} passed`;
  if (months === 0) return `${what} due this month`;
  if (months > horizonMonths) return undefined;
  if (months === 1) return `${what} due next month`;
  return `${what} due in ${String(months)} months`;
};

/** What a reader at that precision may sort deadlines by: the due day, or only its month. */
const visibleDue = (deadline: DeadlineState, precision: DeadlinePrecision): string =>
  precision === 'DAY' ? deadline.dueOn : precision === 'MONTH' ? monthOf(deadline.dueOn) : '';

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

/**
 * Where the child's custody stands, when it stands in the way: detention (with its last
 * transfer), repatriation not yet followed by reunification. `dated`: with the steps' dates.
 */
const custodyBlocker = (state: FamilyState, child: ChildState, dated: boolean): string | undefined => {
  if (state.reunifiedChildIds.has(child.childId)) return undefined;
  const on = (step: { on: CalendarDate } | undefined, word: string): string => (step && dated ? ` ${word} ${step.on}` : '');
  if (child.custody === 'DETAINED') {
    const detained = child.placementHistory.filter((step) => step.change === 'DETAINED').at(-1);
    const transferred = child.placementHistory.filter((step) => step.change === 'TRANSFERRED' && detained && step.on >= detained.on).at(-1);
    return `still detained${on(detained, 'since')}${transferred ? `, transferred${on(transferred, 'on')}` : ''}`;
  }
  if (child.custody === 'REPATRIATED') {
    const repatriated = child.placementHistory.filter((step) => step.change === 'REPATRIATED').at(-1);
    return `repatriated${on(repatriated, 'on')}, reunification not yet recorded`;
  }
  return undefined;
};

/**
 * What a child with no parent available needs next: a caregiver found, assessed, then a
 * placement decision. `outcomes`: the reader may know safety assessments' outcomes.
 */
const caregiverBlocker = (state: FamilyState, child: ChildState, outcomes: boolean): string | undefined => {
  if (state.reunifiedChildIds.has(child.childId) || readyToReunify(child) || !noParentAvailable(state, child.childId)) return undefined;
  if (!outcomes) return 'no parent available (deceased or adverse): another caregiver to be found and assessed, then a placement decision';
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
const optional = (text: string | undefined): string[] => (text === undefined ? [] : [text]);

/** Every blocker of the family, each with the children it concerns, in the order advocates read them. */
const allBlockers = (state: FamilyState, today: CalendarDate, reading: BlockerReading): Blocker[] => {
  if (state.lifecycle === 'CLOSED') return [];
  const scope = reading.scope ?? 'FULL';
  const precisionOf = reading.precisionOf ?? (() => 'DAY');
  const horizonDays = reading.horizonDays ?? DEADLINE_HORIZON_DAYS;
  const children = [...state.children.values()];
  const childrenOfRelative = (relative: RelativeState): readonly string[] | undefined => (relative.childIds.length > 0 ? relative.childIds : undefined);
  const childrenOfDocument = (document: DocumentState): readonly string[] | undefined => {
    const concerned = children.filter((child) => documentConcerns(state, document, child.childId)).map((child) => child.childId);
    return concerned.length === children.length ? undefined : concerned;
  };
  const openDeadlines = [...state.deadlines.values()]
    .filter((deadline) => deadline.status === 'OPEN')
    .map((deadline) => ({ deadline, precision: precisionOf(deadline) }))
    .sort((a, b) => visibleDue(a.deadline, a.precision).localeCompare(visibleDue(b.deadline, b.precision)));
  const describeDeadline = (deadline: DeadlineState, precision: DeadlinePrecision): string | undefined =>
    precision === 'DAY' ? dayBlocker(deadline, today, horizonDays) : precision === 'MONTH' ? monthBlocker(deadline, today, Math.ceil(horizonDays / 30)) : undefined;
  const asylumWithoutArrival = children.filter((child) => !child.arrivalDate && (state.programme === 'ASYLUM' ||
    [...state.matters.values()].some((matter) => matter.matterType === 'ASYLUM' && matter.childId === child.childId)));
  return [
    ...(state.lifecycle === 'SUSPENDED' ? [forFamily("service suspended by a funder's stop-work order")] : []),
    ...children.filter((child) => child.ageReviewRequired).map((child) => forChild(child.childId)('child registered at 18 or older: age needs review')),
    ...children.flatMap((child) => optional(custodyBlocker(state, child, scope !== 'STATUS')).map(forChild(child.childId))),
    ...[...state.relatives.values()].flatMap((relative) => optional(relativeBlocker(relative)).map((text) => ({ text, childIds: childrenOfRelative(relative) }))),
    ...children.flatMap((child) => optional(caregiverBlocker(state, child, scope !== 'STATUS')).map(forChild(child.childId))),
    ...[...state.documents.values()].flatMap((document) => documentBlockers(document).map((text) => ({ text, childIds: childrenOfDocument(document) }))),
    ...asylumWithoutArrival.map((child) => forChild(child.childId)('arrival date unknown: asylum one-year deadline cannot be computed')),
    ...openDeadlines.flatMap(({ deadline, precision }) => {
      const childId = deadlineChild(state, deadline);
      return optional(describeDeadline(deadline, precision)).map((text) => ({ text, childIds: childId ? [childId] : undefined }));
    }),
    ...verificationBlockers(state, scope !== 'STATUS').map(({ childId, text }) => forChild(childId)(text)),
    ...(state.openRedFlags.size > 0 ? [forFamily(`${String(state.openRedFlags.size)} open red flag${state.openRedFlags.size === 1 ? '' : 's'}`)] : []),
  ];
};

/**
 * The non-identifying reference to children in blockers: "child 2", "children 1 and 3", by the
 * order they were registered in (the same ordinals as the generated ids `child#2` at STATUS).
 */
const childReference = (state: FamilyState, childIds: readonly string[]): string => {
  const order = [...state.children.keys()];
  const numbers = [...new Set(childIds)].map((childId) => order.indexOf(childId) + 1).filter((n) => n > 0).sort((a, b) => a - b).map(String);
  if (numbers.length === 1) return `child ${numbers[0] ?? ''}`;
  return `children ${numbers.slice(0, -1).join(', ')} and ${numbers.at(-1) ?? ''}`;
};

/**
 * The family's blockers. In a family of more than one child, a blocker that concerns only some
 * children starts with their reference ("child 2: still detained since 2024-01-05"); one that
 * concerns every child, or the family, does not. `today` turns due dates into "in N days".
 * Callers hiding people pass a state without them.
 */
export const blockers = (state: FamilyState, today: CalendarDate, reading: BlockerReading = {}): string[] => {
  const all = allBlockers(state, today, reading);
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
export const childBlockers = (state: FamilyState, childId: string, today: CalendarDate, reading: BlockerReading = {}): string[] => [
  ...new Set(allBlockers(state, today, reading).filter((blocker) => blocker.childIds === undefined || blocker.childIds.includes(childId)).map((blocker) => blocker.text)),
];

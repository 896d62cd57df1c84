import { daysBetween, monthOf, monthsBetween, type CalendarDate } from '../shared/calendar-date.js';
import { caregiverCandidates, deadlineChild, documentConcerns, noParentAvailable, readyToReunify } from './child-relations.js';
import { verificationBlockers } from './safety-gates.js';
import type { ChildState, DeadlineState, DocumentState, FamilyState, RelativeState } from './state.js';
import type { AccessScope } from './vocabulary.js';
import { wordBlocker, type BlockerMessage, type Language } from './labels.js';

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
  /** The language of the sentences (default English, the API's `blockers` without an argument); labels.ts words them. */
  readonly language?: Language;
}

/** A deadline whose day is unknown (an erased child's age-out) blocks nothing: nothing tells when it falls. */
const dayBlocker = (deadline: DeadlineState, today: CalendarDate, horizonDays: number): BlockerMessage | undefined => {
  if (deadline.dueOn === undefined) return undefined;
  const days = daysBetween(today, deadline.dueOn);
  const what = { deadline: deadline.kind };
  if (days < 0) return { key: 'deadlinePassedOn', values: { deadline: what, on: deadline.dueOn } };
  if (days === 0) return { key: 'deadlineToday', values: { deadline: what } };
  if (days <= horizonDays) return { key: 'deadlineInDays', values: { deadline: what, count: days } };
  return undefined;
};

/** A function of the due month and today's month only, so it never narrows the day down, however often it is read. */
const monthBlocker = (deadline: DeadlineState, today: CalendarDate, horizonMonths: number): BlockerMessage | undefined => {
  if (deadline.dueOn === undefined) return undefined;
  const months = monthsBetween(today, deadline.dueOn);
  const values = { deadline: { deadline: deadline.kind } };
  if (months < 0) return { key: 'deadlinePassed', values };
  if (months === 0) return { key: 'deadlineThisMonth', values };
  if (months > horizonMonths) return undefined;
  if (months === 1) return { key: 'deadlineNextMonth', values };
  return { key: 'deadlineInMonths', values: { ...values, count: months } };
};

/** What a reader at that precision may sort deadlines by: the due day, or only its month. */
const visibleDue = (deadline: DeadlineState, precision: DeadlinePrecision): string =>
  deadline.dueOn === undefined ? '~' : precision === 'DAY' ? deadline.dueOn : precision === 'MONTH' ? monthOf(deadline.dueOn) : '';

const documentBlockers = (document: DocumentState): BlockerMessage[] => {
  const values = { document: { document: document.documentType } };
  if (document.status === 'REQUESTED') return [{ key: 'documentRequested', values }];
  if (document.status === 'EXPIRED') return [{ key: 'documentExpired', values }];
  if (document.status !== 'OBTAINED') return [];
  return [
    ...(document.needsLegalisation && !document.legalised ? [{ key: 'awaitingApostille', values } as const] : []),
    ...(document.needsTranslation && !document.translated ? [{ key: 'awaitingTranslation', values } as const] : []),
    ...(document.needsService && !document.served ? [{ key: 'awaitingService', values } as const] : []),
  ];
};

const relativeBlocker = (relative: RelativeState): BlockerMessage | undefined => {
  const who = { relationship: relative.relationship };
  if (relative.location === 'TRACING') {
    return relative.soughtSince ? { key: 'notLocatedSince', values: { who, since: relative.soughtSince } } : { key: 'notLocatedSinceUnknown', values: { who } };
  }
  if (relative.location === 'UNREACHABLE') return { key: 'unreachable', values: { who } };
  return undefined;
};

/**
 * Where the child's custody stands, when it stands in the way: detention (with its last
 * transfer), repatriation not yet followed by reunification. `dated`: with the steps' dates.
 */
const custodyBlocker = (state: FamilyState, child: ChildState, dated: boolean): BlockerMessage | undefined => {
  if (state.reunifiedChildIds.has(child.childId)) return undefined;
  const on = (step: { on: CalendarDate } | undefined): CalendarDate | undefined => (step && dated ? step.on : undefined);
  if (child.custody === 'DETAINED') {
    const detained = child.placementHistory.filter((step) => step.change === 'DETAINED').at(-1);
    const transferred = child.placementHistory.filter((step) => step.change === 'TRANSFERRED' && detained && step.on >= detained.on).at(-1);
    const since = on(detained);
    // A transfer counts only after a detention: dated, both have their dates; undated, neither.
    const transferredOn = on(transferred);
    if (transferred) return since && transferredOn ? { key: 'detainedSinceTransferredOn', values: { since, on: transferredOn } } : { key: 'detainedTransferred' };
    return since ? { key: 'detainedSince', values: { since } } : { key: 'detained' };
  }
  if (child.custody === 'REPATRIATED') {
    const repatriatedOn = on(child.placementHistory.filter((step) => step.change === 'REPATRIATED').at(-1));
    return repatriatedOn ? { key: 'repatriatedOn', values: { on: repatriatedOn } } : { key: 'repatriated' };
  }
  return undefined;
};

/**
 * What a child with no parent available needs next: a caregiver found, assessed, then a
 * placement decision. `outcomes`: the reader may know safety assessments' outcomes.
 */
const caregiverBlocker = (state: FamilyState, child: ChildState, outcomes: boolean): BlockerMessage | undefined => {
  if (state.reunifiedChildIds.has(child.childId) || readyToReunify(child) || !noParentAvailable(state, child.childId)) return undefined;
  if (!outcomes) return { key: 'caregiverToFindThenPlace' };
  const candidates = caregiverCandidates(state, child.childId);
  if (candidates.length === 0) return { key: 'caregiverToFind' };
  const assessed = candidates.filter((relative) => relative.safetyOutcome === 'SAFE' || relative.safetyOutcome === 'CONDITIONAL');
  if (assessed.length === 0) return { key: 'caregiverToAssess', values: { candidates: { relationships: candidates.map((relative) => relative.relationship) } } };
  return { key: 'placementDecision', values: { assessed: { relationships: assessed.map((relative) => relative.relationship) } } };
};

/** A blocker and the children it concerns; `undefined`: the whole family. `text`: its English words, by which equal blockers are merged. */
interface Blocker {
  readonly message: BlockerMessage;
  readonly text: string;
  readonly childIds: readonly string[] | undefined;
}

const blocker = (message: BlockerMessage, childIds: readonly string[] | undefined): Blocker => ({ message, text: wordBlocker(message, 'en'), childIds });
const forChild = (childId: string) => (message: BlockerMessage): Blocker => blocker(message, [childId]);
const forFamily = (message: BlockerMessage): Blocker => blocker(message, undefined);
const optional = (message: BlockerMessage | undefined): BlockerMessage[] => (message === undefined ? [] : [message]);

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
  const describeDeadline = (deadline: DeadlineState, precision: DeadlinePrecision): BlockerMessage | undefined =>
    precision === 'DAY' ? dayBlocker(deadline, today, horizonDays) : precision === 'MONTH' ? monthBlocker(deadline, today, Math.ceil(horizonDays / 30)) : undefined;
  const asylumWithoutArrival = children.filter((child) => !child.arrivalDate && (state.programme === 'ASYLUM' ||
    [...state.matters.values()].some((matter) => matter.matterType === 'ASYLUM' && matter.childId === child.childId)));
  return [
    ...(state.lifecycle === 'SUSPENDED' ? [forFamily({ key: 'suspended' })] : []),
    ...children.filter((child) => child.ageReviewRequired).map((child) => forChild(child.childId)({ key: 'ageReview' })),
    ...children.flatMap((child) => optional(custodyBlocker(state, child, scope !== 'STATUS')).map(forChild(child.childId))),
    ...[...state.relatives.values()].flatMap((relative) => optional(relativeBlocker(relative)).map((message) => blocker(message, childrenOfRelative(relative)))),
    ...children.flatMap((child) => optional(caregiverBlocker(state, child, scope !== 'STATUS')).map(forChild(child.childId))),
    ...[...state.documents.values()].flatMap((document) => documentBlockers(document).map((message) => blocker(message, childrenOfDocument(document)))),
    ...asylumWithoutArrival.map((child) => forChild(child.childId)({ key: 'arrivalUnknown' })),
    ...openDeadlines.flatMap(({ deadline, precision }) => {
      const childId = deadlineChild(state, deadline);
      return optional(describeDeadline(deadline, precision)).map((message) => blocker(message, childId ? [childId] : undefined));
    }),
    ...verificationBlockers(state, scope !== 'STATUS').map(({ childId, message }) => forChild(childId)(message)),
    ...(state.openRedFlags.size > 0 ? [forFamily({ key: 'redFlags', values: { count: state.openRedFlags.size } })] : []),
  ];
};

/**
 * The non-identifying reference to children in blockers: "child 2", "children 1 and 3", by the
 * order they were registered in (the same ordinals as the generated ids `child#2` at STATUS).
 */
const forChildren = (state: FamilyState, childIds: readonly string[], text: string): BlockerMessage => {
  const order = [...state.children.keys()];
  const numbers = [...new Set(childIds)].map((childId) => order.indexOf(childId) + 1).filter((n) => n > 0).sort((a, b) => a - b).map(String);
  if (numbers.length === 1) return { key: 'oneChild', values: { number: numbers[0] ?? '', text } };
  return { key: 'someChildren', values: { numbers: numbers.slice(0, -1).join(', '), last: numbers.at(-1) ?? '', text } };
};

/**
 * The family's blockers. In a family of more than one child, a blocker that concerns only some
 * children starts with their reference ("child 2: still detained since 2024-01-05"); one that
 * concerns every child, or the family, does not. `today` turns due dates into "in N days".
 * Callers hiding people pass a state without them.
 */
export const blockers = (state: FamilyState, today: CalendarDate, reading: BlockerReading = {}): string[] => {
  const language = reading.language ?? 'en';
  const all = allBlockers(state, today, reading);
  const childCount = state.children.size;
  const grouped = new Map<string, { message: BlockerMessage; childIds: Set<string> | undefined }>();
  for (const { text, message, childIds } of all) {
    const before = grouped.get(text);
    const children = before ? before.childIds : new Set<string>();
    grouped.set(text, { message: before?.message ?? message, childIds: children === undefined || childIds === undefined ? undefined : new Set([...children, ...childIds]) });
  }
  return [...grouped.values()].map(({ message, childIds }) =>
    childIds === undefined || childCount <= 1 || childIds.size >= childCount || childIds.size === 0
      ? wordBlocker(message, language)
      : wordBlocker(forChildren(state, [...childIds], wordBlocker(message, language)), language));
};

/** The blockers that concern one child (its own, and the family's), without a child reference. */
export const childBlockers = (state: FamilyState, childId: string, today: CalendarDate, reading: BlockerReading = {}): string[] => {
  const concerning = allBlockers(state, today, reading).filter((blocker) => blocker.childIds === undefined || blocker.childIds.includes(childId));
  const byText = new Map(concerning.map((blocker) => [blocker.text, blocker.message] as const));
  return [...byText.values()].map((message) => wordBlocker(message, reading.language ?? 'en'));
};

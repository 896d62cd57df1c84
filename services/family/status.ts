import { daysBetween, monthOf, monthsBetween, type CalendarDate } from '../shared/calendar-date.js';
import type { DeadlineState, DocumentState, FamilyState, RelativeState } from './state.js';

/**
 * The reunification status and blockers of a family: one pure function of its state, used by
 * the read model, the as-of (time travel) query and the tests alike. Never stored by hand.
 */
export const REUNIFICATION_STATUSES = [
  'INTAKE', 'SEARCHING', 'IN_CONTACT', 'LEGAL_PROCESS', 'READY_TO_REUNIFY', 'REUNIFIED', 'CLOSED',
] as const;
export type ReunificationStatus = (typeof REUNIFICATION_STATUSES)[number];

const isSought = (relative: RelativeState): boolean => relative.location === 'TRACING' || relative.location === 'UNREACHABLE';
const isFound = (relative: RelativeState): boolean => relative.location === 'LOCATED' || relative.location === 'IN_CONTACT';
const documentOpen = (document: DocumentState): boolean => document.status === 'REQUESTED' || document.status === 'OBTAINED';
const matterOpen = (state: FamilyState): boolean =>
  [...state.matters.values()].some((matter) => matter.status !== 'DECIDED' && matter.status !== 'CUSTODY_RECOVERED');

/**
 * Precedence, first match wins: CLOSED; REUNIFIED once every registered child is reunified;
 * READY_TO_REUNIFY when custody is recovered, a child released, or reunification planned;
 * SEARCHING while anyone sought is not located (finding them blocks everything after);
 * LEGAL_PROCESS while documents or matters are open; IN_CONTACT once someone is located;
 * INTAKE otherwise.
 */
export const reunificationStatus = (state: FamilyState): ReunificationStatus => {
  const children = [...state.children.values()];
  const relatives = [...state.relatives.values()];
  if (state.lifecycle === 'CLOSED') return 'CLOSED';
  if (children.length > 0 && children.every((child) => state.reunifiedChildIds.has(child.childId))) return 'REUNIFIED';
  if (state.reunificationPlanned || children.some((child) => child.custodyRecovered || child.custody === 'RELEASED')) {
    return 'READY_TO_REUNIFY';
  }
  if (relatives.some(isSought)) return 'SEARCHING';
  if ([...state.documents.values()].some(documentOpen) || matterOpen(state)) return 'LEGAL_PROCESS';
  if (relatives.some(isFound)) return 'IN_CONTACT';
  return 'INTAKE';
};

const words = (code: string): string => code.toLowerCase().replaceAll('_', ' ');

const DEADLINE_WORDS: Record<DeadlineState['kind'], string> = {
  SIJ_AGE_OUT: 'SIJ age-out',
  ASYLUM_ONE_YEAR: 'asylum one-year filing deadline',
  HEARING: 'hearing',
  RESPONSE_WINDOW: 'response window',
  OTHER: 'deadline',
};

/** Open deadlines within this many days are blockers; later ones are only the next deadline. */
export const DEADLINE_HORIZON_DAYS = 90;

const deadlineBlocker = (deadline: DeadlineState, today: CalendarDate): string | undefined => {
  const days = daysBetween(today, deadline.dueOn);
  const what = DEADLINE_WORDS[deadline.kind];
  if (days < 0) return `${what} passed on ${deadline.dueOn}`;
  if (days === 0) return `${what} today`;
  if (days <= DEADLINE_HORIZON_DAYS) return `${what} in ${String(days)} day${days === 1 ? '' : 's'}`;
  return undefined;
};

/**
 * How precisely a reader may learn when a deadline falls: the day, the calendar month, or not
 * at all (for a reader who could work a withheld fact out of it; see the read side's allowlist).
 */
export type DeadlinePrecision = 'DAY' | 'MONTH' | 'NONE';

/** When only the month may be shown: deadlines due within this many calendar months are blockers. */
export const DEADLINE_HORIZON_MONTHS = 3;

/** A function of the due month and today's month only, so it never narrows the day down, however often it is read. */
const monthBlocker = (deadline: DeadlineState, today: CalendarDate): string | undefined => {
  const months = monthsBetween(today, deadline.dueOn);
  const what = DEADLINE_WORDS[deadline.kind];
  if (months < 0) return `${what} passed`;
  if (months === 0) return `${what} due this month`;
  if (months === 1) return `${what} due next month`;
  if (months <= DEADLINE_HORIZON_MONTHS) return `${what} due in ${String(months)} months`;
  return undefined;
};

const describeDeadline = (deadline: DeadlineState, today: CalendarDate, precision: DeadlinePrecision): string | undefined =>
  precision === 'DAY' ? deadlineBlocker(deadline, today) : precision === 'MONTH' ? monthBlocker(deadline, today) : undefined;

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
 * What stands between the family and reunification, as sentences an advocate understands.
 * They name relationships and document types, never people. `today` turns due dates into "in N
 * days"; `precisionOf` says, per deadline, how precisely its timing may be shown (the day by
 * default; the read side passes less for partners who may not learn the day), and deadlines are
 * ordered by what is shown only. Callers hiding people pass a state without them.
 */
export const blockers = (state: FamilyState, today: CalendarDate, precisionOf: (deadline: DeadlineState) => DeadlinePrecision = () => 'DAY'): string[] => {
  if (state.lifecycle === 'CLOSED') return [];
  const openDeadlines = [...state.deadlines.values()]
    .filter((deadline) => deadline.status === 'OPEN')
    .map((deadline) => ({ deadline, precision: precisionOf(deadline) }))
    .sort((a, b) => visibleDue(a.deadline, a.precision).localeCompare(visibleDue(b.deadline, b.precision)));
  return [
    ...(state.lifecycle === 'SUSPENDED' ? ["service suspended by a funder's stop-work order"] : []),
    ...[...state.children.values()].filter((child) => child.ageReviewRequired).map(() => 'child registered at 18 or older: age needs review'),
    ...[...state.relatives.values()].flatMap((relative) => relativeBlocker(relative) ?? []),
    ...[...state.documents.values()].flatMap(documentBlockers),
    ...[...state.matters.values()]
      .filter((matter) => matter.matterType === 'ASYLUM' && !state.children.get(matter.childId)?.arrivalDate)
      .map(() => 'arrival date unknown: asylum one-year deadline cannot be computed'),
    ...openDeadlines.flatMap(({ deadline, precision }) => describeDeadline(deadline, today, precision) ?? []),
    ...(state.openRedFlags.size > 0 ? [`${String(state.openRedFlags.size)} open red flag${state.openRedFlags.size === 1 ? '' : 's'}`] : []),
  ];
};

export const nextDeadline = (state: FamilyState): DeadlineState | undefined =>
  [...state.deadlines.values()]
    .filter((deadline) => deadline.status === 'OPEN')
    .sort((a, b) => a.dueOn.localeCompare(b.dueOn))[0];

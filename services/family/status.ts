import { daysBetween, type CalendarDate } from '../shared/calendar-date.js';
import { verificationBlockers } from './safety-gates.js';
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
 * They name relationships and document types, never people: partners with status-only access
 * see them too. `today` turns due dates into "in N days".
 */
export const blockers = (state: FamilyState, today: CalendarDate): string[] => {
  if (state.lifecycle === 'CLOSED') return [];
  const openDeadlines = [...state.deadlines.values()]
    .filter((deadline) => deadline.status === 'OPEN')
    .sort((a, b) => a.dueOn.localeCompare(b.dueOn));
  return [
    ...(state.lifecycle === 'SUSPENDED' ? ["service suspended by a funder's stop-work order"] : []),
    ...[...state.children.values()].filter((child) => child.ageReviewRequired).map(() => 'child registered at 18 or older: age needs review'),
    ...[...state.relatives.values()].flatMap((relative) => relativeBlocker(relative) ?? []),
    ...[...state.documents.values()].flatMap(documentBlockers),
    ...[...state.matters.values()]
      .filter((matter) => matter.matterType === 'ASYLUM' && !state.children.get(matter.childId)?.arrivalDate)
      .map(() => 'arrival date unknown: asylum one-year deadline cannot be computed'),
    ...openDeadlines.flatMap((deadline) => deadlineBlocker(deadline, today) ?? []),
    ...verificationBlockers(state),
    ...(state.openRedFlags.size > 0 ? [`${String(state.openRedFlags.size)} open red flag${state.openRedFlags.size === 1 ? '' : 's'}`] : []),
  ];
};

export const nextDeadline = (state: FamilyState): DeadlineState | undefined =>
  [...state.deadlines.values()]
    .filter((deadline) => deadline.status === 'OPEN')
    .sort((a, b) => a.dueOn.localeCompare(b.dueOn))[0];

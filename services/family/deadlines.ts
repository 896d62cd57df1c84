import { addDays, addYears, type CalendarDate } from '../shared/calendar-date.js';
import type { FamilyEvent } from './events.js';
import type { ChildState, FamilyState } from './state.js';
import { noParentAvailable } from './child-relations.js';

/**
 * Deadlines that follow from facts. SIJ: the child must obtain the state court's findings
 * before ageing out of that court's juvenile jurisdiction, and federal law caps SIJ at 21.
 * The table lists the age at which each state's court loses jurisdiction for SIJ purposes;
 * it is configuration, to be confirmed by counsel for each state an organisation works in.
 * A state missing from the table gets the most cautious limit, 18.
 */
export const FEDERAL_SIJ_AGE_LIMIT = 21;
export const DEFAULT_STATE_SIJ_AGE_LIMIT = 18;

export const SIJ_AGE_LIMITS: Readonly<Record<string, number>> = {
  'US-CA': 21, 'US-NY': 21, 'US-NJ': 21, 'US-MD': 21, 'US-MA': 21, 'US-IL': 21, 'US-WA': 21, 'US-OR': 21,
  'US-CT': 21, 'US-VT': 21, 'US-CO': 21, 'US-MN': 21, 'US-HI': 21, 'US-NV': 21, 'US-DC': 21,
  'US-NE': 19, 'US-AL': 19, 'US-MS': 21,
  'US-TX': 18, 'US-FL': 18, 'US-GA': 18, 'US-NC': 18, 'US-AZ': 18, 'US-LA': 18, 'US-TN': 18,
};

export const sijAgeLimit = (jurisdiction: string): number =>
  Math.min(FEDERAL_SIJ_AGE_LIMIT, SIJ_AGE_LIMITS[jurisdiction] ?? DEFAULT_STATE_SIJ_AGE_LIMIT);

/** The last day the child is still under the limit. */
export const sijAgeOutDate = (birthDate: CalendarDate, jurisdiction: string): CalendarDate =>
  addDays(addYears(birthDate, sijAgeLimit(jurisdiction)), -1);

/** Asylum must be filed within one year of the last arrival. */
export const asylumOneYearDate = (arrivalDate: CalendarDate): CalendarDate => addDays(addYears(arrivalDate, 1), -1);

export const sijDeadlineId = (matterId: string): string => `${matterId}-sij-age-out`;
export const asylumDeadlineId = (matterId: string): string => `${matterId}-asylum-one-year`;
/** Deadlines computed for a child before (or without) a matter carry the child's id. */
export const childSijDeadlineId = (childId: string): string => `${childId}-sij-age-out`;
export const childAsylumDeadlineId = (childId: string): string => `${childId}-asylum-one-year`;

/** A US state jurisdiction (`US-NY`), as opposed to federal `US` or another country's. */
const US_STATE = /^US-[A-Z]{2}$/;

/**
 * Why a child may be eligible for SIJ, from the programme and the recorded facts: the family's
 * programme is SIJ; an SIJ matter is open for the child; an ABUSE protection concern about the
 * child (or about no one named, so about every child); a separation recorded as ABANDONMENT; or
 * no parent available (every recorded parent deceased or adverse: the "similar basis" of state
 * law). A deported parent (PARENT_DEPORTED) is not by itself a ground: an advocate who judges
 * the facts support one records the concern or opens the matter. Undefined: no ground recorded.
 */
export const sijGround = (state: FamilyState, child: ChildState): string | undefined => {
  if ([...state.matters.values()].some((matter) => matter.matterType === 'SIJ' && matter.childId === child.childId)) return 'SIJ matter';
  if (state.programme === 'SIJ') return 'SIJ programme';
  if ([...state.protectionConcerns.values()].some((concern) => concern.kind === 'ABUSE' && (concern.subjectPersonId === undefined || concern.subjectPersonId === child.childId))) {
    return 'abuse concern';
  }
  if (child.separationCauses.includes('ABANDONMENT')) return 'abandonment';
  if (noParentAvailable(state, child.childId)) return 'no parent available';
  return undefined;
};

/** The jurisdiction whose age limit applies: the child's first SIJ matter's, else its first matter in a US state, else unknown. */
export const residenceJurisdiction = (state: FamilyState, childId: string): string | undefined => {
  const matters = [...state.matters.values()].filter((matter) => matter.childId === childId && US_STATE.test(matter.jurisdiction));
  return (matters.find((matter) => matter.matterType === 'SIJ') ?? matters[0])?.jurisdiction;
};

const ageLimitText = (jurisdiction: string | undefined): string =>
  jurisdiction === undefined
    ? `birthDate;age limit ${String(DEFAULT_STATE_SIJ_AGE_LIMIT)} (state of residence unknown)`
    : `birthDate;age limit ${String(sijAgeLimit(jurisdiction))} in ${jurisdiction}`;

const ageOut = (birthDate: CalendarDate, jurisdiction: string | undefined): CalendarDate =>
  jurisdiction === undefined ? addDays(addYears(birthDate, DEFAULT_STATE_SIJ_AGE_LIMIT), -1) : sijAgeOutDate(birthDate, jurisdiction);

type Derived = FamilyEvent[];

/** An age-out day tells the birth date: its dates go under the child's `personal` (sealed, erased with the child). */
const sijEvents = (before: FamilyState, after: FamilyState, child: ChildState, today: CalendarDate): Derived => {
  // An erased child has no birth date: the age-out deadlines already set stay as recorded (facts of the case), none is derived again.
  const birthDate = child.birthDate;
  if (birthDate === undefined) return [];
  const stored = [...after.deadlines.values()].filter((deadline) => deadline.kind === 'SIJ_AGE_OUT' && deadline.childId === child.childId);
  if (stored.length === 0) {
    const ground = sijGround(after, child);
    if (!ground) return [];
    const matter = [...after.matters.values()].find((m) => m.matterType === 'SIJ' && m.childId === child.childId);
    const jurisdiction = matter?.jurisdiction ?? residenceJurisdiction(after, child.childId);
    const dueOn = ageOut(birthDate, jurisdiction);
    // Potential eligibility alone does not open a deadline that has already passed.
    if (!matter && dueOn < today) return [];
    return [{
      type: 'DeadlineSet',
      data: {
        deadlineId: matter ? sijDeadlineId(matter.matterId) : childSijDeadlineId(child.childId), kind: 'SIJ_AGE_OUT',
        ...(matter ? { matterId: matter.matterId } : {}), childId: child.childId, derivedFrom: ageLimitText(jurisdiction),
        personal: { subjectId: child.childId, dueOn },
      },
    }];
  }
  const birthCorrected = before.children.get(child.childId)?.birthDate !== child.birthDate;
  return stored
    .filter((deadline) => deadline.status === 'OPEN' && deadline.derivedFrom !== undefined)
    .flatMap((deadline) => {
      const matter = deadline.matterId ? after.matters.get(deadline.matterId) : undefined;
      const jurisdiction = matter?.jurisdiction ?? residenceJurisdiction(after, child.childId);
      const dueOn = ageOut(birthDate, jurisdiction);
      // A new basis (the state of residence now known, or another) is recorded even when the day
      // stays the same: whether an event follows must not tell a reader who may not learn the
      // age-out's timing (DOCUMENTS) whether that state's age limit differs from the default.
      const newBasis = !birthCorrected && ageLimitText(jurisdiction) !== deadline.derivedFrom;
      return dueOn === deadline.dueOn && !newBasis ? [] : [{
        type: 'DeadlineRecomputed' as const,
        data: {
          deadlineId: deadline.deadlineId, derivedFrom: birthCorrected ? 'corrected birthDate' : ageLimitText(jurisdiction),
          personal: { subjectId: child.childId, ...(deadline.dueOn === undefined ? {} : { previousDueOn: deadline.dueOn }), dueOn },
        },
      }];
    });
};

const asylumEvents = (before: FamilyState, after: FamilyState, child: ChildState): Derived => {
  const arrivalDate = child.arrivalDate;
  if (!arrivalDate) return [];
  const matter = [...after.matters.values()].find((m) => m.matterType === 'ASYLUM' && m.childId === child.childId);
  const stored = [...after.deadlines.values()].filter((deadline) => deadline.kind === 'ASYLUM_ONE_YEAR' && deadline.childId === child.childId);
  const dueOn = asylumOneYearDate(arrivalDate);
  if (stored.length === 0) {
    if (!matter && after.programme !== 'ASYLUM') return [];
    return [{
      type: 'DeadlineSet',
      data: {
        deadlineId: matter ? asylumDeadlineId(matter.matterId) : childAsylumDeadlineId(child.childId), kind: 'ASYLUM_ONE_YEAR',
        ...(matter ? { matterId: matter.matterId } : {}), childId: child.childId, dueOn, derivedFrom: 'arrivalDate;one year',
      },
    }];
  }
  const arrivalCorrected = before.children.get(child.childId)?.arrivalDate !== arrivalDate;
  return stored
    .filter((deadline) => deadline.status === 'OPEN' && deadline.derivedFrom !== undefined && deadline.dueOn !== dueOn)
    .map((deadline) => ({
      type: 'DeadlineRecomputed' as const,
      data: { deadlineId: deadline.deadlineId, ...(deadline.dueOn === undefined ? {} : { previousDueOn: deadline.dueOn }), dueOn, derivedFrom: arrivalCorrected ? 'corrected arrivalDate' : 'arrivalDate;one year' },
    }));
};

/**
 * The deadlines that follow from the facts, kept in step with them after every command: for
 * each child, one SIJ age-out deadline once a ground for SIJ is recorded (see `sijGround`),
 * from the birth date and the age limit of the state of residence (`residenceJurisdiction`,
 * else the cautious default of 18), and one asylum one-year deadline in the ASYLUM programme
 * or once an asylum matter is open, from the arrival date. Derived deadlines that are still
 * open move (DeadlineRecomputed) when a birth or arrival date is corrected or the state
 * becomes known; deadlines set by hand are never moved. `before` and `after` are the family
 * before and after the command's own events; the result is appended after them.
 */
export const derivedDeadlineEvents = (before: FamilyState, after: FamilyState, today: CalendarDate): FamilyEvent[] => {
  if (!after.exists || after.lifecycle === 'CLOSED') return [];
  return [...after.children.values()].flatMap((child) => [...sijEvents(before, after, child, today), ...asylumEvents(before, after, child)]);
};

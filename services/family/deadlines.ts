import { addDays, addYears, type CalendarDate } from '../shared/calendar-date.js';
import type { FamilyEvent } from './events.js';
import type { ChildState, FamilyState, MatterState } from './state.js';

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

/** The deadline a newly opened matter brings with it, if the facts allow computing one. */
export const deadlinesForNewMatter = (matter: Omit<MatterState, 'status'>, child: ChildState): FamilyEvent[] => {
  if (matter.matterType === 'SIJ') {
    return [{
      type: 'DeadlineSet',
      data: {
        deadlineId: sijDeadlineId(matter.matterId), kind: 'SIJ_AGE_OUT', matterId: matter.matterId, childId: child.childId,
        dueOn: sijAgeOutDate(child.birthDate, matter.jurisdiction), derivedFrom: `birthDate;age limit ${String(sijAgeLimit(matter.jurisdiction))} in ${matter.jurisdiction}`,
      },
    }];
  }
  if (matter.matterType === 'ASYLUM' && child.arrivalDate) {
    return [{
      type: 'DeadlineSet',
      data: {
        deadlineId: asylumDeadlineId(matter.matterId), kind: 'ASYLUM_ONE_YEAR', matterId: matter.matterId, childId: child.childId,
        dueOn: asylumOneYearDate(child.arrivalDate), derivedFrom: 'arrivalDate;one year',
      },
    }];
  }
  return [];
};

/** After an arrival-date correction: every open asylum one-year deadline of that child, recomputed. */
export const recomputedAsylumDeadlines = (state: FamilyState, childId: string, arrivalDate: CalendarDate): FamilyEvent[] =>
  [...state.deadlines.values()]
    .filter((deadline) => deadline.kind === 'ASYLUM_ONE_YEAR' && deadline.childId === childId && deadline.status === 'OPEN')
    .flatMap((deadline) => {
      const dueOn = asylumOneYearDate(arrivalDate);
      return dueOn === deadline.dueOn
        ? []
        : [{ type: 'DeadlineRecomputed' as const, data: { deadlineId: deadline.deadlineId, previousDueOn: deadline.dueOn, dueOn, derivedFrom: 'corrected arrivalDate' } }];
    });

/** Asylum deadlines for matters opened before the arrival date was known. */
export const newAsylumDeadlines = (state: FamilyState, child: ChildState, arrivalDate: CalendarDate): FamilyEvent[] =>
  [...state.matters.values()]
    .filter((matter) => matter.matterType === 'ASYLUM' && matter.childId === child.childId && !state.deadlines.has(asylumDeadlineId(matter.matterId)))
    .flatMap((matter) => deadlinesForNewMatter(matter, { ...child, arrivalDate }));

/** After a birth-date correction: every open age-out deadline of that child, recomputed. */
export const recomputedAgeOutDeadlines = (state: FamilyState, childId: string, birthDate: CalendarDate): FamilyEvent[] =>
  [...state.deadlines.values()]
    .filter((deadline) => deadline.kind === 'SIJ_AGE_OUT' && deadline.childId === childId && deadline.status === 'OPEN' && deadline.matterId)
    .flatMap((deadline) => {
      const matter = state.matters.get(deadline.matterId ?? '');
      if (!matter) return [];
      const dueOn = sijAgeOutDate(birthDate, matter.jurisdiction);
      return dueOn === deadline.dueOn
        ? []
        : [{ type: 'DeadlineRecomputed' as const, data: { deadlineId: deadline.deadlineId, previousDueOn: deadline.dueOn, dueOn, derivedFrom: 'corrected birthDate' } }];
    });

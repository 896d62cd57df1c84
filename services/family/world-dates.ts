import { dateOf, type CalendarDate } from '../shared/calendar-date.js';
import { badInput, rule } from '../shared/domain-error.js';

/** A date of something that already happened: not after the day the command arrived. */
export const pastDate = (field: string, value: CalendarDate, issuedAt: string): CalendarDate => {
  if (value > dateOf(issuedAt)) throw badInput(field, rule`must not be in the future`);
  return value;
};

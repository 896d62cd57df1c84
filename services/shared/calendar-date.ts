import { badInput, rule } from './domain-error.js';

/** A calendar date, strictly `YYYY-MM-DD`, that exists in the calendar. */
export type CalendarDate = string & { readonly __brand: 'CalendarDate' };

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** `2024-02-30`, `2023-02-29`, `2024-1-5` and `2024-13-01` are errors, never rolled over. */
export const isCalendarDate = (text: string): text is CalendarDate => {
  const match = DATE_PATTERN.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
};

/** An RFC 3339 instant with an offset, on a real calendar day: see instant.ts. */
export { isInstant } from './instant.js';

export const parseCalendarDate = (field: string, text: string): CalendarDate => {
  if (!isCalendarDate(text)) throw badInput(field, rule`must be a real calendar date as YYYY-MM-DD`);
  return text;
};

export const dateOf = (instant: string): CalendarDate => instant.slice(0, 10) as CalendarDate;

const toUtc = (date: CalendarDate): Date => new Date(`${date}T00:00:00Z`);
const fromUtc = (date: Date): CalendarDate => date.toISOString().slice(0, 10) as CalendarDate;

/** The same month and day `years` later; 29 February falls to 28 February in common years. */
export const addYears = (date: CalendarDate, years: number): CalendarDate => {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const targetYear = year + years;
  const clampedDay = Math.min(day, daysInMonth(targetYear, month));
  return `${String(targetYear).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(clampedDay).padStart(2, '0')}` as CalendarDate;
};

export const addDays = (date: CalendarDate, days: number): CalendarDate => {
  const shifted = toUtc(date);
  shifted.setUTCDate(shifted.getUTCDate() + days);
  return fromUtc(shifted);
};

export const daysBetween = (from: CalendarDate, to: CalendarDate): number =>
  Math.round((toUtc(to).getTime() - toUtc(from).getTime()) / 86_400_000);

/** The calendar month of a date, `YYYY-MM`. */
export const monthOf = (date: CalendarDate): string => date.slice(0, 7);

/** Calendar months from the month of `from` to the month of `to` (the days are ignored). */
export const monthsBetween = (from: CalendarDate, to: CalendarDate): number => {
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  return (ty - fy) * 12 + (tm - fm);
};

/** The last day of the date's month. */
export const lastDayOfMonth = (date: CalendarDate): CalendarDate => {
  const [year, month] = date.split('-').map(Number) as [number, number];
  return fromUtc(new Date(Date.UTC(year, month, 0)));
};

/** Whole years from `birthDate` to `on`. */
export const ageOn = (birthDate: CalendarDate, on: CalendarDate): number => {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [oy, om, od] = on.split('-').map(Number) as [number, number, number];
  return oy - by - (om < bm || (om === bm && od < bd) ? 1 : 0);
};

import { isCalendarDate, type CalendarDate } from './calendar-date.js';
import { isCountryCode, type CountryCode } from './countries.js';
import { badInput } from './domain-error.js';

/**
 * Command construction checks: each throws BAD_USER_INPUT naming the field. The GraphQL
 * scalars check the same shapes first; these hold for every other caller too (CLI, demo).
 */

export const MAX_NAME = 200;
export const MAX_TEXT = 4_000;
export const MAX_LIST = 50;

export const text = (field: string, value: string, max = MAX_NAME): string => {
  const trimmed = value.trim();
  if (trimmed.length === 0) throw badInput(field, `${field} must not be empty`);
  if (trimmed.length > max) throw badInput(field, `${field} must be at most ${String(max)} characters`);
  return trimmed;
};

export const optionalText = (field: string, value: string | undefined, max = MAX_TEXT): string | undefined =>
  value === undefined || value.trim() === '' ? undefined : text(field, value, max);

export const list = <T>(field: string, values: readonly T[], max = MAX_LIST): readonly T[] => {
  if (values.length > max) throw badInput(field, `${field} must have at most ${String(max)} entries`);
  return values;
};

export const date = (field: string, value: string): CalendarDate => {
  if (!isCalendarDate(value)) throw badInput(field, `${field} must be a real calendar date as YYYY-MM-DD`);
  return value;
};

export const country = (field: string, value: string): CountryCode => {
  if (!isCountryCode(value)) throw badInput(field, `${field} must be an ISO 3166-1 alpha-2 country code`);
  return value;
};

export const oneOf = <T extends string>(field: string, value: string, allowed: readonly T[]): T => {
  if (!(allowed as readonly string[]).includes(value)) {
    throw badInput(field, `${field} must be one of ${allowed.join(', ')}`);
  }
  return value as T;
};

const ID_PATTERN = /^[0-9a-zA-Z][0-9a-zA-Z-]{0,63}$/;

export const id = (field: string, value: string): string => {
  if (!ID_PATTERN.test(value)) throw badInput(field, `${field} is not a valid id`);
  return value;
};

import { isCalendarDate, type CalendarDate } from './calendar-date.js';
import { isCountryCode, type CountryCode } from './countries.js';
import { badInput, known, rule } from './domain-error.js';

/**
 * Command construction checks: each throws BAD_USER_INPUT naming the field and the rule, never
 * the value. The GraphQL scalars check the same shapes first; these hold for every other caller
 * too (CLI, demo).
 */

export const MAX_NAME = 200;
export const MAX_TEXT = 4_000;
export const MAX_LIST = 50;

/**
 * Characters no text takes: control characters (C0 and C1, NUL and DEL among them), the
 * bidirectional formatting characters (embeddings, overrides, isolates and marks, which can make
 * a name read differently from what is stored), line and paragraph separators, and unpaired
 * surrogates. Joiners (U+200C, U+200D) stay: Persian, Indic scripts and emoji need them.
 */
const UNSAFE = /[\p{Cc}\p{Cs}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\u2028\u2029]/u;
/** Long free text (a narrative, a note) may also hold line breaks and tabs. */
const UNSAFE_IN_FREE_TEXT = /(?![\t\n\r])[\p{Cc}\p{Cs}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\u2028\u2029]/u;

export interface TextOptions {
  /** Allow line breaks and tabs (`\n`, `\r`, `\t`): long free text only. */
  readonly lines?: boolean;
}

export const text = (field: string, value: string, max = MAX_NAME, options: TextOptions = {}): string => {
  if ((options.lines ? UNSAFE_IN_FREE_TEXT : UNSAFE).test(value)) {
    throw badInput(field, options.lines
      ? rule`must not contain control or bidirectional formatting characters (line breaks and tabs are allowed)`
      : rule`must not contain control, line-break or bidirectional formatting characters`);
  }
  const trimmed = value.trim();
  if (trimmed.length === 0) throw badInput(field, rule`must not be empty`);
  if (trimmed.length > max) throw badInput(field, rule`must be at most ${max} characters`);
  return trimmed;
};

export const optionalText = (field: string, value: string | undefined, max = MAX_TEXT): string | undefined =>
  value === undefined || value.trim() === '' ? undefined : text(field, value, max);

export const list = <T>(field: string, values: readonly T[], max = MAX_LIST): readonly T[] => {
  if (values.length > max) throw badInput(field, rule`must have at most ${max} entries`);
  return values;
};

export const date = (field: string, value: string): CalendarDate => {
  if (!isCalendarDate(value)) throw badInput(field, rule`must be a real calendar date as YYYY-MM-DD`);
  return value;
};

export const country = (field: string, value: string): CountryCode => {
  if (!isCountryCode(value)) throw badInput(field, rule`must be an ISO 3166-1 alpha-2 country code`);
  return value;
};

/** One of a vocabulary the code holds; the message lists the vocabulary, not the value. */
export const oneOf = <T extends string>(field: string, value: string, allowed: readonly T[]): T => {
  if (!(allowed as readonly string[]).includes(value)) {
    throw badInput(field, rule`must be one of ${allowed.map(known)}`);
  }
  return value as T;
};

/** A client's idempotency key: printable ASCII without spaces (a UUID, `demo-3`, `batch:7`). */
const COMMAND_ID = /^[!-~]{1,256}$/;

export const commandId = (value: string | undefined): string | undefined => {
  if (value !== undefined && !COMMAND_ID.test(value)) throw badInput('commandId', rule`must be 1 to 256 printable ASCII characters without spaces`);
  return value;
};

const ID_PATTERN = /^[0-9a-zA-Z][0-9a-zA-Z-]{0,63}$/;

export const id = (field: string, value: string): string => {
  if (!ID_PATTERN.test(value)) throw badInput(field, rule`is not a valid id (letters, digits and dashes, at most 64)`);
  return value;
};

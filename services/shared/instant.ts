import { isCalendarDate } from './calendar-date.js';

/**
 * Instants (RFC 3339 date-times). Every instant is normalised to UTC where it enters (the
 * DateTime scalar, the command checks) and compared as an instant, never as text: the same
 * moment written `2024-06-01T12:00:00+12:00` and `2024-06-01T00:00:00Z` is one instant.
 *
 * The normal form is `YYYY-MM-DDTHH:mm:ss.sssZ` (what `Date#toISOString` writes): fixed width,
 * UTC, millisecond precision (finer fractions are cut, not rounded). Between two normal forms
 * text order is time order; code compares through `compareInstants` all the same, so that
 * instants recorded before normalisation (stored events with offsets) are judged correctly.
 */
export type UtcInstant = string & { readonly __brand: 'UtcInstant' };

/** RFC 3339 `date-time`: a full date, `T`, a time with optional fraction, and `Z` or an offset. */
const RFC3339 = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(?:\.(\d{1,9}))?(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;
/** The normal form lies within years 0001 to 9999 (an offset can push a written instant past either end). */
const NORMAL_FORM = /^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * The instant in normal form, or undefined when the text is not an RFC 3339 date-time with an
 * offset on a real calendar day (leap seconds, hour 24 and lower-case `t`/`z` are refused), or
 * when the instant falls outside years 0001 to 9999 in UTC.
 */
export const toUtcInstant = (text: string): UtcInstant | undefined => {
  const known = normalForms.get(text);
  if (known !== undefined || normalForms.has(text)) return known;
  const normal = parseUtcInstant(text);
  if (normalForms.size >= NORMAL_FORMS_KEPT) normalForms.clear();
  normalForms.set(text, normal);
  return normal;
};

/**
 * Texts already read (the same instants are compared again and again: access expiries, dates
 * of steps, on every command and request). A text's normal form never changes; past the bound
 * the map starts again.
 */
const normalForms = new Map<string, UtcInstant | undefined>();
const NORMAL_FORMS_KEPT = 10_000;

const parseUtcInstant = (text: string): UtcInstant | undefined => {
  const match = RFC3339.exec(text);
  if (!match || !isCalendarDate(match[1]!)) return undefined;
  const [, date, hour, minute, second, fraction = '', offset] = match;
  // The ECMAScript date-time string format, which Date.parse must read exactly (ECMA-262 21.4.1.32).
  const milliseconds = Date.parse(`${date}T${hour!}:${minute!}:${second!}.${fraction.padEnd(3, '0').slice(0, 3)}${offset!}`);
  if (Number.isNaN(milliseconds)) return undefined;
  const normal = new Date(milliseconds).toISOString();
  return NORMAL_FORM.test(normal) ? (normal as UtcInstant) : undefined;
};

export const isInstant = (text: string): boolean => toUtcInstant(text) !== undefined;

/** Milliseconds since the epoch; NaN for text that is not an instant. */
export const instantMillis = (text: string): number => {
  const normal = toUtcInstant(text);
  return normal === undefined ? Number.NaN : Date.parse(normal);
};

/**
 * Negative when `a` is earlier than `b`, zero for the same instant, positive when later; NaN
 * when either is not an instant, so every comparison with it (`< 0`, `<= 0`, `> 0`) is false.
 */
export const compareInstants = (a: string, b: string): number => instantMillis(a) - instantMillis(b);

/**
 * True when the expiry has been reached at `at`. An expiry that cannot be read counts as
 * reached: access that depends on it fails closed.
 */
export const hasExpired = (expiresAt: string, at: string): boolean => !(compareInstants(expiresAt, at) > 0);

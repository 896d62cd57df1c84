import { isErased } from '../../services/privacy/sealed-data.js';
import { isSealedValue, openSealed, subjectOfSealed, type ReadModelSealer } from '../../services/privacy/read-model-sealer.js';

/**
 * The one seam through which the case-file read model writes and reads personal values (a
 * phone, safe-contact instructions, an identifier's value, a receipt number, a narrative, a
 * place, a birth or arrival date, the current facility): whatever the events keep under
 * `personal`. Each value is sealed with its person's data key (`keyId`, data-key-id.ts: the
 * person within their family) by the read-model sealer (services/privacy/read-model-sealer.ts),
 * bound to the place it is kept (`table.column`) and the person: moved to another column or
 * person it does not open. A destroyed key (erasure) opens as no value (null).
 *
 * Without a sealer (projection tests that run no key store) the text is plain JSON
 * (`{"p":place,"s":keyId,"v":value}`), as it was before sealing; such text is read as before.
 * A value read from a different place than it was written for is refused (null).
 */
export type PersonalPlace = `${string}.${string}`;

const placeOf = (place: PersonalPlace, keyId: string) => ({ readModel: 'casefile', rowKey: keyId, field: place });

export const encodePersonal = (sealer: ReadModelSealer | undefined, place: PersonalPlace, keyId: string, value: string): string =>
  sealer ? sealer.seal(placeOf(place, keyId), keyId, value) : JSON.stringify({ p: place, s: keyId, v: value });

/** The value kept at this place, or null (no value, an erased person's, or text written for another place). */
export const decodePersonal = (place: PersonalPlace, text: string | null | undefined): string | null => {
  if (text === null || text === undefined || text === '') return null;
  if (isSealedValue(text)) {
    const value = openSealed(placeOf(place, subjectOfSealed(text)), text);
    return typeof value === 'string' && !isErased(value) ? value : null;
  }
  const parsed = JSON.parse(text) as { p?: unknown; v?: unknown };
  return parsed.p === place && typeof parsed.v === 'string' ? parsed.v : null;
};

const PLAIN_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A column holding either a plain day (not personal: a hearing's) or a sealed one (an age-out's, from the birth date). */
export const decodeDayOrPersonal = (place: PersonalPlace, text: string | null | undefined): string | null =>
  (text !== null && text !== undefined && PLAIN_DAY.test(text) ? text : decodePersonal(place, text));

/** The key a stored personal value was sealed with (for erasure), or null. */
export const subjectOfPersonal = (text: string | null | undefined): string | null => {
  if (text === null || text === undefined || text === '') return null;
  if (isSealedValue(text)) return subjectOfSealed(text);
  const parsed = JSON.parse(text) as { s?: unknown };
  return typeof parsed.s === 'string' ? parsed.s : null;
};

/**
 * One value kept as several copies, each sealed with another person's key (a separation's place,
 * one copy per child): a JSON array of sealed values in one column. Erasing one of the people
 * destroys only their copy.
 */
export const encodePersonalCopies = (sealer: ReadModelSealer | undefined, place: PersonalPlace, copies: ReadonlyArray<{ readonly keyId: string; readonly value: string }>): string | null =>
  (copies.length === 0 ? null : JSON.stringify(copies.map(({ keyId, value }) => encodePersonal(sealer, place, keyId, value))));

/** The first copy that still opens (encodePersonalCopies), or null when every copy's person was erased. */
export const decodeFirstPersonalCopy = (place: PersonalPlace, text: string | null | undefined): string | null => {
  if (text === null || text === undefined || !text.startsWith('[')) return decodePersonal(place, text);
  for (const copy of JSON.parse(text) as unknown[]) {
    const value = typeof copy === 'string' ? decodePersonal(place, copy) : null;
    if (value !== null) return value;
  }
  return null;
};

/**
 * The one seam through which the case-file read model writes and reads personal values (a
 * phone, safe-contact instructions, an identifier's value, a receipt number, a narrative, a
 * place, a birth or arrival date): whatever the events keep under `personal`. Each value is
 * stored with the person it belongs to (`subjectId`) and the place it is kept (`table.column`),
 * so that the read-model sealer (issue 13) can encrypt it per person and an erased person's
 * values can be found and dropped, without touching any caller.
 *
 * Today the text is plain JSON (`{"p":place,"s":subjectId,"v":value}`): the sealer replaces these
 * two functions, nothing else. Limits: a value read from a different place than it was written
 * for is refused (null), so a column cannot be read as another by mistake.
 */
export type PersonalPlace = `${string}.${string}`;

export const encodePersonal = (place: PersonalPlace, subjectId: string, value: string): string => JSON.stringify({ p: place, s: subjectId, v: value });

/** The value kept at this place, or null (no value, or text written for another place). */
export const decodePersonal = (place: PersonalPlace, text: string | null | undefined): string | null => {
  if (text === null || text === undefined || text === '') return null;
  const parsed = JSON.parse(text) as { p?: unknown; v?: unknown };
  return parsed.p === place && typeof parsed.v === 'string' ? parsed.v : null;
};

/** The person a stored personal value belongs to (for erasure), or null. */
export const subjectOfPersonal = (text: string | null | undefined): string | null => {
  if (text === null || text === undefined || text === '') return null;
  const parsed = JSON.parse(text) as { s?: unknown };
  return typeof parsed.s === 'string' ? parsed.s : null;
};

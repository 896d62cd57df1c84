/**
 * The key store's name for a data subject's key. Subject ids are person ids, which clients
 * choose per family ("mother" in many families) or webhook ids chosen per organisation, so a
 * key is named by the stream its data belongs to and the subject: `family-<id>/mother`. One
 * person has one key within their family, and destroying it (erasure) touches no one else.
 * Ids hold letters, digits, dashes and `:` (services/shared/input.ts), never `/`.
 */
export const dataKeyId = (stream: string, subjectId: string): string => `${stream}/${subjectId}`;

/** The key of a person of a family (the family's stream is `family-<familyId>`). */
export const familyDataKeyId = (familyId: string, subjectId: string): string => dataKeyId(`family-${familyId}`, subjectId);

/** The subject a key id names (the part after the stream); an unqualified id (stored before keys were qualified) as it is. */
export const subjectOfDataKeyId = (keyId: string): string => keyId.slice(keyId.lastIndexOf('/') + 1);

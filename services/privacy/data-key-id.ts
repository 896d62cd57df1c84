/**
 * The key store's name for a data subject's key. Subject ids are person ids, which clients
 * choose per family ("mother" in many families) or webhook ids chosen per organisation, so a
 * key is named by the stream its data belongs to and the subject: `family-<id>/mother`. One
 * person has one key within their family, and destroying it (erasure) touches no one else.
 * Person and webhook ids hold letters, digits and dashes (services/shared/input.ts), never `/`;
 * `:` appears only in subjects the tracker names itself (`webhook:<id>`, `case:notes`).
 */
export const dataKeyId = (stream: string, subjectId: string): string => `${stream}/${subjectId}`;

/** The key of a person of a family (the family's stream is `family-<familyId>`). */
export const familyDataKeyId = (familyId: string, subjectId: string): string => dataKeyId(`family-${familyId}`, subjectId);

/** The subject a key id names (the part after the stream); an unqualified id (stored before keys were qualified) as it is. */
export const subjectOfDataKeyId = (keyId: string): string => keyId.slice(keyId.lastIndexOf('/') + 1);

/**
 * Envelopes sealed before keys were qualified name no key: they were sealed with the key named
 * by the subject alone (`mother`), one key for the same id in every family. Such an envelope
 * opens with this family's own copy of that key, `family-<id>/mother#unqualified`, which the
 * key store makes from the unqualified key the first time it is asked for it
 * (infra/keys/qualify-legacy-keys.ts then retires the unqualified keys). Erasing the person
 * destroys this copy with their key (erasure.ts), so their older envelopes go with them and
 * no one else's do.
 */
const LEGACY_SUFFIX = '#unqualified';
export const legacyDataKeyId = (stream: string, subjectId: string): string => `${dataKeyId(stream, subjectId)}${LEGACY_SUFFIX}`;

/** Every key id erasing this key's subject destroys: the key, and its copy for older envelopes. */
export const keyIdsOfSubject = (keyId: string): readonly string[] => [keyId, `${keyId}${LEGACY_SUFFIX}`];

/** The unqualified key a legacy copy is made from, or undefined for any other key id. */
export const unqualifiedKeyOfLegacyCopy = (keyId: string): string | undefined =>
  keyId.endsWith(LEGACY_SUFFIX) ? subjectOfDataKeyId(keyId.slice(0, -LEGACY_SUFFIX.length)) : undefined;

/** Is this a key id as stored before keys were qualified (no stream)? */
export const isUnqualifiedDataKeyId = (keyId: string): boolean => !keyId.includes('/');

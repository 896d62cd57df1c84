import { createHmac } from 'node:crypto';
import { identifierForms, nameForms, nameWords, phoneForms } from './normalise.js';
import { spanishPhoneticKey } from './spanish-phonetic.js';

/**
 * The blind index's terms: keyed hashes of normalised tokens, never the tokens. Each term is the
 * first 8 bytes of HMAC-SHA256(key, "<kind>:<token>") as a signed 64-bit integer (SQLite's
 * INTEGER): without the key nobody can compute the term of a guess, and the kinds never collide
 * with each other. A false match needs two tokens whose 64-bit prefixes agree (about 1 in 10^19
 * per pair looked up).
 *
 * Why a person matched is the kind of the term: the name as written (or a nickname's full name),
 * its Spanish phonetic key, an edit-distance-1 variant (typos), an identifier value, a phone.
 */
export const MATCH_KINDS = ['NAME', 'NAME_PHONETIC', 'NAME_TYPO', 'IDENTIFIER', 'PHONE'] as const;
export type MatchKind = (typeof MATCH_KINDS)[number];
/** A match kind as stored: its index in MATCH_KINDS (lower is a closer match). */
export type MatchCode = 0 | 1 | 2 | 3 | 4;
export const matchCode = (kind: MatchKind): MatchCode => MATCH_KINDS.indexOf(kind) as MatchCode;

export interface Term {
  readonly term: bigint;
  readonly match: MatchCode;
}

/** Words shorter than this get no typo variants: one changed letter of "Ana" is another name. */
const TYPO_MIN_LENGTH = 4;

/** The word and every word one deletion away from it: two words within one edit share one of these. */
const deletionVariants = (word: string): string[] => {
  const variants = new Set([word]);
  for (let i = 0; i < word.length; i += 1) variants.add(word.slice(0, i) + word.slice(i + 1));
  return [...variants];
};

export type TermHasher = (kind: string, token: string) => bigint;

/** A hasher over the blind-index key. */
export const termHasher = (key: Buffer): TermHasher => (kind, token) =>
  createHmac('sha256', key).update(`${kind}:${token}`).digest().readBigInt64BE(0);

/**
 * The hasher with the hashes of person refs and words (`person`, `word`: ids and words outside
 * `personal`, which a rebuild hashes once per event naming them) kept in memory, at most
 * `capacity` of them (all dropped when full). Names, identifier values and phone numbers are
 * never kept: memory holds no personal value longer than its event's batch.
 */
export const memoisedHasher = (hash: TermHasher, capacity = 100_000): TermHasher => {
  const known = new Map<string, bigint>();
  return (kind, token) => {
    if (kind !== 'person' && kind !== 'word') return hash(kind, token);
    const key = `${kind}:${token}`;
    let value = known.get(key);
    if (value === undefined) {
      if (known.size >= capacity) known.clear();
      value = hash(kind, token);
      known.set(key, value);
    }
    return value;
  };
};

/** A person of a family as the index names them: a keyed hash of the family and person ids. */
export const personRef = (hash: TermHasher, familyId: string, personId: string): bigint => hash('person', `${familyId}/${personId}`);

/** The terms one name word is indexed (and searched) under, each with why it would match. */
export const wordTerms = (hash: TermHasher, word: string): Term[] => [
  ...nameForms(word).map((form) => ({ term: hash('name', form), match: matchCode('NAME') })),
  { term: hash('phonetic', spanishPhoneticKey(word)), match: matchCode('NAME_PHONETIC') },
  ...(word.length >= TYPO_MIN_LENGTH ? deletionVariants(word).map((variant) => ({ term: hash('typo', variant), match: matchCode('NAME_TYPO') })) : []),
];

/** The terms a person's recorded names, identifier values and phone numbers are indexed under. */
export const personTerms = (hash: TermHasher, facts: { readonly names?: readonly string[]; readonly identifiers?: readonly string[]; readonly phones?: readonly string[] }): Term[] => {
  const terms = new Map<string, Term>();
  const add = (term: Term): void => void terms.set(`${String(term.term)}/${String(term.match)}`, term);
  for (const name of facts.names ?? []) for (const word of nameWords(name)) wordTerms(hash, word).forEach(add);
  for (const value of facts.identifiers ?? []) for (const form of identifierForms(value)) add({ term: hash('identifier', form), match: matchCode('IDENTIFIER') });
  for (const phone of facts.phones ?? []) for (const form of phoneForms(phone)) add({ term: hash('phone', form), match: matchCode('PHONE') });
  return [...terms.values()];
};

/** What a search text is looked up as: per name word its terms (every word must match), and identifier and phone terms (either suffices). */
export interface QueryTerms {
  readonly words: ReadonlyArray<readonly Term[]>;
  readonly exact: readonly Term[];
}

export const queryTerms = (hash: TermHasher, text: string): QueryTerms => {
  return {
    words: [...new Set(nameWords(text))].map((word) => wordTerms(hash, word)),
    exact: [
      ...identifierForms(text).map((form) => ({ term: hash('identifier', form), match: matchCode('IDENTIFIER') })),
      ...phoneForms(text).map((form) => ({ term: hash('phone', form), match: matchCode('PHONE') })),
    ],
  };
};

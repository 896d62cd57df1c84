import type { RequestQueries } from '../statement-cache.js';
import type { ViewerRole } from '../families/visibility.js';
import { AUDIENCE } from './search-projection.js';
import { MATCH_KINDS, personRef, queryTerms, type MatchKind, type TermHasher } from './search-terms.js';

export interface SearchHitRow {
  readonly familyId: string;
  /** The person as the index names them (personRef): the resolver finds their id among the family's people. */
  readonly personRef: bigint;
  readonly personKind: 'CHILD' | 'RELATIVE';
  /** 0 an exact name, identifier or phone; 1 phonetic; 2 a typo: the weakest of the words' best matches. */
  readonly rank: number;
  readonly matchedOn: MatchKind[];
}

/** Where a page ends: the last hit's rank, family and person (results are in that order). */
export interface SearchPosition {
  readonly rank: number;
  readonly familyId: string;
  readonly personRef: bigint;
}

interface Row {
  family_id: string;
  person_ref: bigint;
  person_kind: 'CHILD' | 'RELATIVE';
  rank: bigint;
  exact_matches: string | null;
  name_matches: string | null;
  name_words: bigint;
}

/**
 * Search over the blind index for one caller at one moment. The text becomes keyed terms
 * (search-terms.ts); a person is a hit when each name word of the text matches one of the
 * person's words (as written, a nickname's full name, phonetically or within one edit, in any
 * order), or the text as a whole matches an identifier value or a phone number.
 *
 * Only the caller's own organisation's postings are read (for AUDITOR keys, those of grants to
 * it): a statement that starts from (organisation, audience, term) touches no other
 * organisation's rows, so the time a search takes does not depend on people the caller may not
 * find. Access expiry is judged against `now`. The families read model stays the authority: the
 * resolver drops a hit whose family it does not show (schema/resolvers/search.ts).
 */
export class SearchReadModel {
  constructor(
    private readonly queries: RequestQueries,
    private readonly hash: TermHasher,
    private readonly viewer: { readonly organizationId: string; readonly role: ViewerRole },
    private readonly now: string,
  ) {}

  /** How the index names a person of a family (to find them among a hit's family). */
  personRef(familyId: string, personId: string): bigint {
    return personRef(this.hash, familyId, personId);
  }

  search(text: string, first: number, after: SearchPosition | undefined): { hits: SearchHitRow[]; hasNextPage: boolean } {
    const { words, exact } = queryTerms(this.hash, text);
    if (words.length === 0 && exact.length === 0) return { hits: [], hasNextPage: false };
    // [term, match, group]: group -1 for identifier and phone terms, else the name word's index.
    const terms = [...exact.map((t) => [t.term, t.match, -1] as const), ...words.flatMap((word, index) => word.map((t) => [t.term, t.match, index] as const))];
    const rows = this.queries.allSafeIntegers<Row>(SEARCH_SQL, {
      terms: `[${terms.map(([term, match, group]) => `[${String(term)},${String(match)},${String(group)}]`).join(',')}]`,
      organizationId: this.viewer.organizationId,
      audience: this.viewer.role === 'AUDITOR' ? AUDIENCE.AUDITORS : AUDIENCE.MEMBERS,
      now: this.now,
      words: BigInt(words.length),
      afterRank: BigInt(after?.rank ?? -1),
      afterFamily: after?.familyId ?? '',
      afterPerson: after?.personRef ?? -(2n ** 63n),
      limit: BigInt(first + 1),
    });
    const kinds = (codes: string | null): MatchKind[] => (codes ?? '').split(',').filter((code) => code !== '').map((code) => MATCH_KINDS[Number(code)] as MatchKind);
    const hits = rows.slice(0, first).map((row) => ({
      familyId: row.family_id,
      personRef: row.person_ref,
      personKind: row.person_kind,
      rank: Number(row.rank),
      matchedOn: [...new Set([...kinds(row.exact_matches), ...(Number(row.name_words) === words.length && words.length > 0 ? kinds(row.name_matches) : [])])].sort(
        (a, b) => MATCH_KINDS.indexOf(a) - MATCH_KINDS.indexOf(b),
      ),
    }));
    return { hits, hasNextPage: rows.length > first };
  }
}

/**
 * One statement: the caller's postings for the query's terms (the primary key's prefix, so an
 * index seek per term), the best match per person and word, then the people every word (or an
 * identifier or phone) matched, in rank order, after the cursor.
 */
export const SEARCH_SQL = `
WITH q AS (
  SELECT json_extract(value, '$[0]') AS term, json_extract(value, '$[1]') AS match, json_extract(value, '$[2]') AS grp FROM json_each(@terms)
),
hits AS (
  SELECT p.person_key, q.grp, min(p.match) AS best
  FROM q CROSS JOIN search_postings p
  WHERE p.organization_id = @organizationId AND p.audience = @audience AND p.term = q.term AND p.match = q.match
    AND (p.expires_at IS NULL OR unixepoch(p.expires_at, 'subsec') > unixepoch(@now, 'subsec'))
  GROUP BY p.person_key, q.grp
),
matched AS (
  SELECT person_key,
    max(grp < 0) AS exact,
    count(DISTINCT CASE WHEN grp >= 0 THEN grp END) AS name_words,
    max(CASE WHEN grp >= 0 THEN best END) AS weakest,
    group_concat(DISTINCT CASE WHEN grp < 0 THEN best END) AS exact_matches,
    group_concat(DISTINCT CASE WHEN grp >= 0 THEN best END) AS name_matches
  FROM hits GROUP BY person_key
  HAVING exact = 1 OR (@words > 0 AND name_words = @words)
),
ranked AS (
  SELECT s.family_id, s.person_ref, s.person_kind, CASE WHEN m.exact = 1 THEN 0 ELSE m.weakest END AS rank,
    m.exact_matches, m.name_matches, m.name_words
  FROM matched m JOIN search_people s ON s.person_key = m.person_key
)
SELECT * FROM ranked
WHERE (rank, family_id, person_ref) > (@afterRank, @afterFamily, @afterPerson)
ORDER BY rank, family_id, person_ref
LIMIT @limit`;

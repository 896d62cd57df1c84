import type { FamilyRow } from '../../projections/families/family-read-model.js';
import { DOCUMENTS, FULL, childView, relativeView } from '../../projections/families/redaction.js';
import type { SearchHitRow, SearchPosition, SearchReadModel } from '../../projections/search/search-read-model.js';
import type { MatchKind } from '../../projections/search/search-terms.js';
import { rule } from '../../services/shared/domain-error.js';
import { badUserInput, unavailable } from '../errors.js';
import type { GraphQLContext } from '../context.js';
import { opaqueCursor } from '../cursors.js';
import { disclosureOf, stateOf } from './family.js';
import { disclose } from '../../projections/families/disclose.js';
import { connection, pageSize } from './connection.js';

const MAX_FIRST = 50;
const MAX_TEXT = 200;
const searchCursor = opaqueCursor('search');

/** The scope a reason needs (the allowlist's: names from DOCUMENTS, identifier values and phones at FULL). */
const NEEDS: Readonly<Record<MatchKind, number>> = { NAME: DOCUMENTS, NAME_PHONETIC: DOCUMENTS, NAME_TYPO: DOCUMENTS, IDENTIFIER: FULL, PHONE: FULL };

const encodeCursor = (hit: SearchHitRow): string => searchCursor.encode(JSON.stringify([hit.rank, hit.familyId, String(hit.personRef)]));
const decodeCursor = (cursor: string): SearchPosition => {
  const value: unknown = (() => {
    try {
      return JSON.parse(searchCursor.decode(cursor)) as unknown;
    } catch {
      return undefined;
    }
  })();
  if (!Array.isArray(value) || typeof value[0] !== 'number' || typeof value[1] !== 'string' || typeof value[2] !== 'string' || !/^-?\d{1,19}$/.test(value[2])) {
    throw badUserInput('after', rule`is not a cursor returned by this API`);
  }
  return { rank: value[0], familyId: value[1], personRef: BigInt(value[2]) };
};

/**
 * A hit as the caller may see it, or null: the families read model decides again whether the
 * family is visible and at which scope (the index may trail it by a batch), who is hidden, and
 * which reasons the scope allows; the name and id go through the allowlist like every view.
 */
const visibleHit = (hit: SearchHitRow, row: FamilyRow | null, context: GraphQLContext, search: SearchReadModel) => {
  if (!row) return null;
  const state = stateOf(row);
  const people: Iterable<string> = hit.personKind === 'CHILD' ? state.children.keys() : state.relatives.keys();
  const id = [...people].find((candidate) => search.personRef(row.family_id, candidate) === hit.personRef);
  const disclosure = disclosureOf(row);
  if (id === undefined || disclosure.hidden.has(id)) return null;
  const matchedOn = hit.matchedOn.filter((kind) => row.viewer_scope >= NEEDS[kind]);
  if (matchedOn.length === 0) return null;
  const child = state.children.get(id);
  const relative = state.relatives.get(id);
  const view = hit.personKind === 'CHILD' ? (child && childView(disclosure, state, child, context.today)) : (relative && relativeView(disclosure, relative));
  const personId = disclosure.shownId('person', id);
  if (!view || personId === undefined) return null;
  if (row.viewer_scope >= DOCUMENTS) context.accessLog.record(row.family_id, 'people');
  const shown = disclose('SearchHit', { family: row, personId, personKind: hit.personKind, displayName: view.givenName ?? null, matchedOn }, disclosure);
  return shown.family && shown.personId !== undefined && shown.matchedOn ? { displayName: null, ...shown } : null;
};

export const searchQueryResolvers = {
  search: async (_root: unknown, args: { text: string; first?: number | null; after?: string | null }, context: GraphQLContext) => {
    const first = pageSize(args.first, 20, MAX_FIRST);
    if (args.text.length > MAX_TEXT) throw badUserInput('text', rule`must be at most ${MAX_TEXT} characters`);
    const { search } = context;
    if (!search) throw unavailable(1);
    const page = search.search(args.text, first, args.after ? decodeCursor(args.after) : undefined);
    const rows = await Promise.all(page.hits.map((hit) => context.loaders.family.load(hit.familyId)));
    const edges = page.hits.flatMap((hit, index) => {
      const node = visibleHit(hit, rows[index] ?? null, context, search);
      return node ? [{ cursor: encodeCursor(hit), node }] : [];
    });
    const last = page.hits.at(-1);
    // The last hit read, shown or not, so the next page starts after it.
    return connection(edges, { hasNextPage: page.hasNextPage, hasPreviousPage: Boolean(args.after), endCursor: last ? encodeCursor(last) : null });
  },
};

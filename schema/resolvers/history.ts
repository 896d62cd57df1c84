import { LRUCache } from 'lru-cache';
import type { FamilyRow } from '../../projections/families/family-read-model.js';
import { familyAt, verifyFamilyStream } from '../../services/family/family-history.js';
import { familyStreamName } from '../../services/family/family-decider.js';
import { reunificationStatus } from '../../services/family/status.js';
import { dateOf } from '../../services/shared/calendar-date.js';
import { collect } from '../../services/shared/async-iterable.js';
import { notFound, rule } from '../../services/shared/domain-error.js';
import type { FamilyHistoryReader, GraphQLContext } from '../context.js';
import { opaqueCursor } from '../cursors.js';
import { badUserInput } from '../errors.js';
import { disclosureOf, type PastFamilyRow } from './family.js';
import { historyEventView, showsPersonalData } from '../../projections/families/history-redaction.js';
import { connection, pageSize } from './connection.js';

const MAX_HISTORY_PAGE = 500;
const eventCursor = opaqueCursor('event');

/**
 * What reading a family's stream costs the caller: one request (of its rate limit) per
 * `EVENTS_PER_REQUEST` events read, beyond the request itself. Charged before the work.
 */
export const EVENTS_PER_REQUEST = 100;
const chargeForEvents = (context: GraphQLContext, events: number): Promise<void> =>
  context.rateLimit?.charge(Math.floor(events / EVENTS_PER_REQUEST)) ?? Promise.resolve();

type Verdict = Awaited<ReturnType<typeof verifyFamilyStream>>;

/**
 * Verdicts by family and head (revision and hash), per event store (its history reader): a
 * stream is verified once per head, and callers that ask while it is being verified share that
 * verification. Limit: a verdict is reused for up to `VERDICT_TTL_MS`, so an edit of the store's
 * file below an unchanged head shows here only after that (`tracker verify` always reads all).
 */
const VERDICT_TTL_MS = 60_000;
const VERDICTS_KEPT = 256;
const verdictCaches = new WeakMap<FamilyHistoryReader, LRUCache<string, Promise<Verdict>>>();
const verdictsOf = (reader: FamilyHistoryReader): LRUCache<string, Promise<Verdict>> => {
  const known = verdictCaches.get(reader);
  if (known) return known;
  const created = new LRUCache<string, Promise<Verdict>>({ max: VERDICTS_KEPT, ttl: VERDICT_TTL_MS });
  verdictCaches.set(reader, created);
  return created;
};

/** The verdict on the family's stream up to its head now: cached, shared, or verified (and charged). */
const verdictNow = async (context: GraphQLContext, row: FamilyRow): Promise<Verdict> => {
  const stream = familyStreamName(row.family_id);
  // The chain covers the events as stored (sealed), so verification reads them so.
  const storedEvents = context.history.storedEvents ?? context.history.events;
  const head = (await collect(storedEvents(row.family_id, { fromRevision: row.revision }))).at(-1);
  if (!head) {
    // The read model knows more of the stream than the store holds: verify what there is, uncached.
    await chargeForEvents(context, row.revision + 1);
    return verifyFamilyStream(stream, storedEvents(row.family_id));
  }
  const verdicts = verdictsOf(context.history);
  const key = `${row.family_id}\n${String(head.revision)}\n${String(head.metadata['hash'])}`;
  const known = verdicts.get(key);
  if (known) return known;
  await chargeForEvents(context, head.revision + 1);
  const shared = verdicts.get(key);
  if (shared) return shared;
  const verifying = verifyFamilyStream(stream, storedEvents(row.family_id, { maxCount: head.revision + 1 }));
  verdicts.set(key, verifying);
  verifying.catch(() => verdicts.delete(key));
  return verifying;
};

/** Aliases of `verifyFamilyHistory` on one family in one request share one verdict (and one charge). */
const verdictsOfRequest = new WeakMap<GraphQLContext, Map<string, Promise<Verdict>>>();
const verdictOnce = (context: GraphQLContext, row: FamilyRow): Promise<Verdict> => {
  const mine = verdictsOfRequest.get(context) ?? new Map<string, Promise<Verdict>>();
  verdictsOfRequest.set(context, mine);
  const known = mine.get(row.family_id);
  if (known) return known;
  const verdict = verdictNow(context, row);
  mine.set(row.family_id, verdict);
  return verdict;
};

/** The family if the caller may see it now; NOT_FOUND exactly as for an unknown id otherwise. */
const visibleFamily = async (context: GraphQLContext, familyId: string): Promise<FamilyRow> => {
  const row = await context.loaders.family.load(familyId);
  if (!row) throw notFound('familyId', rule`family`);
  return row;
};

/**
 * Per-event hashes go to FULL scope (the allowlist) and to auditors at any scope, who verify the
 * chain (issue: auditors); a partner below FULL gets none: SHA-256 over content it may not see
 * can be brute-forced where that content is a date or a code.
 */
const keepsHashes = (context: GraphQLContext, row: FamilyRow): boolean => context.viewer.role === 'AUDITOR' || disclosureOf(row).scope === 'FULL';

export const historyResolvers = {
  familyHistory: async (_root: unknown, args: { familyId: string; first?: number | null; after?: string | null }, context: GraphQLContext) => {
    const first = pageSize(args.first, 50, MAX_HISTORY_PAGE);
    const fromRevision = args.after ? eventCursor.decodeIndex(args.after) + 1 : 0;
    const row = await visibleFamily(context, args.familyId);
    await chargeForEvents(context, Math.min(first, Math.max(0, row.revision + 1 - fromRevision)));
    const events = await collect(context.history.events(args.familyId, { fromRevision, maxCount: first + 1 }));
    const disclosure = disclosureOf(row);
    const hashes = keepsHashes(context, row);
    const edges = events.slice(0, first).map((event) => {
      const view = historyEventView(event, disclosure);
      const node = hashes ? { ...view, hash: event.metadata['hash'], prevHash: event.metadata['prevHash'] } : view;
      return { cursor: eventCursor.encode(event.revision), node, ...node };
    });
    if (edges.some((edge) => showsPersonalData(edge.node.data))) context.accessLog.record(row.family_id, 'history');
    return { ...connection(edges, { hasNextPage: events.length > first, hasPreviousPage: fromRevision > 0 }), totalCount: Math.max(row.revision + 1, (events.at(-1)?.revision ?? -1) + 1) };
  },

  verifyFamilyHistory: async (_root: unknown, args: { familyId: string }, context: GraphQLContext) => {
    const row = await visibleFamily(context, args.familyId);
    const verdict = await verdictOnce(context, row);
    return {
      familyId: args.familyId,
      ok: verdict.ok,
      events: verdict.events,
      brokenAtRevision: verdict.ok ? null : verdict.revision,
      problem: verdict.ok ? null : verdict.problem.toUpperCase().replace('-', '_'),
      // The head hash is over the newest event's content: FULL and auditors only, as the history's hashes.
      headHash: keepsHashes(context, row) ? (verdict.headHash ?? null) : null,
    };
  },
};

/**
 * `family(id, asOf, atRevision)`: the family folded from the events recorded by then, shown
 * through the same resolvers (status, blockers, redaction) as the live family, with blockers and
 * days left counted from that day. Visibility and scope are the caller's access now.
 */
export const familyAsOf = async (row: FamilyRow, args: { asOf?: string | null; atRevision?: number | null }, context: GraphQLContext): Promise<PastFamilyRow | null> => {
  if (args.atRevision !== undefined && args.atRevision !== null && args.atRevision < 0) throw badUserInput('atRevision', rule`must be 0 or more`);
  const limit = { ...(args.asOf ? { asOf: args.asOf } : {}), ...(args.atRevision === undefined || args.atRevision === null ? {} : { atRevision: args.atRevision }) };
  await chargeForEvents(context, Math.min(row.revision, limit.atRevision ?? row.revision) + 1);
  const point = await familyAt(context.history.events(row.family_id), limit);
  if (!point) return null;
  return {
    ...row,
    lead_organization_id: point.state.leadOrganizationId,
    programme: point.state.programme ?? null,
    status: reunificationStatus(point.state),
    revision: point.revision,
    opened_at: point.openedAt,
    updated_at: point.updatedAt,
    state: point.state,
    knownAt: point.updatedAt,
    today: dateOf(args.asOf ?? point.updatedAt),
  };
};

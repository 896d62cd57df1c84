import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { FamilyReadModel, liveStateOf, type FamilyRow } from '../../projections/families/family-read-model.js';
import { findActiveKey } from '../../projections/organizations/organization-read-model.js';
import { RequestQueries, StatementCache } from '../../projections/statement-cache.js';
import { exportedEventView, showsPersonalData } from '../../projections/families/history-redaction.js';
import {
  blockersFor, childView, contextOf, deadlineView, documentView, matterView, nextDeadlineFor, orderedDeadlines, relativeView, seenBy,
  visibleRelatives,
} from '../../projections/families/redaction.js';
import { disclosureContext } from '../../projections/families/disclose.js';
import { familyAt, type HistoryLimit } from '../../services/family/family-history.js';
import { familyStreamName } from '../../services/family/family-decider.js';
import { reunificationStatus } from '../../services/family/status.js';
import { dateOf } from '../../services/shared/calendar-date.js';
import type { Actor } from '../../services/shared/decider.js';
import { ChainFollower, verifyHashChain, type ChainVerdict } from '../../services/verify-hash-chain.js';
import { hashApiKey } from '../auth/api-keys.js';
import type { EventStore } from '../../services/event-store/port.js';
import { createFamilyHistoryReader } from '../http/family-history-reader.js';
import { collect } from '../../services/shared/async-iterable.js';
import { appendAccessLog } from '../access-log-writer.js';

/**
 * The auditors' and operators' tools behind `npm run tracker -- replay | verify | export`, as
 * functions over an open event store and read-model database (the CLI wires them; tests call
 * them through the CLI).
 */

/** A family's stream as history reads it (none is empty), tagged with its stream name. */
const familyEvents = async function* (store: EventStore, familyId: string) {
  const stream = familyStreamName(familyId);
  for await (const event of createFamilyHistoryReader(store).events(familyId)) yield { ...event, stream };
};

/**
 * The family as known at the limit, as a STATUS-scope reader may see it (like `export` without a
 * key): status, blockers and the shape of the case through the allowlist, so no personal data,
 * no id the lead chose (generated ids), dates only as STATUS may know them, and nobody hidden
 * below FULL, who is hidden as of now (the family's live state), also in the past.
 */
export const replayFamily = async (store: EventStore, familyId: string, limit: HistoryLimit) => {
  const point = await familyAt(familyEvents(store, familyId), limit);
  if (!point) return undefined;
  const live = await familyAt(familyEvents(store, familyId), {});
  const context = disclosureContext(live?.state ?? point.state, 'STATUS');
  const seen = seenBy(context, point.state);
  const today = dateOf(limit.asOf ?? point.updatedAt);
  const deadline = nextDeadlineFor(seen, context.scope);
  return {
    familyId,
    knownAt: point.updatedAt,
    revision: point.revision,
    status: reunificationStatus(seen),
    blockers: blockersFor(point.state, context, today),
    leadOrganizationId: seen.leadOrganizationId,
    programme: seen.programme ?? null,
    nextDeadline: deadline ? deadlineView(context, familyId, deadline, today) : null,
    children: [...seen.children.values()].map((child) => childView(context, seen, child, today)),
    relatives: visibleRelatives(context, seen.relatives.values()).map((relative) => relativeView(context, relative)),
    documents: [...seen.documents.values()].map((document) => documentView(context, document)),
    legalMatters: [...seen.matters.values()].map((matter) => matterView(context, matter)),
    deadlines: orderedDeadlines(seen, context.scope).map((d) => deadlineView(context, familyId, d, today)),
  };
};

/** Streams whose events are sealed into a hash chain. */
const CHAINED_STREAM = /^(family|organization)-/;

export interface VerifyReport {
  readonly streams: number;
  readonly events: number;
  readonly broken: ReadonlyArray<{ readonly stream: string } & Extract<ChainVerdict, { ok: false }>>;
  /** SHA-256 over every intact stream's name and head hash: record it to detect a later rewrite. */
  readonly seal: string;
}

/**
 * Verifies one family's stream, or every chained stream in one pass over the store, holding only
 * each stream's head; a broken stream is read again whole to say where and how it breaks.
 */
export const verifyStreams = async (store: EventStore, options: { readonly familyId?: string; readonly onProgress?: (events: number) => void }): Promise<VerifyReport> => {
  const follower = new ChainFollower();
  const events = options.familyId ? familyEvents(store, options.familyId) : store.readAll();
  for await (const event of events) {
    if (!CHAINED_STREAM.test(event.stream)) continue;
    follower.accept(event.stream, event);
    if (follower.events % 10_000 === 0) options.onProgress?.(follower.events);
  }
  options.onProgress?.(follower.events);
  const broken = [];
  for (const stream of follower.broken) {
    const verdict = verifyHashChain(stream, await collect(store.readStream(stream)));
    if (!verdict.ok) broken.push({ stream, ...verdict });
  }
  const heads = follower.intactHeads;
  const seal = createHash('sha256').update(heads.map((head) => `${head.stream} ${head.hash}\n`).join('')).digest('hex');
  return { streams: heads.length + follower.broken.length, events: follower.events, broken, seal };
};

export interface ExportOptions {
  readonly familyId?: string;
  /** Show personal data as far as this API key may see it; the export is then in the access log. */
  readonly apiKey?: string;
  readonly now: Date;
  readonly write: (line: string) => void;
  readonly onProgress?: (families: number, total: number) => void;
}

/** Who exports: the key's holder (their access decides what is shown), or nobody (STATUS redaction). */
const exporter = (cache: StatementCache, apiKey: string | undefined): Actor | undefined => {
  if (apiKey === undefined) return undefined;
  const holder = findActiveKey(cache, hashApiKey(apiKey));
  if (!holder) throw new ExportError('the API key is unknown or revoked');
  return { userId: holder.user_id, organizationId: holder.organization_id, role: holder.role as Actor['role'] };
};

export class ExportError extends Error {}

/** Families to export, with the exporter's scope on each (STATUS for an export without a key). */
const familiesToExport = (cache: StatementCache, actor: Actor | undefined, familyId: string | undefined, now: string): FamilyRow[] => {
  if (actor) {
    const readModel = new FamilyReadModel(new RequestQueries(cache), actor, now);
    if (familyId) return [...readModel.familiesByIds([familyId]).values()];
    const rows: FamilyRow[] = [];
    for (let page = readModel.listFamilies({}, 100, undefined); ; page = readModel.listFamilies({}, 100, rows.at(-1)?.family_id)) {
      rows.push(...page.rows);
      if (!page.hasNextPage) return rows;
    }
  }
  const sql = `SELECT *, 1 AS viewer_scope, 0 AS viewer_can_write FROM families ${familyId ? 'WHERE family_id = ?' : ''} ORDER BY family_id`;
  return cache.get(sql).all(...(familyId ? [familyId] : [])) as FamilyRow[];
};

/**
 * Writes the history of one or every family as JSON lines, through the same allowlist as
 * `familyHistory` (projections/families/allowlist.ts): without a key as for a STATUS-scope
 * reader; with a key, as far as that key may see, and the export of personal data is recorded
 * in the access log.
 */
export const exportHistory = async (store: EventStore, readDb: Database.Database, options: ExportOptions): Promise<{ families: number; events: number }> => {
  const cache = new StatementCache(readDb);
  const actor = exporter(cache, options.apiKey);
  const now = options.now.toISOString();
  const rows = familiesToExport(cache, actor, options.familyId, now);
  if (options.familyId && rows.length === 0) throw new ExportError('the family was not found');
  let events = 0;
  const withPersonalData: string[] = [];
  for (const [index, row] of rows.entries()) {
    const disclosure = contextOf(row, liveStateOf(row));
    let showedPersonal = false;
    for await (const event of familyEvents(store, row.family_id)) {
      const line = exportedEventView(row.family_id, event, disclosure);
      showedPersonal ||= showsPersonalData(line.data);
      options.write(JSON.stringify(line));
      events += 1;
    }
    if (showedPersonal) withPersonalData.push(row.family_id);
    options.onProgress?.(index + 1, rows.length);
  }
  if (actor && withPersonalData.length > 0) await appendAccessLog(store, { viewer: actor, views: withPersonalData.map((familyId) => ({ familyId, fields: 'export' })), viewedAt: now });
  return { families: rows.length, events };
};

import { SYSTEM_ORGANIZATION_ID } from '../../services/organization/organization.js';
import { addDays, dateOf } from '../../services/shared/calendar-date.js';
import { formatPosition, parsePosition, type Position } from '../../services/event-store/position.js';
import type { RequestQueries } from '../statement-cache.js';
import { shownTo, statusAt, unlocatedAt, visibilityFor, type ViewerRole, type VisibilitySql } from './visibility.js';
import { DEADLINE_PRECISION } from './allowlist.js';
import { casefileFilterConditions, type CasefileFilter } from '../casefile/casefile-read-model.js';
import type Database from 'better-sqlite3';
import type { FamilyState } from '../../services/family/state.js';
import { LatestRevisionCache } from './latest-revision-cache.js';
import { familiesProjection } from './families-projection.js';
import { decodeFamilyState } from './state-codec.js';
import { registerFamiliesDay } from './sealed-day.js';

/**
 * Decoded family states, shared by all requests: the latest revision decoded of each family (a
 * row's state never changes for a given revision), the least recently used going first past
 * the limit (latest-revision-cache.ts). A page
 * reads `state_json` only for families whose state is not kept here (SQLite then reads none of
 * the large snapshots of the others): the SQL function `family_state_kept` asks.
 */
const DECODED_LIMIT = 5_000;
const decoded = new LatestRevisionCache<FamilyState>(DECODED_LIMIT);

/** The family's live state behind a live row, decoded once per family revision. */
export const liveStateOf = (row: FamilyRow): FamilyState => {
  if (row.kept_state) return row.kept_state;
  let state = decoded.get(row.family_id, row.revision);
  if (!state) {
    if (row.state_json === null) throw new Error('a family row without its state');
    state = decodeFamilyState(row.state_json);
    decoded.set(row.family_id, row.revision, state);
  }
  return state;
};

/** Forgets every decoded state (they hold personal data in plaintext). */
export const forgetDecodedStates = (): void => decoded.clear();

const withKeptFunction = new WeakSet<Database.Database>();
const registerKeptFunction = (db: Database.Database): void => {
  if (withKeptFunction.has(db)) return;
  db.function('family_state_kept', { deterministic: false }, (familyId: unknown, revision: unknown) =>
    (decoded.has(String(familyId), Number(revision)) ? 1 : 0));
  withKeptFunction.add(db);
};

/** The families table's columns, with `state_json` only where its decoded state is not kept. */
const FAMILY_COLUMNS = familiesProjection.tables['families']!.split(',')
  .map((definition) => definition.trim().split(/\s+/)[0]!)
  .map((column) => (column === 'state_json' ? 'CASE WHEN family_state_kept(f.family_id, f.revision) THEN NULL ELSE f.state_json END AS state_json' : `f.${column}`))
  .join(', ');

/** Rows whose snapshot was left out carry the kept state, taken in the same turn of the event loop as the query (nothing can drop it in between). */
const withKeptStates = (rows: FamilyRow[]): FamilyRow[] => {
  for (const row of rows) {
    if (row.state_json !== null) continue;
    const kept = decoded.get(row.family_id, row.revision);
    if (kept) (row as { kept_state?: FamilyState }).kept_state = kept;
  }
  return rows;
};

/** Scope numbers (viewer_scope) that may know an SIJ age-out's timing at all (DEADLINE_PRECISION): the filter matches only their families. */
const AGE_OUT_SCOPES = JSON.stringify(([['FULL', 3], ['DOCUMENTS', 2], ['STATUS', 1]] as const).filter(([scope]) => DEADLINE_PRECISION.SIJ_AGE_OUT[scope] !== 'NONE').map(([, n]) => n));

export interface FamilyRow {
  readonly family_id: string;
  readonly lead_organization_id: string;
  readonly programme: string | null;
  /** The lead's (FULL) status; a reader below FULL is shown the one of their scope (status_at_*, or computed: redaction.ts). */
  readonly status: string;
  readonly revision: number;
  readonly opened_at: string;
  readonly updated_at: string;
  readonly country: string | null;
  /** The folded state's snapshot; null when its decoded state was kept (`kept_state`), which the row then carries. */
  readonly state_json: string | null;
  readonly kept_state?: FamilyState;
  /** The caller's strongest access scope in force: 3 FULL (and the lead), 2 DOCUMENTS, 1 STATUS. */
  readonly viewer_scope: number;
  /** 1 when the caller's organisation may change the family: it leads it, or holds a write scope. */
  readonly viewer_can_write: number;
}

export interface FamilyFilter extends CasefileFilter {
  readonly status?: readonly string[] | null;
  readonly country?: string | null;
  readonly leadOrganizationId?: string | null;
  readonly agingOutWithinDays?: number | null;
  readonly hasUnlocatedRelative?: boolean | null;
  readonly updatedSince?: string | null;
}

export interface StatusChangeRow {
  readonly position_commit: bigint;
  readonly position_prepare: bigint;
  readonly family_id: string;
  readonly previous_status: string | null;
  readonly status: string;
  readonly occurred_at: string;
  readonly recorded_at: string;
}

export interface ReadModelViewer { readonly organizationId: string; readonly role: ViewerRole }

/**
 * Queries over the families read model (families, their deadlines and relatives, the status
 * change feed) for one viewer at one moment (`now`, against which expiries are compared): one
 * instance per request, subscription page, webhook pass or CLI export. Every query that returns
 * families or their changes is filtered in SQL to the families the caller may see
 * (visibility.ts); two are not: `caseload(true)` counts every organisation's families, and
 * `statusFeedHead` gives only a position.
 */
export class FamilyReadModel {
  private readonly visibility: VisibilitySql;
  private readonly viewerParameters: Record<string, unknown>;
  private readonly role: ViewerRole;

  constructor(
    private readonly queries: RequestQueries,
    viewer: ReadModelViewer,
    /** The instant access is judged at (expiries are compared with it). */
    readonly now: string,
  ) {
    registerKeptFunction(queries.cache.db);
    registerFamiliesDay(queries.cache.db);
    this.visibility = visibilityFor(viewer.role);
    this.role = viewer.role;
    // Auditors of the system organisation audit every family.
    this.viewerParameters = { viewerOrganizationId: viewer.organizationId, now, auditsAll: viewer.organizationId === SYSTEM_ORGANIZATION_ID ? 1 : 0 };
  }

  private all<T>(sql: string, parameters: Record<string, unknown> = {}): T[] {
    return this.queries.all<T>(sql, { ...this.viewerParameters, ...parameters });
  }

  /** The visible families among `ids`, in one statement. */
  familiesByIds(ids: readonly string[]): Map<string, FamilyRow> {
    const { visible, columns } = this.visibility;
    const rows = withKeptStates(this.all<FamilyRow>(`SELECT ${FAMILY_COLUMNS}, ${columns} FROM families f WHERE f.family_id IN (SELECT value FROM json_each(@ids)) AND ${visible}`, { ids: JSON.stringify(ids) }));
    return new Map(rows.map((row) => [row.family_id, row]));
  }

  /**
   * A page of visible families in id order, after an id (exclusive), and the total as a
   * function: its count runs only if it is asked for (once), not on every page.
   */
  listFamilies(filter: FamilyFilter, first: number, afterId: string | undefined): { rows: FamilyRow[]; hasNextPage: boolean; totalCount: () => number } {
    const { visible, columns, visibleSet, countAll } = this.visibility;
    const conditions = [visible];
    const parameters: Record<string, unknown> = {};
    // Status and relatives sought as the caller's scope may know them (people hidden from it change nothing).
    if (filter.status?.length) {
      conditions.push(`${statusAt(this.visibility.scope)} IN (SELECT value FROM json_each(@statuses))`);
      parameters['statuses'] = JSON.stringify(filter.status);
    }
    if (filter.country) {
      conditions.push('f.country = @country');
      parameters['country'] = filter.country;
    }
    if (filter.leadOrganizationId) {
      conditions.push('f.lead_organization_id = @lead');
      parameters['lead'] = filter.leadOrganizationId;
    }
    if (filter.agingOutWithinDays !== undefined && filter.agingOutWithinDays !== null) {
      // By calendar month: partners who may know an age-out only by its month learn no more by
      // moving the number of days one at a time (projections/families/allowlist.ts). A scope that
      // may not know its timing at all (DOCUMENTS: with the birth date it tells the state's age
      // limit) never matches: whether a family matches would tell the month.
      conditions.push(`f.earliest_age_out_on IS NOT NULL AND substr(families_day('families.earliest_age_out_on', f.earliest_age_out_on), 1, 7) <= @ageOutMonth
        AND ${this.visibility.scope} IN (SELECT value FROM json_each(@ageOutScopes))`);
      parameters['ageOutScopes'] = AGE_OUT_SCOPES;
      parameters['ageOutMonth'] = addDays(dateOf(this.now), filter.agingOutWithinDays).slice(0, 7);
    }
    if (filter.hasUnlocatedRelative !== undefined && filter.hasUnlocatedRelative !== null) {
      conditions.push(`${unlocatedAt(this.visibility.scope)} ${filter.hasUnlocatedRelative ? '> 0' : '= 0'}`);
    }
    if (filter.updatedSince) {
      conditions.push('f.updated_at >= @updatedSince');
      parameters['updatedSince'] = filter.updatedSince;
    }
    const casefile = casefileFilterConditions(filter, this.role, this.now);
    conditions.push(...casefile.conditions);
    Object.assign(parameters, casefile.parameters);
    const where = conditions.join(' AND ');
    let counted: number | undefined;
    const totalCount = (): number =>
      (counted ??= this.all<{ n: number }>(
        conditions.length === 1 && countAll
          ? countAll
          : `SELECT count(*) AS n FROM families f WHERE ${[visibleSet, ...conditions.slice(1)].join(' AND ')}`,
        parameters,
      )[0]?.n ?? 0);
    const page = withKeptStates(this.all<FamilyRow>(
      `SELECT ${FAMILY_COLUMNS}, ${columns} FROM families f WHERE ${where} AND f.family_id > @after ORDER BY f.family_id LIMIT @limit`,
      { ...parameters, limit: first + 1, after: afterId ?? '' },
    ));
    return { rows: page.slice(0, first), hasNextPage: page.length > first, totalCount };
  }

  upcomingDeadlines(withinDays: number): Array<{ family_id: string; deadline_id: string; kind: string; due_on: string; status: string }> {
    return this.all(
      `SELECT d.family_id, d.deadline_id, d.kind, families_day('family_deadlines.due_on', d.due_on) AS due_on, d.status
       FROM family_deadlines d JOIN families f ON f.family_id = d.family_id
       WHERE d.status = 'OPEN' AND families_day('family_deadlines.due_on', d.due_on) <= @until AND ${this.visibility.visibleSet}
       ORDER BY 4, d.family_id, d.deadline_id`,
      { until: addDays(dateOf(this.now), withinDays) },
    );
  }

  /**
   * Until when (epoch milliseconds, exclusive) the caller's organisation's access stays as it is
   * at `now` without a new event: the earliest expiry still ahead among its access rows
   * (Infinity when none). Expiries SQLite cannot read are never in force, whatever the time.
   */
  accessUnchangedUntil(): number {
    const [row] = this.all<{ next: number | null }>(
      `SELECT min(unixepoch(a.expires_at, 'subsec')) AS next FROM family_access a WHERE a.organization_id = @viewerOrganizationId
        AND a.expires_at IS NOT NULL AND unixepoch(a.expires_at, 'subsec') > unixepoch(@now, 'subsec')`,
    );
    return row?.next === null || row?.next === undefined ? Number.POSITIVE_INFINITY : row.next * 1000;
  }

  /** Visible families by status (as the caller's scope may know each) and country. */
  familiesByStatusAndCountry(): Array<{ status: string; country: string | null; families: number }> {
    return this.all(`SELECT ${statusAt(this.visibility.scope)} AS status, f.country, count(*) AS families FROM families f
      WHERE ${this.visibility.visibleSet} GROUP BY 1, 2 ORDER BY 1, 2`);
  }

  /**
   * Relatives still sought, by the family's country and calendar months since separation (null:
   * unknown). Calendar months, not whole months: a count that changed on the separation's day of
   * the month would tell a partner who may not know the date that day. Only relatives shown to the
   * caller's scope count; the months are null for families the caller sees at STATUS scope (the
   * separation date is DOCUMENTS data: one family's row would tell its month).
   */
  unlocatedRelatives(): Array<{ country: string | null; months_since_separation: number | null; relatives: number }> {
    return this.all(
      `SELECT f.country,
         CASE WHEN f.separated_on IS NULL OR ${this.visibility.scope} < 2 THEN NULL
              ELSE (CAST(strftime('%Y', @today) AS INTEGER) - CAST(strftime('%Y', f.separated_on) AS INTEGER)) * 12
                 + CAST(strftime('%m', @today) AS INTEGER) - CAST(strftime('%m', f.separated_on) AS INTEGER) END AS months_since_separation,
         count(*) AS relatives
       FROM family_relatives r JOIN families f ON f.family_id = r.family_id
       WHERE r.location_status IN ('TRACING', 'UNREACHABLE') AND ${this.visibility.visibleSet} AND ${shownTo('r.shown_to', this.visibility.scope)}
       GROUP BY 1, 2 ORDER BY 1, 2`,
      { today: dateOf(this.now) },
    );
  }

  /**
   * Open families per lead organisation and status: counts only, to choose who can take a
   * transfer. Over every organisation's families when `everyOrganization`, else the visible ones.
   * Each family counts with the status the caller's scope may know (STATUS for a family the caller
   * cannot see): people hidden from that scope change no count.
   */
  caseload(everyOrganization: boolean): Array<{ organization_id: string; status: string; families: number }> {
    const among = everyOrganization ? '' : `AND ${this.visibility.visibleSet}`;
    const status = statusAt(`coalesce(${this.visibility.scope}, 1)`);
    return this.all(
      `SELECT f.lead_organization_id AS organization_id, ${status} AS status, count(*) AS families FROM families f
       WHERE f.status <> 'CLOSED' ${among} GROUP BY 1, 2 ORDER BY 1, 2`,
    );
  }

  /**
   * The status changes after a position, oldest first, of the families the caller may see now
   * (all of them, or those among `familyIds`), each as the caller's scope saw it (a change only a
   * wider scope may know is not in the feed). Positions come back as bigints.
   */
  statusChangesAfter(after: Position | undefined, familyIds: readonly string[] | undefined, limit: number): StatusChangeRow[] {
    const among = familyIds ? 'AND c.family_id IN (SELECT value FROM json_each(@ids))' : '';
    // CROSS JOIN keeps the feed as the outer loop: a seek to the cursor, then an access check per
    // row until the page is full, whatever the number of families the caller can see (profiled:
    // the set form visited every visible family per call and was most of the fan-out's CPU).
    const sql = `SELECT c.* FROM status_changes c CROSS JOIN families f ON f.family_id = c.family_id
      WHERE (c.position_commit, c.position_prepare) > (@afterCommit, @afterPrepare) ${among} AND ${shownTo('c.audience', this.visibility.scope)}
      ORDER BY c.position_commit, c.position_prepare LIMIT @limit`;
    return this.queries.allSafeIntegers<StatusChangeRow>(sql, {
      ...this.viewerParameters,
      afterCommit: after?.commit ?? -1n,
      afterPrepare: after?.prepare ?? -1n,
      limit: BigInt(limit),
      ...(familyIds ? { ids: JSON.stringify(familyIds) } : {}),
    });
  }

  /** The newest status change's position: where a subscription without a cursor starts. */
  statusFeedHead(): Position | undefined {
    const [row] = this.queries.allSafeIntegers<Position>('SELECT position_commit AS "commit", position_prepare AS "prepare" FROM status_changes ORDER BY position_commit DESC, position_prepare DESC LIMIT 1');
    return row ? { commit: row.commit, prepare: row.prepare } : undefined;
  }
}

/** A status change's cursor: its event's position, the same string a mutation returns as `position`. */
export const feedCursor = (row: Pick<StatusChangeRow, 'position_commit' | 'position_prepare'>): string =>
  formatPosition({ commit: row.position_commit, prepare: row.position_prepare });

export const parseFeedCursor = (cursor: string): Position | undefined => parsePosition(cursor);

import { familyEventOf } from '../../services/family/upcast.js';
import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../services/event-store/port.js';
import { toUtcInstant } from '../../services/shared/instant.js';
import { evolve } from '../../services/family/evolve.js';
import { initialFamilyState, type DeadlineState, type FamilyState } from '../../services/family/state.js';
import type { BoundProjection, Projection } from '../projection.js';
import { familyChildRows, familyColumns, sameRow, SCOPE_BITS, statusReadingOf, type FamilyChildRows, type KeptDay, type StatusReading } from './family-rows.js';
import { keptDay, type DayPlace } from './sealed-day.js';
import { SizedLru } from './family-state-cache.js';
import { readModelSealerOf } from '../read-model-sealing.js';
import { decodeFamilyState, encodeFamilyState, EncodingMemo } from './state-codec.js';

const FAMILY_STREAM_PREFIX = 'family-';

/** A family while a batch folds it: its state so far, and its rows as they stood when the batch began. */
interface Touched {
  state: FamilyState;
  revision: number;
  openedAt: string;
  updatedAt: string;
  /** Its status per scope as of `state`, once computed, with the parts of the state it was computed from (statusReadingOf). */
  statuses: StatusReading | null;
  readonly rows: FamilyChildRows;
  /** The encoded text of the parts of its states, carried from batch to batch while it is kept. */
  readonly memo: EncodingMemo;
}

/**
 * The families read model: one row per family (status, next deadline, lead organisation, a
 * snapshot of the folded state for nested fields), its relatives, deadlines and access rows,
 * and the status-change feed. Within a batch each family is folded in memory and written
 * once, at the end, in the batch's transaction.
 *
 * Version 3: access rows hold `expires_at` in UTC normal form, also for events recorded with an
 * offset before inputs were normalised (an expiry that cannot be read is stored as the earliest
 * instant: that access has ended). visibility.ts compares it with the time of the query.
 * Version 4: the state snapshot holds everyone named in a "never disclose to" list
 * (`neverDiscloseTo`), which redaction hides below FULL; older snapshots lack it.
 * Version 5: the folded state gained each child's placement history, separation causes and
 * planned caregiver, relatives' children, safety assessment, verification and location date,
 * documents' subject, concerns' kind and subject, matters' dates, dated facts per child and
 * the safety overrides (issue 14): status, blockers and the safety gates read them.
 * Version 6: the snapshot holds the consent, kept-access and assignment facts (`handoffs`), and
 * access rows hold kept read access with its expiry and Defender assignments (via ASSIGNMENT).
 * Version 7 (both merged): what a scope may know of a family is computed on the family as it may see it
 * (services/family/disclosure.ts `familySeenAt`), so people hidden from a scope change none of
 * its figures: families keep a status and a count of relatives sought per scope
 * (`status_at_documents`, `status_at_status`, `unlocated_at_*`), relatives the scopes they are
 * shown to (`shown_to`, a mask: STATUS 1, DOCUMENTS 2, FULL 4), and each status change the
 * scopes that see it (`audience`): a change only the lead may know is not in a partner's feed.
 * Version 8: a transfer ends the former lead's own assignments (services/family/handoff-state.ts),
 * so its access rows through them go.
 * Version 9: the state snapshot holds each person's personal values sealed with their data key
 * (state-codec.ts, services/privacy/read-model-sealer.ts); older snapshots held them in plaintext.
 * Version 10: the same shape, rebuilt once so that read models written in plaintext with the key
 * store in EventStoreDB (which offered no synchronous keys before) are sealed; the version
 * dropped is zeroed (secure_delete).
 * Version 11: an age-out's day (from the birth date) sealed under the child in the snapshot,
 * `family_deadlines.due_on`, `next_deadline_on` and `earliest_age_out_on` (sealed-day.ts).
 * Version 12: access rows via ASSIGNMENT only for work on what STATUS may see (access-policy.ts):
 * an assignment about a hidden person gave its Defender sight of the family and showed in sharing.
 */
export const familiesProjection: Projection = {
  name: 'families',
  version: 12,
  tables: {
    families: `family_id TEXT PRIMARY KEY, lead_organization_id TEXT NOT NULL, programme TEXT, status TEXT NOT NULL,
      revision INTEGER NOT NULL, opened_at TEXT NOT NULL, updated_at TEXT NOT NULL, country TEXT, separated_on TEXT,
      next_deadline_on TEXT, next_deadline_kind TEXT, earliest_age_out_on TEXT, unlocated_relatives INTEGER NOT NULL,
      state_json TEXT NOT NULL, status_at_documents TEXT NOT NULL, status_at_status TEXT NOT NULL,
      unlocated_at_documents INTEGER NOT NULL, unlocated_at_status INTEGER NOT NULL`,
    family_relatives: `family_id TEXT NOT NULL, relative_id TEXT NOT NULL, relationship TEXT NOT NULL, location_status TEXT NOT NULL,
      located_country TEXT, sought_since TEXT, shown_to INTEGER NOT NULL, PRIMARY KEY (family_id, relative_id)`,
    family_deadlines: `family_id TEXT NOT NULL, deadline_id TEXT NOT NULL, kind TEXT NOT NULL, due_on TEXT NOT NULL, status TEXT NOT NULL,
      PRIMARY KEY (family_id, deadline_id)`,
    family_access: `family_id TEXT NOT NULL, organization_id TEXT NOT NULL, scope TEXT NOT NULL, expires_at TEXT, via TEXT NOT NULL,
      PRIMARY KEY (family_id, organization_id, via)`,
    status_changes: `position_commit INTEGER NOT NULL, position_prepare INTEGER NOT NULL, family_id TEXT NOT NULL,
      previous_status TEXT, status TEXT NOT NULL, occurred_at TEXT NOT NULL, recorded_at TEXT NOT NULL, audience INTEGER NOT NULL,
      PRIMARY KEY (position_commit, position_prepare, audience)`,
  },
  indexes: [
    'CREATE INDEX IF NOT EXISTS {families}_status ON {families} (status, family_id)',
    'CREATE INDEX IF NOT EXISTS {families}_lead ON {families} (lead_organization_id, status)',
    'CREATE INDEX IF NOT EXISTS {family_deadlines}_due ON {family_deadlines} (status, due_on)',
    'CREATE INDEX IF NOT EXISTS {family_access}_visibility ON {family_access} (organization_id, family_id, expires_at)',
    'CREATE INDEX IF NOT EXISTS {status_changes}_family ON {status_changes} (family_id)',
  ],
  bind: (db, table) => bindFamilies(db, table),
};

/** The earliest instant the normal form has: an unreadable expiry has passed. */
const ALREADY_EXPIRED = '0001-01-01T00:00:00.000Z';
const expiryRow = (expiresAt: string): string => toUtcInstant(expiresAt) ?? ALREADY_EXPIRED;

/**
 * How much decoded state the projection keeps between batches, counted as the length of the
 * families' encoded snapshots, twice (the encoding memo holds about as much text again; the
 * decoded objects take a small multiple of it in memory).
 */
const KEPT_STATE_CHARS = 64 * 2 ** 20;

/** A family as its rows stand after a committed write (or as read back from them). */
interface Kept {
  readonly state: FamilyState;
  readonly revision: number;
  readonly openedAt: string;
  readonly updatedAt: string;
  readonly statuses: StatusReading | null;
  readonly rows: FamilyChildRows;
  readonly memo: EncodingMemo;
}

const bindFamilies = (db: Database.Database, table: (base: string) => string): BoundProjection => {
  const families = table('families');
  const sealer = readModelSealerOf(db);
  /**
   * Deadline days as the rows keep them: an age-out's sealed under the child (sealed-day.ts),
   * once per deadline object and place (the sealing is deterministic and the fold never changes
   * a deadline it made; an erasure makes new deadline objects without the day).
   */
  const sealedDays = new WeakMap<DeadlineState, { readonly familyId: string; readonly byPlace: Map<DayPlace, string | null> }>();
  const dayIn = (familyId: string): KeptDay => (deadline, place) => {
    if (!sealer || deadline.personalDueOn !== true) return keptDay(sealer, familyId, deadline, place);
    let known = sealedDays.get(deadline);
    if (known?.familyId !== familyId) {
      known = { familyId, byPlace: new Map() };
      sealedDays.set(deadline, known);
    }
    let day = known.byPlace.get(place);
    if (day === undefined) {
      day = keptDay(sealer, familyId, deadline, place);
      known.byPlace.set(place, day);
    }
    return day;
  };
  const load = db.prepare(`SELECT state_json, revision, opened_at, updated_at FROM ${families} WHERE family_id = ?`);
  const revisionOf = db.prepare(`SELECT revision FROM ${families} WHERE family_id = ?`).pluck();
  const upsert = db.prepare(`INSERT INTO ${families} (family_id, lead_organization_id, programme, status, revision, opened_at, updated_at,
      country, separated_on, next_deadline_on, next_deadline_kind, earliest_age_out_on, unlocated_relatives, state_json,
      status_at_documents, status_at_status, unlocated_at_documents, unlocated_at_status)
    VALUES (@familyId, @leadOrganizationId, @programme, @status, @revision, @openedAt, @updatedAt, @country, @separatedOn,
      @nextDeadlineOn, @nextDeadlineKind, @earliestAgeOutOn, @unlocatedRelatives, @stateJson,
      @statusAtDocuments, @statusAtStatus, @unlocatedAtDocuments, @unlocatedAtStatus)
    ON CONFLICT (family_id) DO UPDATE SET lead_organization_id = excluded.lead_organization_id, programme = excluded.programme,
      status = excluded.status, revision = excluded.revision, updated_at = excluded.updated_at, country = excluded.country,
      separated_on = excluded.separated_on, next_deadline_on = excluded.next_deadline_on, next_deadline_kind = excluded.next_deadline_kind,
      earliest_age_out_on = excluded.earliest_age_out_on, unlocated_relatives = excluded.unlocated_relatives, state_json = excluded.state_json,
      status_at_documents = excluded.status_at_documents, status_at_status = excluded.status_at_status,
      unlocated_at_documents = excluded.unlocated_at_documents, unlocated_at_status = excluded.unlocated_at_status`);
  const childTables = {
    relatives: {
      put: db.prepare(`INSERT OR REPLACE INTO ${table('family_relatives')} VALUES (?, ?, ?, ?, ?, ?, ?)`),
      remove: db.prepare(`DELETE FROM ${table('family_relatives')} WHERE family_id = ? AND relative_id = ?`),
    },
    deadlines: {
      put: db.prepare(`INSERT OR REPLACE INTO ${table('family_deadlines')} VALUES (?, ?, ?, ?, ?)`),
      remove: db.prepare(`DELETE FROM ${table('family_deadlines')} WHERE family_id = ? AND deadline_id = ?`),
    },
    access: {
      put: db.prepare(`INSERT OR REPLACE INTO ${table('family_access')} VALUES (?, ?, ?, ?, ?)`),
      remove: db.prepare(`DELETE FROM ${table('family_access')} WHERE family_id = ? AND organization_id = ? AND via = ?`),
    },
  } as const;
  const insertChange = db.prepare(`INSERT INTO ${table('status_changes')} VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  // The projection is the only writer of its rows. What it keeps is checked against the row's
  // revision before use (a rolled-back batch left the row older than what was kept), and
  // dropped by `discard` after a failed batch or when the rows are emptied.
  const kept = new SizedLru<Kept>(KEPT_STATE_CHARS);
  const NO_ROWS: FamilyChildRows = { relatives: new Map(), deadlines: new Map(), access: new Map() };

  /** The family as its rows stand now: from what was kept when it is still current, else decoded from its row; undefined for a new family. */
  const current = (familyId: string): Kept | undefined => {
    const known = kept.get(familyId);
    if (known && revisionOf.get(familyId) === known.revision) return known;
    if (known) kept.delete(familyId);
    const row = load.get(familyId) as { state_json: string; revision: number; opened_at: string; updated_at: string } | undefined;
    if (!row) return undefined;
    const state = sealer ? decodeFamilyState(row.state_json, sealer) : decodeFamilyState(row.state_json);
    return { state, revision: row.revision, openedAt: row.opened_at, updatedAt: row.updated_at, statuses: null, rows: familyChildRows(state, expiryRow, dayIn(familyId)), memo: new EncodingMemo(familyId, sealer) };
  };

  /** Rewrites only the rows whose values changed since the batch began, and deletes the rows that are gone. */
  const writeChildRows = (familyId: string, before: FamilyChildRows, after: FamilyChildRows): void => {
    for (const name of ['relatives', 'deadlines', 'access'] as const) {
      const { put, remove } = childTables[name];
      for (const [key, values] of after[name]) if (!sameRow(before[name].get(key), values)) put.run(familyId, ...values);
      for (const [key, values] of before[name]) {
        if (after[name].has(key)) continue;
        if (name === 'access') remove.run(familyId, values[0], values[3]);
        else remove.run(familyId, key);
      }
    }
  };

  const write = (familyId: string, entry: Touched): void => {
    const { state, revision, openedAt, updatedAt, memo } = entry;
    const statuses = entry.statuses ?? statusReadingOf(state);
    const stateJson = encodeFamilyState(state, sealer, undefined, memo);
    upsert.run({ familyId, ...familyColumns(state, statuses.statuses, dayIn(familyId)), revision, openedAt, updatedAt, stateJson });
    const rows = familyChildRows(state, expiryRow, dayIn(familyId));
    writeChildRows(familyId, entry.rows, rows);
    // Counted twice: the memo holds about as much text again as the snapshot.
    kept.set(familyId, { state, revision, openedAt, updatedAt, statuses, rows, memo }, 2 * stateJson.length);
  };

  return {
    applyBatch(events: readonly RecordedEvent[]) {
      const touched = new Map<string, Touched>();
      for (const event of events) {
        if (!event.stream.startsWith(FAMILY_STREAM_PREFIX)) continue;
        const familyId = event.stream.slice(FAMILY_STREAM_PREFIX.length);
        const recordedAt = typeof event.metadata['recordedAt'] === 'string' ? event.metadata['recordedAt'] : event.recordedAt.toISOString();
        const occurredAt = typeof event.metadata['occurredAt'] === 'string' ? event.metadata['occurredAt'] : recordedAt;
        let entry = touched.get(familyId);
        if (!entry) {
          const known = current(familyId);
          entry = known
            ? { ...known }
            : { state: initialFamilyState, revision: -1, openedAt: recordedAt, updatedAt: recordedAt, statuses: null, rows: NO_ROWS, memo: new EncodingMemo(familyId, sealer) };
          touched.set(familyId, entry);
        }
        const previous = entry.state.exists ? (entry.statuses ?? statusReadingOf(entry.state)) : undefined;
        entry.state = evolve(entry.state, familyEventOf(event));
        entry.revision = event.revision;
        entry.updatedAt = recordedAt;
        const reading = statusReadingOf(entry.state, previous);
        entry.statuses = reading;
        // Statuses computed from the same parts are the same: no change to record.
        if (reading === previous) continue;
        // One row per distinct change, with the scopes that see it: a scope whose status did not change gets none.
        const before = previous?.statuses;
        const after = reading.statuses;
        const audiences = new Map<string, number>();
        for (const [scope, bit] of SCOPE_BITS) {
          const previous = before?.[scope] ?? null;
          if (after[scope] === previous) continue;
          const key = JSON.stringify([previous, after[scope]]);
          audiences.set(key, (audiences.get(key) ?? 0) | bit);
        }
        for (const [key, audience] of audiences) {
          const [previous, status] = JSON.parse(key) as [string | null, string];
          insertChange.run(event.position.commit, event.position.prepare, familyId, previous, status, occurredAt, recordedAt, audience);
        }
      }
      for (const [familyId, entry] of touched) write(familyId, entry);
    },
    discard: () => kept.clear(),
  };
};

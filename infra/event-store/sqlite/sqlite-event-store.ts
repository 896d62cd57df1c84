import type Database from 'better-sqlite3';
import { open as openFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StreamDeletionUnsupportedError, StreamNotFoundError, WrongExpectedRevisionError } from '../../../services/event-store/errors.js';
import type {
  AllSubscription,
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
} from '../../../services/event-store/port.js';
import { positionOf, type Position } from '../../../services/event-store/position.js';
import { Signal } from '../../../services/shared/signal.js';
import { openDurableDatabase } from './open-database.js';
import { EventInserter } from './event-inserter.js';
import { GroupCommitter, type GroupCommitStats } from './group-commit.js';
import { EVENT_COLUMNS, EVENTS_WITH_STREAM, STREAM_EVENT_COLUMNS, toRecordedEvent, type EventRow } from './rows.js';
import { migrateEventStore } from './schema.js';
import { PollingAllSubscription } from './polling-all-subscription.js';

const PAGE_SIZE = 512;
/** Stream ids kept in memory (a name and a bigint each); past it the map starts again. */
const STREAM_IDS_KEPT = 100_000;
/** How soon a subscriber sees events appended by another process (same-process: at once). */
const DEFAULT_POLL_MS = 100;

interface AppendJob {
  readonly stream: string;
  readonly events: readonly EventToAppend[];
  readonly expected: ExpectedRevision;
}

/** Larger than any position: the upper bound of a read of $all when every commit is durable. */
const NO_BOUND = 9_223_372_036_854_775_807n;

/**
 * How an append becomes durable. `sync-off-loop` (the default): the connection commits with
 * `synchronous=NORMAL` (the COMMIT writes the write-ahead log, no fsync) and the group is
 * acknowledged after an fdatasync of the log on libuv's thread pool, so the event loop decides
 * the next requests while the disk syncs. `fsync-in-commit`: `synchronous=FULL`, the COMMIT
 * fsyncs on the event-loop thread (what the store did before; kept for comparison).
 */
export type AppendDurability = 'sync-off-loop' | 'fsync-in-commit';

/**
 * The embedded event store: one SQLite file, one long-lived connection. Appends are group
 * committed (`group-commit.ts`): those queued in the same turn of the event loop share one
 * `BEGIN IMMEDIATE` transaction and one fsync, each with its own expectation check and result;
 * no append's promise resolves before that fsync.
 *
 * With `sync-off-loop`, a commit is readable by this connection before its fsync has returned.
 * What may not show it yet: `readAll`, `subscribeToAll` and `headPosition` (what projections,
 * and so every read model, webhook and subscription, are fed from) stop before the first
 * position this process committed that is not durable yet, so nothing downstream ever shows an
 * event a power cut could still take back. `readStream` shows it: a command decided on it
 * appends after it, and that append is acknowledged only after a sync that covers both.
 * Limits: a reader in another process may see a commit of this one up to one fsync before it
 * is durable; while a sync is in flight, events another process appended after this process's
 * first unsynced one are held back from `readAll` too (until that sync returns).
 */
/**
 * The write-ahead log's descriptor for syncing, the first time it is needed. SQLite creates the
 * log at this process's first write and syncs its directory entry only at its first checkpoint;
 * fdatasync of the file does not cover the entry (POSIX), so the directory is synced once here:
 * a power cut before the first checkpoint cannot lose the log's name with every acknowledged
 * commit in it. (Journaling file systems such as ext4 and xfs order this anyway.)
 */
const openWriteAheadLog = async (databaseFile: string): Promise<FileHandle> => {
  const wal = await openFile(`${databaseFile}-wal`, 'r+');
  const directory = await openFile(dirname(databaseFile), 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
  return wal;
};

export class SqliteEventStore implements EventStore {
  private readonly committed = new Signal();
  private readonly subscriptions = new Set<AllSubscription>();
  private readonly statements;
  private readonly appends: GroupCommitter<AppendJob, AppendResult>;
  private readonly inserter: EventInserter;
  /** `readAll` stops at this position: the last before this process's first commit that is not durable yet. */
  private unsyncedAfter: bigint | undefined;
  private groupFloor = 0n;
  private readonly streamIds = new Map<string, bigint>();
  private committedHead = 0n;
  private wal: FileHandle | undefined;
  /**
   * Per stream, a revision at and after which it holds nothing: true when recorded (by this
   * connection's own commits, inside the write lock, and by forward reads that reached the
   * stream's end) and kept true, since this connection's commits update it and every entry is
   * dropped as soon as `PRAGMA data_version` shows another connection committed since the last
   * look. A stream read from there on answers without a query (a command on an unchanged
   * stream, the organisations a family command reads) and still sees every other writer.
   */
  private readonly streamEnds = new Map<bigint, number>();
  private streamEndsVersion: bigint | undefined;
  /** The last revision of each append of the group in its transaction: stream ends once it committed. */
  private groupHeads: Array<readonly [bigint, number]> = [];

  private constructor(
    private readonly db: Database.Database,
    private readonly pollMs: number,
    durability: AppendDurability,
  ) {
    this.statements = prepareStatements(db);
    this.inserter = new EventInserter(db);
    this.appends = new GroupCommitter<AppendJob, AppendResult>(
      db,
      (job) => this.appendInTransaction(job.stream, job.events, job.expected),
      () => this.committed.notify(),
      durability === 'sync-off-loop'
        ? {
          beforeGroup: () => (this.groupFloor = this.storedHead()),
          afterGroup: () => {
            this.unsyncedAfter ??= this.groupFloor;
            this.committedHead = this.storedHead();
          },
          sync: () => this.syncWriteAheadLog(),
        }
        : undefined,
      {
        beforeGroup: () => (this.groupHeads = []),
        committed: () => {
          for (const [streamId, revision] of this.groupHeads) this.rememberEnd(streamId, revision + 1, true);
          this.groupHeads = [];
        },
      },
    );
  }

  /**
   * `busyTimeoutMs`: how long a commit waits for another process's write lock (default 10 s).
   * `durability`: see AppendDurability (default `sync-off-loop`).
   */
  static open(file: string, options: { pollMs?: number; busyTimeoutMs?: number; durability?: AppendDurability } = {}): SqliteEventStore {
    const db = openDurableDatabase(file);
    if (options.busyTimeoutMs !== undefined) db.pragma(`busy_timeout = ${String(Math.max(0, Math.floor(options.busyTimeoutMs)))}`);
    migrateEventStore(db);
    const durability = options.durability ?? 'sync-off-loop';
    // The group committer syncs the log itself before acknowledging (group-commit.ts, Durability).
    if (durability === 'sync-off-loop') db.pragma('synchronous = NORMAL');
    return new SqliteEventStore(db, options.pollMs ?? DEFAULT_POLL_MS, durability);
  }

  appendToStream(
    stream: string,
    events: readonly EventToAppend[],
    options: { readonly expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    if (events.length === 0) return Promise.reject(new Error('appendToStream needs at least one event'));
    return this.appends.submit({ stream, events, expected: options.expectedRevision }, events.length);
  }

  /**
   * Refused, always: the embedded store is append-only (triggers refuse UPDATE and DELETE, and
   * positions must never be reused). Its key store is the embedded one, which erases by
   * destroying a row of its own, so nothing here needs a deletion.
   */
  deleteStream(stream: string): Promise<void> {
    return Promise.reject(new StreamDeletionUnsupportedError(stream));
  }

  /** How the appends were grouped so far (for the benchmark and the crash test). */
  /** False once the store could not make its writes durable: it refuses every append until restarted (readiness says so). */
  acceptsAppends(): boolean {
    return this.appends.acceptsJobs();
  }

  groupCommitStats(): GroupCommitStats {
    return this.appends.stats();
  }

  async *readStream(stream: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    let next = startRevision(options.fromRevision, backwards);
    const streamId = this.streamIdOf(stream);
    if (streamId === undefined) throw new StreamNotFoundError(stream);
    // At or past the stream's known end: nothing to read.
    if (!backwards && next >= (this.knownEnd(streamId) ?? Number.POSITIVE_INFINITY)) return;
    while (remaining > 0) {
      const limit = Math.min(PAGE_SIZE, remaining);
      const rows = (backwards ? this.statements.readBackward : this.statements.readForward).all(
        stream,
        streamId,
        next,
        limit,
      ) as EventRow[];
      if (!backwards && rows.length < limit) this.rememberEnd(streamId, rows.length > 0 ? Number(rows[rows.length - 1]!.revision) + 1 : next, false);
      for (const row of rows) yield toRecordedEvent(row);
      if (rows.length < limit) return;
      remaining -= rows.length;
      next = Number(rows[rows.length - 1]?.revision) + (backwards ? -1 : 1);
      await yieldToEventLoop();
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    let after = options.after?.commit ?? 0n;
    while (remaining > 0) {
      const rows = this.readAllPage(after, Math.min(PAGE_SIZE, remaining));
      for (const event of rows) yield event;
      if (rows.length < Math.min(PAGE_SIZE, remaining)) return;
      remaining -= rows.length;
      after = rows[rows.length - 1]?.position.commit ?? after;
      await yieldToEventLoop();
    }
  }

  /** The last durable event's position (see the class comment: not one this process has yet to sync). */
  headPosition(): Promise<Position | undefined> {
    const head = this.storedHead();
    const visible = this.unsyncedAfter !== undefined && this.unsyncedAfter < head ? this.unsyncedAfter : head;
    return Promise.resolve(visible === 0n ? undefined : positionOf(visible));
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    const subscription = new PollingAllSubscription({
      after: options.after?.commit ?? 0n,
      readPage: (after) => this.readAllPage(after, PAGE_SIZE),
      waitForAppend: () => this.committed.wait(this.pollMs),
      onStop: () => {
        this.subscriptions.delete(subscription);
        this.committed.notify();
      },
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    await this.appends.drain();
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    this.db.close();
    await this.wal?.close();
  }

  private readAllPage(after: bigint, limit: number): RecordedEvent[] {
    return (this.statements.readAll.all(after, this.unsyncedAfter ?? NO_BOUND, limit) as EventRow[]).map(toRecordedEvent);
  }

  private storedHead(): bigint {
    return (this.statements.head.get() as { position: bigint | null }).position ?? 0n;
  }

  /**
   * fdatasync of the write-ahead log, where every COMMIT of this connection has written its
   * frames (fsync flushes the file's pages whichever descriptor wrote them): every group
   * committed before it began is durable once it returns. SQLite itself syncs the log before
   * a checkpoint copies it into the database, and the database after. Limit: the descriptor is
   * opened once; SQLite deletes and recreates the log only when its last connection closes,
   * which this open connection never is before `close`.
   */
  private async syncWriteAheadLog(): Promise<void> {
    const covered = this.committedHead;
    this.wal ??= await openWriteAheadLog(this.db.name);
    await this.wal.datasync();
    // Positions up to `covered` are durable; what committed during the sync waits for the next one.
    this.unsyncedAfter = this.committedHead > covered ? covered : undefined;
  }

  /**
   * A stream's interned id. Ids are never reused or removed (no deletes), so one read outside a
   * transaction is kept; one seen inside a group's transaction may yet roll back, so it is not.
   */
  private streamIdOf(stream: string): bigint | undefined {
    const known = this.streamIds.get(stream);
    if (known !== undefined) return known;
    const row = this.statements.streamId.get(stream) as { stream_id: bigint } | undefined;
    if (row && !this.db.inTransaction) {
      if (this.streamIds.size >= STREAM_IDS_KEPT) this.streamIds.clear();
      this.streamIds.set(stream, row.stream_id);
    }
    return row?.stream_id;
  }

  /**
   * A revision at and after which the stream holds nothing, if this connection knows one (see
   * `streamEnds`). First drops every entry when another connection has committed since the last
   * look (data_version changes only for other connections' commits). Never inside a
   * transaction: the group's own uncommitted writes must be seen.
   */
  private knownEnd(streamId: bigint): number | undefined {
    if (this.db.inTransaction) return undefined;
    const version = (this.statements.dataVersion.get() as { data_version: bigint }).data_version;
    if (version !== this.streamEndsVersion) {
      this.streamEnds.clear();
      this.streamEndsVersion = version;
      return undefined;
    }
    return this.streamEnds.get(streamId);
  }

  /** `exact` (a commit): the stream's end now; else a bound that holds, kept if lower than the one known. */
  private rememberEnd(streamId: bigint, end: number, exact: boolean): void {
    if (this.db.inTransaction) return;
    const known = this.streamEnds.get(streamId);
    if (!exact && known !== undefined && known <= end) return;
    if (this.streamEnds.size >= STREAM_IDS_KEPT) this.streamEnds.clear();
    this.streamEnds.set(streamId, end);
  }

  private currentRevision(streamId: bigint | undefined): number | undefined {
    if (streamId === undefined) return undefined;
    const row = this.statements.currentRevision.get(streamId) as { revision: bigint | null };
    return row.revision === null ? undefined : Number(row.revision);
  }

  private appendInTransaction(
    stream: string,
    events: readonly EventToAppend[],
    expected: ExpectedRevision,
  ): AppendResult {
    const existingId = this.streamIdOf(stream);
    const current = this.currentRevision(existingId);
    const holds = expectationHolds(expected, current);
    if (existingId !== undefined && (!holds || expected === 'any' || expected === 'stream_exists')) {
      const retried = this.resultOfStoredRetry(existingId, events, expected, current, stream);
      if (retried) return retried;
    }
    if (!holds) throw new WrongExpectedRevisionError(stream, expected, current);

    const streamId = existingId ?? BigInt(this.statements.createStream.run(stream).lastInsertRowid);
    const firstRevision = (current ?? -1) + 1;
    const recordedAt = Date.now();
    const lastPosition = this.inserter.insertAll(streamId, firstRevision, events, recordedAt);
    this.groupHeads.push([streamId, firstRevision + events.length - 1]);
    return { nextExpectedRevision: firstRevision + events.length - 1, position: positionOf(lastPosition) };
  }

  /**
   * A writer that retries an append it already made (its acknowledgement was lost) gets the
   * original result and writes nothing. The retry is recognised by its event ids standing in
   * the stream right where the expected revision put them; a run that matches only in part
   * is a different write and fails the expectation.
   */
  private resultOfStoredRetry(
    streamId: bigint,
    events: readonly EventToAppend[],
    expected: ExpectedRevision,
    current: number | undefined,
    stream: string,
  ): AppendResult | undefined {
    const start = this.retryStart(streamId, events, expected);
    if (start === undefined) return undefined;
    const stored = this.statements.storedRun.all(streamId, start, events.length) as Array<{
      id: string;
      position: bigint;
    }>;
    const firstMismatch = events.findIndex((event, index) => stored[index]?.id !== event.id);
    const last = stored[stored.length - 1];
    if (firstMismatch === -1 && last) {
      return { nextExpectedRevision: start + events.length - 1, position: positionOf(last.position) };
    }
    if (firstMismatch > 0) throw new WrongExpectedRevisionError(stream, expected, current);
    return undefined;
  }

  private retryStart(
    streamId: bigint,
    events: readonly EventToAppend[],
    expected: ExpectedRevision,
  ): number | undefined {
    if (expected === 'no_stream') return 0;
    if (typeof expected === 'number') return expected + 1;
    const first = events[0];
    if (!first) return undefined;
    const row = this.statements.revisionOfId.get(streamId, first.id) as { revision: bigint } | undefined;
    return row === undefined ? undefined : Number(row.revision);
  }
}

/** Long reads run page by page; between pages, other requests get their turn. */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const expectationHolds = (expected: ExpectedRevision, current: number | undefined): boolean => {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current === undefined;
    case 'stream_exists':
      return current !== undefined;
    default:
      return current === expected;
  }
};

const startRevision = (from: ReadStreamOptions['fromRevision'], backwards: boolean): number => {
  if (typeof from === 'number') return from;
  if (from === 'end' || (from === undefined && backwards)) return Number.MAX_SAFE_INTEGER;
  return 0;
};

const prepareStatements = (db: Database.Database) => {
  const prepare = (sql: string) => db.prepare(sql).safeIntegers(true);
  return {
    streamId: prepare('SELECT stream_id FROM streams WHERE name = ?'),
    createStream: prepare('INSERT INTO streams (name) VALUES (?)'),
    currentRevision: prepare('SELECT max(revision) AS revision FROM events WHERE stream_id = ?'),
    revisionOfId: prepare('SELECT revision FROM events WHERE stream_id = ? AND id = ?'),
    storedRun: prepare(
      'SELECT id, position FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?',
    ),
    // By the stream's id, its name bound as a value: no join with streams.
    readForward: prepare(
      `SELECT ${STREAM_EVENT_COLUMNS} FROM events e
       WHERE e.stream_id = ? AND e.revision >= ? ORDER BY e.revision LIMIT ?`,
    ),
    readBackward: prepare(
      `SELECT ${STREAM_EVENT_COLUMNS} FROM events e
       WHERE e.stream_id = ? AND e.revision <= ? ORDER BY e.revision DESC LIMIT ?`,
    ),
    head: prepare('SELECT max(position) AS position FROM events'),
    dataVersion: prepare('PRAGMA data_version'),
    readAll: prepare(
      `SELECT ${EVENT_COLUMNS} FROM ${EVENTS_WITH_STREAM} WHERE e.position > ? AND e.position <= ? ORDER BY e.position LIMIT ?`,
    ),
  };
};

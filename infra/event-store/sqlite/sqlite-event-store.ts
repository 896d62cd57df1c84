import type Database from 'better-sqlite3';
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
import { EVENT_COLUMNS, EVENTS_WITH_STREAM, toRecordedEvent, type EventRow } from './rows.js';
import { migrateEventStore } from './schema.js';
import { PollingAllSubscription } from './polling-all-subscription.js';

const PAGE_SIZE = 512;
/** How soon a subscriber sees events appended by another process (same-process: at once). */
const DEFAULT_POLL_MS = 100;

interface AppendJob {
  readonly stream: string;
  readonly events: readonly EventToAppend[];
  readonly expected: ExpectedRevision;
}

/**
 * The embedded event store: one SQLite file, one long-lived connection. Appends are group
 * committed (`group-commit.ts`): those queued in the same turn of the event loop share one
 * `BEGIN IMMEDIATE` transaction and one fsync, each with its own expectation check and result;
 * no append's promise resolves before that fsync.
 */
export class SqliteEventStore implements EventStore {
  private readonly committed = new Signal();
  private readonly subscriptions = new Set<AllSubscription>();
  private readonly statements;
  private readonly appends: GroupCommitter<AppendJob, AppendResult>;
  private readonly inserter: EventInserter;

  private constructor(
    private readonly db: Database.Database,
    private readonly pollMs: number,
  ) {
    this.statements = prepareStatements(db);
    this.inserter = new EventInserter(db);
    this.appends = new GroupCommitter<AppendJob, AppendResult>(
      db,
      (job) => this.appendInTransaction(job.stream, job.events, job.expected),
      () => this.committed.notify(),
    );
  }

  /** `busyTimeoutMs`: how long a commit waits for another process's write lock (default 10 s). */
  static open(file: string, options: { pollMs?: number; busyTimeoutMs?: number } = {}): SqliteEventStore {
    const db = openDurableDatabase(file);
    if (options.busyTimeoutMs !== undefined) db.pragma(`busy_timeout = ${String(Math.max(0, Math.floor(options.busyTimeoutMs)))}`);
    migrateEventStore(db);
    return new SqliteEventStore(db, options.pollMs ?? DEFAULT_POLL_MS);
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
  groupCommitStats(): GroupCommitStats {
    return this.appends.stats();
  }

  async *readStream(stream: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    let next = startRevision(options.fromRevision, backwards);
    let first = true;
    while (remaining > 0) {
      const limit = Math.min(PAGE_SIZE, remaining);
      const rows = (backwards ? this.statements.readBackward : this.statements.readForward).all(
        stream,
        next,
        limit,
      ) as EventRow[];
      if (first && rows.length === 0 && this.streamIdOf(stream) === undefined) {
        throw new StreamNotFoundError(stream);
      }
      first = false;
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

  headPosition(): Promise<Position | undefined> {
    const row = this.statements.head.get() as { position: bigint | null };
    return Promise.resolve(row.position === null ? undefined : positionOf(row.position));
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
    this.appends.flush();
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    this.db.close();
  }

  private readAllPage(after: bigint, limit: number): RecordedEvent[] {
    return (this.statements.readAll.all(after, limit) as EventRow[]).map(toRecordedEvent);
  }

  private streamIdOf(stream: string): bigint | undefined {
    const row = this.statements.streamId.get(stream) as { stream_id: bigint } | undefined;
    return row?.stream_id;
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
    readForward: prepare(
      `SELECT ${EVENT_COLUMNS} FROM ${EVENTS_WITH_STREAM}
       WHERE s.name = ? AND e.revision >= ? ORDER BY e.revision LIMIT ?`,
    ),
    readBackward: prepare(
      `SELECT ${EVENT_COLUMNS} FROM ${EVENTS_WITH_STREAM}
       WHERE s.name = ? AND e.revision <= ? ORDER BY e.revision DESC LIMIT ?`,
    ),
    head: prepare('SELECT max(position) AS position FROM events'),
    readAll: prepare(
      `SELECT ${EVENT_COLUMNS} FROM ${EVENTS_WITH_STREAM} WHERE e.position > ? ORDER BY e.position LIMIT ?`,
    ),
  };
};

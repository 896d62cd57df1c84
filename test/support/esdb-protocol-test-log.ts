/**
 * The in-memory transaction log behind the EventStoreDB protocol test server. NOT a store:
 * nothing is written to disk, there is one node, no index, no scavenging, no soft-deleted or
 * truncated streams, no stream metadata, no $maxAge. It models only what the adapter relies on,
 * with EventStoreDB's documented semantics:
 *
 * - each event is a record at a byte offset in one log; an appended event is committed
 *   implicitly, so its commit and prepare positions are both its own log position;
 * - an append's result is the position of its last event;
 * - expected revision: `no_stream`, `stream_exists`, an exact revision, or `any`;
 * - idempotent retries by event id: a batch whose ids are exactly the events stored right after
 *   the expectation succeeds again with the first result and writes nothing; a batch that only
 *   partly matches is a wrong expected version; with `any`, the batch is matched by the
 *   position of its first id in the stream;
 * - `$`-prefixed system events (the epoch record, stats) live in the same log as user events;
 * - a tombstone (hard delete) writes a `$streamDeleted` record into the stream at revision
 *   2^63 - 1 (EventStoreDB's DeletedStream); the stream's earlier records stay in `$all` (no
 *   scavenge here), while reading, appending to or tombstoning it again is refused for ever.
 */

export type TestExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

export interface ProposedEvent {
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
}

export interface LogRecord extends ProposedEvent {
  readonly stream: string;
  readonly revision: bigint;
  /** Byte offset in the log; commit and prepare positions are both this. */
  readonly logPosition: bigint;
  /** .NET ticks (100 ns) since the Unix epoch, as EventStoreDB sends `created`. */
  readonly createdTicks: bigint;
}

export type AppendOutcome =
  | { readonly kind: 'success'; readonly currentRevision: bigint; readonly logPosition: bigint }
  | { readonly kind: 'wrongExpectedVersion'; readonly currentRevision: bigint | undefined }
  | { readonly kind: 'streamDeleted' };

export type TombstoneOutcome =
  | { readonly kind: 'success'; readonly logPosition: bigint }
  | { readonly kind: 'wrongExpectedVersion'; readonly currentRevision: bigint | undefined }
  | { readonly kind: 'streamDeleted' };

/** EventStoreDB's event number of a tombstone (`EventNumber.DeletedStream`, long.MaxValue). */
export const DELETED_STREAM_REVISION = 2n ** 63n - 1n;
export const STREAM_DELETED_TYPE = '$streamDeleted';

/** The header EventStoreDB writes before each prepare record, roughly; positions are offsets. */
const RECORD_OVERHEAD = 88n;
/** The first record; system records (the epoch, users) come first, as on a new EventStoreDB node. */
const FIRST_LOG_POSITION = 0n;

export class EsdbProtocolTestLog {
  readonly records: LogRecord[] = [];
  private readonly streams = new Map<string, LogRecord[]>();
  private readonly tombstoned = new Set<string>();
  private nextPosition = FIRST_LOG_POSITION;
  private readonly listeners = new Set<() => void>();

  constructor() {
    this.writeSystemEvent('$epoch-information', '$epoch-information');
    this.writeSystemEvent('$users', '$User');
  }

  /** The stream's records (for a tombstoned stream, its records before the tombstone). */
  streamEvents(stream: string): readonly LogRecord[] | undefined {
    return this.streams.get(stream);
  }

  isTombstoned(stream: string): boolean {
    return this.tombstoned.has(stream);
  }

  /**
   * Hard-deletes the stream under an expectation (`any` and `no_stream` also tombstone a stream
   * that never existed, as EventStoreDB does): writes the `$streamDeleted` record.
   */
  tombstone(stream: string, expected: TestExpectedRevision): TombstoneOutcome {
    if (this.tombstoned.has(stream)) return { kind: 'streamDeleted' };
    const existing = this.streams.get(stream) ?? [];
    const current = existing.length === 0 ? undefined : BigInt(existing.length - 1);
    if (!matches(expected, current)) return { kind: 'wrongExpectedVersion', currentRevision: current };
    const record = this.write(
      {
        id: crypto.randomUUID(),
        type: STREAM_DELETED_TYPE,
        contentType: 'application/json',
        data: new Uint8Array(),
        customMetadata: new Uint8Array(),
        stream,
        revision: DELETED_STREAM_REVISION,
        createdTicks: BigInt(Date.now()) * 10_000n,
      },
      { inStream: false },
    );
    this.tombstoned.add(stream);
    this.notify();
    return { kind: 'success', logPosition: record.logPosition };
  }

  /** Appends atomically under one expectation, or refuses with the stream's current revision. */
  append(stream: string, expected: TestExpectedRevision, events: readonly ProposedEvent[]): AppendOutcome {
    if (this.tombstoned.has(stream)) return { kind: 'streamDeleted' };
    const existing = this.streams.get(stream) ?? [];
    const current = existing.length === 0 ? undefined : BigInt(existing.length - 1);
    const idempotent = this.idempotentResult(existing, expected, events);
    if (idempotent) return idempotent;
    if (!matches(expected, current)) return { kind: 'wrongExpectedVersion', currentRevision: current };
    if (events.length === 0) {
      return { kind: 'success', currentRevision: current ?? -1n, logPosition: this.lastPosition() ?? 0n };
    }
    const createdTicks = BigInt(Date.now()) * 10_000n;
    let revision = current ?? -1n;
    let last: LogRecord | undefined;
    for (const event of events) {
      revision += 1n;
      last = this.write({ ...event, stream, revision, createdTicks });
    }
    this.notify();
    return { kind: 'success', currentRevision: revision, logPosition: last!.logPosition };
  }

  /** A `$`-prefixed event in a `$`-prefixed stream, as the engine writes them between user events. */
  writeSystemEvent(stream: string, type: string): LogRecord {
    const revision = BigInt(this.streams.get(stream)?.length ?? 0);
    const data = new TextEncoder().encode(JSON.stringify({ note: 'system record of the protocol test server' }));
    const record = this.write({
      id: crypto.randomUUID(),
      type,
      contentType: 'application/json',
      data,
      customMetadata: new Uint8Array(),
      stream,
      revision,
      createdTicks: BigInt(Date.now()) * 10_000n,
    });
    this.notify();
    return record;
  }

  /** Moves the next log position past `floor` (a long-lived log, for positions beyond 2^53). */
  advanceBeyond(floor: bigint): void {
    if (this.nextPosition <= floor) this.nextPosition = floor + 1n;
  }

  lastPosition(): bigint | undefined {
    return this.records.at(-1)?.logPosition;
  }

  /** Index of the first record at or after `position` (forwards reads of $all are inclusive). */
  indexAtOrAfter(position: bigint): number {
    let low = 0;
    let high = this.records.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.records[middle]!.logPosition < position) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** `inStream: false` for a tombstone: in `$all`, but not one of the stream's readable records. */
  private write(fields: Omit<LogRecord, 'logPosition'>, { inStream = true } = {}): LogRecord {
    const record: LogRecord = { ...fields, logPosition: this.nextPosition };
    this.nextPosition +=
      RECORD_OVERHEAD +
      BigInt(Buffer.byteLength(fields.stream) + Buffer.byteLength(fields.type)) +
      BigInt(fields.data.length + fields.customMetadata.length);
    this.records.push(record);
    if (!inStream) return record;
    const stream = this.streams.get(fields.stream) ?? [];
    stream.push(record);
    this.streams.set(fields.stream, stream);
    return record;
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  /**
   * The first result again when the batch's ids are exactly the events stored where the
   * expectation puts them; a wrong expected version when only a prefix matches; otherwise
   * undefined (not a retry).
   */
  private idempotentResult(
    existing: readonly LogRecord[],
    expected: TestExpectedRevision,
    events: readonly ProposedEvent[],
  ): AppendOutcome | undefined {
    const first = events[0];
    if (!first || existing.length === 0) return undefined;
    let start: number;
    if (expected === 'no_stream') start = 0;
    else if (typeof expected === 'bigint') start = Number(expected) + 1;
    else if (expected === 'any') start = existing.findIndex((record) => record.id === first.id);
    else return undefined;
    if (start < 0 || start >= existing.length || existing[start]!.id !== first.id) return undefined;
    const stored = existing.slice(start, start + events.length);
    const all = stored.length === events.length && stored.every((record, index) => record.id === events[index]!.id);
    if (!all) return { kind: 'wrongExpectedVersion', currentRevision: BigInt(existing.length - 1) };
    const last = stored.at(-1)!;
    return { kind: 'success', currentRevision: last.revision, logPosition: last.logPosition };
  }
}

const matches = (expected: TestExpectedRevision, current: bigint | undefined): boolean => {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return current === undefined;
  if (expected === 'stream_exists') return current !== undefined;
  return current === expected;
};

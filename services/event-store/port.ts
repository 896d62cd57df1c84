import type { Position } from './position.js';

/**
 * The event-store port. It is shaped like EventStoreDB's model so that the EventStoreDB
 * adapter maps one to one and the embedded SQLite adapter behaves the same; both pass the
 * suite in test/contract/.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * `no_stream`: the stream must not exist; `stream_exists`: it must; a number: its last
 * revision must be exactly this. `any` skips the check and exists for tooling only: domain
 * streams are always appended with an exact expectation.
 */
export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | number;

export interface EventToAppend {
  /** Time-ordered (UUID v7) so the unique index over ids stays cheap. */
  readonly id: string;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
}

export interface RecordedEvent {
  readonly id: string;
  readonly stream: string;
  /** 0-based, contiguous within the stream. */
  readonly revision: number;
  /** Strictly increasing across all streams, in commit order. */
  readonly position: Position;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
  /** When the store accepted the event. */
  readonly recordedAt: Date;
}

export interface AppendResult {
  /** The stream's last revision after the append: the expected revision of the next one. */
  readonly nextExpectedRevision: number;
  /** The position of the last event appended. */
  readonly position: Position;
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  readonly direction?: Direction;
  /** Inclusive. Defaults to the start (forwards) or the end (backwards). */
  readonly fromRevision?: number | 'start' | 'end';
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: the first event returned is the one after this position. */
  readonly after?: Position;
  readonly maxCount?: number;
}

export type AllSubscriptionItem =
  | { readonly kind: 'event'; readonly event: RecordedEvent }
  /** Everything stored when the subscription started has been delivered; live from here. */
  | { readonly kind: 'caughtUp' };

export interface AllSubscription extends AsyncIterable<AllSubscriptionItem> {
  /** Ends the iteration; pending and later `next()` calls complete with `done`. */
  stop(): Promise<void>;
}

export interface SubscribeToAllOptions {
  /** Exclusive, like `ReadAllOptions.after`; without it the subscription starts at the beginning. */
  readonly after?: Position;
}

export interface EventStore {
  /**
   * Appends atomically: all events or none. Throws `WrongExpectedRevisionError`; the embedded
   * store also refuses an event id already stored at another place (`DuplicateEventIdError`).
   */
  appendToStream(
    stream: string,
    events: readonly EventToAppend[],
    options: { readonly expectedRevision: ExpectedRevision },
  ): Promise<AppendResult>;
  /**
   * Deletes the stream for good (EventStoreDB's tombstone), if it stands at `expectedRevision`
   * (`any`: whatever its state, also a stream that never existed). Afterwards reading it,
   * appending to it or deleting it again throws `StreamDeletedError`, for ever. Its events may
   * still be read from `readAll` and subscriptions until the engine removes their bytes
   * (EventStoreDB: the next scavenge). Throws `WrongExpectedRevisionError`. The embedded store
   * is append-only and refuses every deletion (`StreamDeletionUnsupportedError`).
   */
  deleteStream(stream: string, options: { readonly expectedRevision: ExpectedRevision }): Promise<void>;
  /** Throws `StreamNotFoundError` when the stream has no events, `StreamDeletedError` when it was deleted. */
  readStream(stream: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  /** User events in global order; system events of the engine are left out. */
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  /** The position of the newest event in the store (user or system), or undefined when empty. */
  headPosition(): Promise<Position | undefined>;
  /** Catch up from `after`, signal `caughtUp`, then follow live appends. */
  subscribeToAll(options?: SubscribeToAllOptions): AllSubscription;
  close(): Promise<void>;
}

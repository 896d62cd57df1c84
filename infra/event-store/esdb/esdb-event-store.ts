import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  jsonEvent,
  type ExpectedRevision as EsdbExpectedRevision,
  type ReadRevision,
} from '@eventstore/db-client';
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
import { comparePositions, type Position } from '../../../services/event-store/position.js';
import { fromEsdbEvent, isSystemEvent, toEsdbExpectedRevision, toPortError } from './esdb-mapping.js';
import { EsdbAllSubscription } from './esdb-all-subscription.js';
import { endpointOf, retryWhileUnavailable } from './esdb-unavailable.js';

const READ_ALL_PAGE = 512;
/** How long a call waits for an unavailable EventStoreDB (start-up, a leader election) before it fails. */
const DEFAULT_UNAVAILABLE_RETRY_MS = 10_000;
/** Responses still read off a stream the caller left early, so the client can let it go. */
const MAX_DRAIN = 4_096;

/**
 * The EventStoreDB / KurrentDB adapter. It is deliberately thin: the port was shaped after
 * this client, so each method is one call plus the mapping of values and errors. Moving to
 * `@kurrent/kurrentdb-client` is a change of imports here.
 */
export class EsdbEventStore implements EventStore {
  private readonly subscriptions = new Set<AllSubscription>();

  private constructor(
    private readonly client: EventStoreDBClient,
    private readonly endpoint: string,
    private readonly unavailableRetryMs: number,
  ) {}

  /**
   * Connects lazily (the first call opens the channel). Every call retries while the server is
   * unavailable, for `unavailableRetryMs` (10 s by default), then fails with an
   * EventStoreUnavailableError naming the node.
   */
  static connect(connectionString: string, options: { readonly unavailableRetryMs?: number } = {}): EsdbEventStore {
    return new EsdbEventStore(
      EventStoreDBClient.connectionString(connectionString),
      endpointOf(connectionString),
      options.unavailableRetryMs ?? DEFAULT_UNAVAILABLE_RETRY_MS,
    );
  }

  private retrying<T>(operation: () => Promise<T>): Promise<T> {
    return retryWhileUnavailable(this.endpoint, this.unavailableRetryMs, operation);
  }

  async appendToStream(
    stream: string,
    events: readonly EventToAppend[],
    options: { readonly expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    if (events.length === 0) throw new Error('appendToStream needs at least one event');
    const proposed = events.map((event) =>
      jsonEvent({ id: event.id, type: event.type, data: event.data, metadata: event.metadata }),
    );
    try {
      const result = await inFlight(this.retrying(() =>
        this.client.appendToStream(stream, proposed, {
          expectedRevision: toEsdbExpectedRevision(options.expectedRevision),
        }),
      ));
      if (!result.position) throw new Error(`EventStoreDB returned no position for ${stream}`);
      return { nextExpectedRevision: Number(result.nextExpectedRevision), position: result.position };
    } catch (error) {
      throw toPortError(error, stream, options.expectedRevision);
    }
  }

  /**
   * A tombstone (`tombstoneStream`, EventStoreDB's hard delete): the name is never usable again.
   * Retried while the server is unavailable like an append; a retry of a deletion that had
   * succeeded finds the stream deleted (StreamDeletedError), which callers take as done.
   */
  async deleteStream(stream: string, options: { readonly expectedRevision: ExpectedRevision }): Promise<void> {
    try {
      await this.retrying(() => this.client.tombstoneStream(stream, { expectedRevision: toEsdbDeleteRevision(options.expectedRevision) }));
    } catch (error) {
      throw toPortError(error, stream, options.expectedRevision);
    }
  }

  async *readStream(stream: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    const open = () =>
      this.client.readStream(stream, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: toReadRevision(options.fromRevision, backwards),
        ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
      });
    try {
      const { first, rest } = await this.retrying(() => firstOf(drainedOnEarlyExit(open())));
      for await (const resolved of prepend(first, rest)) {
        if (resolved.event) yield fromEsdbEvent(resolved.event);
      }
    } catch (error) {
      throw toPortError(error, stream);
    }
  }

  /** Pages through `$all`, leaving out system events and the (exclusive) start position. */
  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    let after = options.after;
    while (remaining > 0) {
      let read = 0;
      const from = after;
      // The read starts at `after` itself (inclusive): one more than is left, at most a page.
      const pageSize = Math.min(READ_ALL_PAGE, remaining + (from ? 1 : 0));
      const { first, rest } = await this.retrying(() =>
        firstOf(drainedOnEarlyExit(this.client.readAll({ direction: FORWARDS, fromPosition: from ?? START, maxCount: pageSize }))),
      );
      for await (const resolved of prepend(first, rest)) {
        read += 1;
        const event = resolved.event;
        if (!event || (after && comparePositions(event.position, after) <= 0)) continue;
        after = event.position;
        if (isSystemEvent(event)) continue;
        yield fromEsdbEvent(event);
        remaining -= 1;
        if (remaining === 0) return;
      }
      if (read < pageSize) return;
    }
  }

  async headPosition(): Promise<Position | undefined> {
    return this.retrying(async () => {
      let head: Position | undefined;
      for await (const resolved of this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 })) {
        head ??= resolved.event?.position;
      }
      return head;
    });
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    const subscription = new EsdbAllSubscription(this.client, options.after, () =>
      this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    await noAppendInFlight(CLOSE_WAITS_FOR_APPENDS_MS);
    await this.client.dispose();
  }
}

/**
 * Appends in flight on every client of this process. The client's batch append keeps its
 * pending appends in one map for the whole process, and when one client's append stream fails
 * (as disposing it does) it rejects and forgets every client's pending appends; the answers that
 * then arrive for another client throw inside the client (an unhandled error). So `close()`
 * disposes its client only once no append is in flight in the process, waiting at most
 * CLOSE_WAITS_FOR_APPENDS_MS. Only matters with several stores open in one process (tests with
 * two replicas); a server has one.
 */
const appendsInFlight = new Set<Promise<unknown>>();
const CLOSE_WAITS_FOR_APPENDS_MS = 5_000;

const inFlight = <T>(append: Promise<T>): Promise<T> => {
  appendsInFlight.add(append);
  const forget = (): void => {
    appendsInFlight.delete(append);
  };
  append.then(forget, forget);
  return append;
};

const noAppendInFlight = async (ms: number): Promise<void> => {
  const deadline = Date.now() + ms;
  while (appendsInFlight.size > 0 && Date.now() < deadline) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...appendsInFlight]), new Promise((resolve) => (timer = setTimeout(resolve, deadline - Date.now())))]);
    clearTimeout(timer);
  }
};

/**
 * Iterates a read, and when the caller stops early (a `break`, a `return`, `maxCount` reached
 * here) reads the rest of the server's answer off the stream, up to MAX_DRAIN responses, then
 * cancels. Without that the client keeps the half-read gRPC stream among those `dispose()`
 * waits for, and it never finishes: `close()` hangs, and each early exit leaks one stream.
 */
async function* drainedOnEarlyExit<T>(read: AsyncIterable<T> & { cancel(): Promise<void> }): AsyncGenerator<T> {
  const iterator = read[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      const next = await iterator.next();
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!finished) {
      try {
        for (let drained = 0; drained < MAX_DRAIN && !finished; drained += 1) finished = (await iterator.next()).done === true;
      } catch {
        finished = true;
      }
      if (!finished) await read.cancel();
    }
  }
}

/**
 * The first response of a read (where an unavailable server shows: the retry covers only this
 * part, so nothing is ever yielded twice) and the iterator for the rest.
 */
const firstOf = async <T>(read: AsyncGenerator<T>): Promise<{ first: IteratorResult<T>; rest: AsyncGenerator<T> }> => ({
  first: await read.next(),
  rest: read,
});

/** `first`, then the rest; however the caller leaves, the rest is closed (and so drained). */
async function* prepend<T>(first: IteratorResult<T>, rest: AsyncGenerator<T>): AsyncGenerator<T> {
  try {
    if (first.done) return;
    yield first.value;
    yield* rest;
  } finally {
    await rest.return(undefined);
  }
}

/**
 * The client's `tombstoneStream` sends all four expectations (its switch has STREAM_EXISTS), but
 * its type leaves `stream_exists` out; the value is the same constant appends use.
 */
const toEsdbDeleteRevision = (expected: ExpectedRevision): EsdbExpectedRevision =>
  toEsdbExpectedRevision(expected) as EsdbExpectedRevision;

const toReadRevision = (from: ReadStreamOptions['fromRevision'], backwards: boolean): ReadRevision => {
  if (typeof from === 'number') return BigInt(from);
  if (from === 'end' || (from === undefined && backwards)) return END;
  return START;
};

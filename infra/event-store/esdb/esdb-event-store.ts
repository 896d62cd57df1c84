import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  jsonEvent,
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

const READ_ALL_PAGE = 512;

/**
 * The EventStoreDB / KurrentDB adapter. It is deliberately thin: the port was shaped after
 * this client, so each method is one call plus the mapping of values and errors. Moving to
 * `@kurrent/kurrentdb-client` is a change of imports here.
 */
export class EsdbEventStore implements EventStore {
  private readonly subscriptions = new Set<AllSubscription>();

  private constructor(private readonly client: EventStoreDBClient) {}

  static connect(connectionString: string): EsdbEventStore {
    return new EsdbEventStore(EventStoreDBClient.connectionString(connectionString));
  }

  async appendToStream(
    stream: string,
    events: readonly EventToAppend[],
    options: { readonly expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    if (events.length === 0) throw new Error('appendToStream needs at least one event');
    try {
      const result = await this.client.appendToStream(
        stream,
        events.map((event) =>
          jsonEvent({ id: event.id, type: event.type, data: event.data, metadata: event.metadata }),
        ),
        { expectedRevision: toEsdbExpectedRevision(options.expectedRevision) },
      );
      if (!result.position) throw new Error(`EventStoreDB returned no position for ${stream}`);
      return { nextExpectedRevision: Number(result.nextExpectedRevision), position: result.position };
    } catch (error) {
      throw toPortError(error, stream, options.expectedRevision);
    }
  }

  async *readStream(stream: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    try {
      const read = this.client.readStream(stream, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: toReadRevision(options.fromRevision, backwards),
        ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
      });
      for await (const resolved of read) {
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
      const page = this.client.readAll({
        direction: FORWARDS,
        fromPosition: after ?? START,
        maxCount: READ_ALL_PAGE,
      });
      for await (const resolved of page) {
        read += 1;
        const event = resolved.event;
        if (!event || (after && comparePositions(event.position, after) <= 0)) continue;
        after = event.position;
        if (isSystemEvent(event)) continue;
        yield fromEsdbEvent(event);
        remaining -= 1;
        if (remaining === 0) return;
      }
      if (read < READ_ALL_PAGE) return;
    }
  }

  async headPosition(): Promise<Position | undefined> {
    for await (const resolved of this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 })) {
      if (resolved.event) return resolved.event.position;
    }
    return undefined;
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
    await this.client.dispose();
  }
}

const toReadRevision = (from: ReadStreamOptions['fromRevision'], backwards: boolean): ReadRevision => {
  if (typeof from === 'number') return BigInt(from);
  if (from === 'end' || (from === undefined && backwards)) return END;
  return START;
};

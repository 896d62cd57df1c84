import { accessLogStreamOf, PERSONAL_DATA_VIEWED_SCHEMA_VERSION, personalDataViewed, type PersonalDataViewedData } from '../services/access-log/personal-data-viewed.js';
import type { EventStore, EventToAppend, JsonObject } from '../services/event-store/port.js';
import { newEventId } from './event-store/event-id.js';

export type AccessLogEntry = PersonalDataViewedData;

const streamOf = (entry: AccessLogEntry): string => accessLogStreamOf(entry.viewedAt);

const eventOf = (entry: AccessLogEntry): EventToAppend => {
  const event = personalDataViewed(entry);
  return { id: newEventId(), type: event.type, data: event.data as unknown as JsonObject, metadata: { schemaVersion: PERSONAL_DATA_VIEWED_SCHEMA_VERSION } };
};

/**
 * Appends reads of personal data to the access log: one stream per day, outside the family
 * streams. The log is an append-only record with no invariant to protect: `any` is right here.
 */
export const appendAccessLog = async (store: EventStore, entry: AccessLogEntry): Promise<void> => {
  await store.appendToStream(streamOf(entry), [eventOf(entry)], { expectedRevision: 'any' });
};

/**
 * Group commit for the access log: each request still waits until its entry is durable before
 * its response leaves, but entries that arrive while an append is in flight go together in the
 * next one (one fsync and one projector batch for many requests instead of one each). Profiled:
 * per-request appends and their projection were about a third of the server's CPU under load.
 */
export const createAccessLogBatcher = (store: EventStore): ((entry: AccessLogEntry) => Promise<void>) => {
  let waiting: Array<{ entry: AccessLogEntry; done: (error?: Error) => void }> = [];
  let flushing = false;

  const flush = async (): Promise<void> => {
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      const byStream = new Map<string, typeof batch>();
      for (const item of batch) byStream.set(streamOf(item.entry), [...(byStream.get(streamOf(item.entry)) ?? []), item]);
      for (const [stream, items] of byStream) {
        try {
          await store.appendToStream(stream, items.map((item) => eventOf(item.entry)), { expectedRevision: 'any' });
          for (const item of items) item.done();
        } catch (error) {
          for (const item of items) item.done(error instanceof Error ? error : new Error('access log append failed'));
        }
      }
    }
    flushing = false;
  };

  return (entry) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ entry, done: (error) => (error === undefined ? resolve() : reject(error)) });
      // The append itself is synchronous, so the first flush waits one turn of the event loop
      // for the entries of the other requests that are finishing at the same time.
      if (!flushing) {
        flushing = true;
        setImmediate(() => void flush());
      }
    });
};

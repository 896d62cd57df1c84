import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamDeletedError, StreamDeletionUnsupportedError, StreamNotFoundError, WrongExpectedRevisionError } from '../../services/event-store/errors.js';
import { newEventId } from '../../infra/event-store/event-id.js';
import type { EventStore, EventToAppend, RecordedEvent } from '../../services/event-store/port.js';
import { comparePositions, formatPosition, parsePosition } from '../../services/event-store/position.js';
import { collect, take, within } from '../support/async.js';

export interface EventStoreFixture {
  readonly store: EventStore;
  /** Moves the next global position past `floor`; only where the adapter lets a test do so. */
  readonly advancePositionsBeyond?: (floor: bigint) => void;
  /** What `deleteStream` does: a tombstone (EventStoreDB), or refused (the append-only embedded store). */
  readonly streamDeletion: 'tombstone' | 'refused';
  readonly dispose: () => Promise<void>;
}

const newStream = (): string => `contract-${newEventId()}`;

const anEvent = (data: EventToAppend['data'] = { n: 1 }, type = 'SomethingHappened'): EventToAppend => ({
  id: newEventId(),
  type,
  data,
  metadata: { schemaVersion: 1, correlationId: newEventId() },
});

const events = (count: number): EventToAppend[] =>
  Array.from({ length: count }, (_, index) => anEvent({ n: index }));

const readAllOf = async (store: EventStore, stream: string): Promise<RecordedEvent[]> =>
  collect(store.readStream(stream));

const streamsOf = (streams: Set<string>) => (event: RecordedEvent) => streams.has(event.stream);

/** The suite every event-store adapter must pass. */
export const describeEventStoreContract = (
  adapter: string,
  openFixture: () => Promise<EventStoreFixture>,
  options: { readonly skipReason?: string } = {},
): void => {
  const title = options.skipReason
    ? `event store contract: ${adapter} (skipped: ${options.skipReason})`
    : `event store contract: ${adapter}`;
  describe.skipIf(options.skipReason !== undefined)(title, () => {
    let fixture: EventStoreFixture;
    let store: EventStore;

    beforeAll(async () => {
      fixture = await openFixture();
      store = fixture.store;
    });
    afterAll(async () => {
      await fixture?.dispose();
    });

    describe('append and read', () => {
      it('round-trips events with ids, types, data, metadata, revisions and positions', async () => {
        const stream = newStream();
        const appended = events(3);
        const result = await store.appendToStream(stream, appended, { expectedRevision: 'no_stream' });
        const read = await readAllOf(store, stream);

        expect(result.nextExpectedRevision).toBe(2);
        expect(read.map((e) => [e.id, e.type, e.data, e.metadata, e.stream, e.revision])).toEqual(
          appended.map((e, i) => [e.id, e.type, e.data, e.metadata, stream, i]),
        );
        expect(comparePositions(read[2]!.position, result.position)).toBe(0);
        expect(comparePositions(read[0]!.position, read[1]!.position)).toBe(-1);
        expect(read.every((e) => e.recordedAt instanceof Date && !Number.isNaN(e.recordedAt.getTime()))).toBe(true);
      });

      it('reads a stream backwards, from a revision, and up to a count', async () => {
        const stream = newStream();
        await store.appendToStream(stream, events(5), { expectedRevision: 'no_stream' });

        const backwards = await collect(store.readStream(stream, { direction: 'backwards' }));
        const fromTwo = await collect(store.readStream(stream, { fromRevision: 2, maxCount: 2 }));
        const lastTwo = await collect(store.readStream(stream, { direction: 'backwards', maxCount: 2 }));
        const downFromThree = await collect(
          store.readStream(stream, { direction: 'backwards', fromRevision: 3 }),
        );

        expect(backwards.map((e) => e.revision)).toEqual([4, 3, 2, 1, 0]);
        expect(fromTwo.map((e) => e.revision)).toEqual([2, 3]);
        expect(lastTwo.map((e) => e.revision)).toEqual([4, 3]);
        expect(downFromThree.map((e) => e.revision)).toEqual([3, 2, 1, 0]);
      });

      it('reports a stream that does not exist as StreamNotFoundError', async () => {
        await expect(readAllOf(store, newStream())).rejects.toBeInstanceOf(StreamNotFoundError);
      });

      it('keeps a 1 MB payload intact', async () => {
        const stream = newStream();
        const blob = 'ab'.repeat(500_000);
        await store.appendToStream(stream, [anEvent({ blob })], { expectedRevision: 'no_stream' });
        const [read] = await readAllOf(store, stream);
        expect(read?.data['blob']).toHaveLength(1_000_000);
        expect(read?.data['blob'] === blob).toBe(true);
      });

      it('keeps unicode, combining marks and emoji intact in data, metadata and type', async () => {
        const stream = newStream();
        const text = "K'iche' · Q'anjob'al · niño · São Paulo · 👨‍👩‍👧 · 🇭🇳 · עברית · e\u0301 · \u{1F600}";
        const event: EventToAppend = {
          id: newEventId(),
          type: 'NoteRecordedÑ✓',
          data: { text, nested: { list: [text, '😀'] } },
          metadata: { note: text },
        };
        await store.appendToStream(stream, [event], { expectedRevision: 'no_stream' });
        const [read] = await readAllOf(store, stream);
        expect(read?.type).toBe(event.type);
        expect(read?.data).toEqual(event.data);
        expect(read?.metadata).toEqual(event.metadata);
      });
    });

    describe('expected revision', () => {
      it('no_stream: creates a new stream, refuses an existing one', async () => {
        const stream = newStream();
        await store.appendToStream(stream, events(1), { expectedRevision: 'no_stream' });
        const error = await store
          .appendToStream(stream, events(1), { expectedRevision: 'no_stream' })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ stream, expected: 'no_stream', actual: 0 });
      });

      it('stream_exists: refuses a missing stream, appends to an existing one', async () => {
        const stream = newStream();
        const error = await store
          .appendToStream(stream, events(1), { expectedRevision: 'stream_exists' })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ actual: undefined });

        await store.appendToStream(stream, events(1), { expectedRevision: 'no_stream' });
        const result = await store.appendToStream(stream, events(1), { expectedRevision: 'stream_exists' });
        expect(result.nextExpectedRevision).toBe(1);
      });

      it('exact revision: appends when it matches, names expected and actual when not', async () => {
        const stream = newStream();
        await store.appendToStream(stream, events(2), { expectedRevision: 'no_stream' });
        const ok = await store.appendToStream(stream, events(1), { expectedRevision: 1 });
        expect(ok.nextExpectedRevision).toBe(2);

        const error = await store.appendToStream(stream, events(1), { expectedRevision: 0 }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ stream, expected: 0, actual: 2 });
        expect((error as Error).message).toMatch(/expected 0, actual 2/);
      });

      it('exact revision on a missing stream is a wrong expected revision', async () => {
        const error = await store
          .appendToStream(newStream(), events(1), { expectedRevision: 0 })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      });

      it('any: appends whatever the stream state', async () => {
        const stream = newStream();
        await store.appendToStream(stream, events(1), { expectedRevision: 'any' });
        const result = await store.appendToStream(stream, events(1), { expectedRevision: 'any' });
        expect(result.nextExpectedRevision).toBe(1);
      });

      it('a rejected append writes nothing, not even part of its batch', async () => {
        const stream = newStream();
        await store.appendToStream(stream, events(2), { expectedRevision: 'no_stream' });
        await expect(store.appendToStream(stream, events(3), { expectedRevision: 5 })).rejects.toBeInstanceOf(
          WrongExpectedRevisionError,
        );
        const read = await readAllOf(store, stream);
        expect(read.map((e) => e.revision)).toEqual([0, 1]);
        const next = await store.appendToStream(stream, events(1), { expectedRevision: 1 });
        expect(next.nextExpectedRevision).toBe(2);
      });

      it('50 concurrent appends at the same expected revision: exactly one wins', async () => {
        const stream = newStream();
        await store.appendToStream(stream, events(1), { expectedRevision: 'no_stream' });
        const outcomes = await Promise.allSettled(
          Array.from({ length: 50 }, () => store.appendToStream(stream, events(2), { expectedRevision: 0 })),
        );
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o) => o.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost.every((o) => o.status === 'rejected' && o.reason instanceof WrongExpectedRevisionError)).toBe(true);
        expect((await readAllOf(store, stream)).map((e) => e.revision)).toEqual([0, 1, 2]);
      });
    });

    describe('idempotent retry', () => {
      it('a retried append with the same ids at the same expectation returns the first result and writes nothing', async () => {
        const stream = newStream();
        await store.appendToStream(stream, events(1), { expectedRevision: 'no_stream' });
        const batch = events(2);
        const first = await store.appendToStream(stream, batch, { expectedRevision: 0 });
        const retry = await store.appendToStream(stream, batch, { expectedRevision: 0 });

        expect(retry.nextExpectedRevision).toBe(first.nextExpectedRevision);
        expect(comparePositions(retry.position, first.position)).toBe(0);
        expect(await readAllOf(store, stream)).toHaveLength(3);
      });

      it('a retried stream creation returns the first result', async () => {
        const stream = newStream();
        const batch = events(1);
        const first = await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
        const retry = await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
        expect(comparePositions(retry.position, first.position)).toBe(0);
        expect(await readAllOf(store, stream)).toHaveLength(1);
      });

      it('a partial overlap with stored events is a wrong expected revision', async () => {
        const stream = newStream();
        const batch = events(2);
        await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
        const overlapping = [batch[0]!, anEvent({ n: 99 })];
        await expect(
          store.appendToStream(stream, overlapping, { expectedRevision: 'no_stream' }),
        ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        expect(await readAllOf(store, stream)).toHaveLength(2);
      });
    });

    describe('all events in global order', () => {
      it('orders events of interleaved streams by commit, with strictly increasing positions', async () => {
        const streams = [newStream(), newStream(), newStream()];
        const appendedIds: string[] = [];
        for (let round = 0; round < 4; round += 1) {
          for (const [index, stream] of streams.entries()) {
            const batch = events(index + 1);
            await store.appendToStream(stream, batch, {
              expectedRevision: round === 0 ? 'no_stream' : 'stream_exists',
            });
            appendedIds.push(...batch.map((e) => e.id));
          }
        }
        const mine = (await collect(store.readAll())).filter(streamsOf(new Set(streams)));
        expect(mine.map((e) => e.id)).toEqual(appendedIds);
        for (let i = 1; i < mine.length; i += 1) {
          expect(comparePositions(mine[i - 1]!.position, mine[i]!.position)).toBe(-1);
        }
      });

      it('reads from a position, exclusive, up to a count', async () => {
        const stream = newStream();
        await store.appendToStream(stream, events(6), { expectedRevision: 'no_stream' });
        const stored = await readAllOf(store, stream);
        const after = stored[2]!.position;

        const rest = (await collect(store.readAll({ after }))).filter(streamsOf(new Set([stream])));
        const two = await collect(store.readAll({ after, maxCount: 2 }));

        expect(rest.map((e) => e.revision)).toEqual([3, 4, 5]);
        expect(two.map((e) => e.id)).toEqual([stored[3]!.id, stored[4]!.id]);
      });

      it('knows the position of the newest event', async () => {
        const { position } = await store.appendToStream(newStream(), events(2), { expectedRevision: 'no_stream' });
        const head = await store.headPosition();
        expect(head && comparePositions(head, position)).toBe(0);
      });

      it('prints positions as opaque strings that parse back exactly', async () => {
        const stream = newStream();
        const { position } = await store.appendToStream(stream, events(1), { expectedRevision: 'no_stream' });
        const parsed = parsePosition(formatPosition(position));
        expect(parsed && comparePositions(parsed, position)).toBe(0);
      });
    });

    describe('subscription to all events', () => {
      it('catches up, signals it, then delivers live appends; stop ends the iteration', async () => {
        const stream = newStream();
        const mine = streamsOf(new Set([stream]));
        const stored = events(3);
        const { position: before } = await store.appendToStream(newStream(), events(1), {
          expectedRevision: 'no_stream',
        });
        await store.appendToStream(stream, stored, { expectedRevision: 'no_stream' });

        const subscription = store.subscribeToAll({ after: before });
        const iterator = subscription[Symbol.asyncIterator]();
        const caughtUp = await within(
          10_000,
          take(iterator, 1, (item) => item.kind === 'caughtUp'),
          'catch-up',
        );
        expect(caughtUp).toHaveLength(1);

        const live = events(2);
        await store.appendToStream(stream, live, { expectedRevision: 2 });
        const delivered = await within(
          10_000,
          take(iterator, 2, (item) => item.kind === 'event' && mine(item.event)),
          'live events',
        );
        expect(delivered.map((item) => item.kind === 'event' && item.event.id)).toEqual(live.map((e) => e.id));

        await subscription.stop();
        expect(await within(5_000, iterator.next(), 'end after stop')).toMatchObject({ done: true });
      });

      it('delivers stored events before the caught-up signal, in order', async () => {
        const stream = newStream();
        const { position: before } = await store.appendToStream(newStream(), events(1), {
          expectedRevision: 'no_stream',
        });
        const stored = events(5);
        await store.appendToStream(stream, stored, { expectedRevision: 'no_stream' });

        const subscription = store.subscribeToAll({ after: before });
        const seen: string[] = [];
        for await (const item of subscription) {
          if (item.kind === 'caughtUp') break;
          if (item.event.stream === stream) seen.push(item.event.id);
        }
        await subscription.stop();
        expect(seen).toEqual(stored.map((e) => e.id));
      });

      it('resumes after a position with neither a gap nor a duplicate', async () => {
        const stream = newStream();
        const stored = events(6);
        await store.appendToStream(stream, stored, { expectedRevision: 'no_stream' });
        const [, , third] = await readAllOf(store, stream);

        const subscription = store.subscribeToAll({ after: third!.position });
        const iterator = subscription[Symbol.asyncIterator]();
        const resumed = await within(
          10_000,
          take(iterator, 3, (item) => item.kind === 'event' && item.event.stream === stream),
          'resumed events',
        );
        await subscription.stop();
        expect(resumed.map((item) => item.kind === 'event' && item.event.revision)).toEqual([3, 4, 5]);
      });

      it('without a position, starts at the beginning of the store', async () => {
        const subscription = store.subscribeToAll();
        const iterator = subscription[Symbol.asyncIterator]();
        const [first] = await within(10_000, take(iterator, 1), 'first item');
        await subscription.stop();
        const [oldest] = await collect(store.readAll({ maxCount: 1 }));
        expect(first?.kind === 'event' && first.event.id).toBe(oldest?.id);
      });
    });

    describe('deleting a stream', () => {
      const expectDeleted = async (stream: string): Promise<void> => {
        await expect(readAllOf(store, stream)).rejects.toBeInstanceOf(StreamDeletedError);
        for (const expectedRevision of ['no_stream', 'any', 'stream_exists', 0] as const) {
          await expect(store.appendToStream(stream, events(1), { expectedRevision })).rejects.toBeInstanceOf(StreamDeletedError);
        }
        await expect(store.deleteStream(stream, { expectedRevision: 'any' })).rejects.toBeInstanceOf(StreamDeletedError);
      };

      it('a tombstone: the stream can no longer be read, appended to, created or deleted again; others are untouched; $all shows no event for it', async (context) => {
        if (fixture.streamDeletion !== 'tombstone') return context.skip(`${adapter} is append-only (its own test below)`);
        const [doomed, kept] = [newStream(), newStream()];
        await store.appendToStream(doomed, events(2), { expectedRevision: 'no_stream' });
        const { position: before } = await store.appendToStream(kept, events(1), { expectedRevision: 'no_stream' });

        await store.deleteStream(doomed, { expectedRevision: 1 });
        const later = events(1);
        await store.appendToStream(kept, later, { expectedRevision: 0 });

        await expectDeleted(doomed);
        expect(await readAllOf(store, kept)).toHaveLength(2);
        // The tombstone itself is the engine's record, never a user event in $all.
        expect((await collect(store.readAll({ after: before }))).map((e) => e.id)).toEqual(later.map((e) => e.id));
      });

      it('checks the expected revision: a wrong one names the actual and deletes nothing; `any` tombstones a name never used', async (context) => {
        if (fixture.streamDeletion !== 'tombstone') return context.skip(`${adapter} is append-only (its own test below)`);
        const stream = newStream();
        await store.appendToStream(stream, events(3), { expectedRevision: 'no_stream' });
        const refused = await store.deleteStream(stream, { expectedRevision: 1 }).catch((error: unknown) => error);
        expect(refused).toBeInstanceOf(WrongExpectedRevisionError);
        expect((refused as WrongExpectedRevisionError).actual).toBe(2);
        await expect(store.deleteStream(stream, { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        expect(await readAllOf(store, stream)).toHaveLength(3);

        const neverUsed = newStream();
        await expect(store.deleteStream(neverUsed, { expectedRevision: 0 })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        await store.deleteStream(neverUsed, { expectedRevision: 'any' });
        await expectDeleted(neverUsed);
      });

      it('a live subscription delivers no event for a tombstone and goes on with the next append', async (context) => {
        if (fixture.streamDeletion !== 'tombstone') return context.skip(`${adapter} is append-only (its own test below)`);
        const [doomed, kept] = [newStream(), newStream()];
        const { position: before } = await store.appendToStream(doomed, events(1), { expectedRevision: 'no_stream' });
        const subscription = store.subscribeToAll({ after: before });
        const iterator = subscription[Symbol.asyncIterator]();
        try {
          await within(10_000, take(iterator, 1, (item) => item.kind === 'caughtUp'), 'catch-up');
          await store.deleteStream(doomed, { expectedRevision: 0 });
          const next = events(1);
          await store.appendToStream(kept, next, { expectedRevision: 'no_stream' });
          const [item] = await within(10_000, take(iterator, 1), 'the next item');
          expect(item?.kind === 'event' && item.event.id).toBe(next[0]!.id);
        } finally {
          await subscription.stop();
        }
      });

      it('append-only: every deletion is refused and the stream stays whole', async (context) => {
        if (fixture.streamDeletion !== 'refused') return context.skip(`${adapter} deletes streams (the tests above)`);
        const stream = newStream();
        await store.appendToStream(stream, events(2), { expectedRevision: 'no_stream' });
        for (const expectedRevision of ['any', 1, 'stream_exists'] as const) {
          await expect(store.deleteStream(stream, { expectedRevision })).rejects.toBeInstanceOf(StreamDeletionUnsupportedError);
        }
        await store.appendToStream(stream, events(1), { expectedRevision: 1 });
        expect(await readAllOf(store, stream)).toHaveLength(3);
      });
    });

    describe('positions beyond 2^53', () => {
      it('keeps positions exact as bigints', async (context) => {
        if (!fixture.advancePositionsBeyond) {
          context.skip(`${adapter} assigns positions on the server; a test cannot move them`);
          return;
        }
        const floor = 2n ** 53n + 10n;
        fixture.advancePositionsBeyond(floor);
        const stream = newStream();
        const result = await store.appendToStream(stream, events(3), { expectedRevision: 'no_stream' });
        const read = await readAllOf(store, stream);

        expect(read.map((e) => e.position.commit)).toEqual([floor + 1n, floor + 2n, floor + 3n]);
        expect(result.position.commit).toBe(floor + 3n);
        expect(formatPosition(result.position)).toBe('9007199254741005');
        const after = await collect(store.readAll({ after: read[0]!.position }));
        expect(after.map((e) => e.id)).toEqual([read[1]!.id, read[2]!.id]);
      });
    });
  });
};

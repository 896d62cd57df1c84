import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuplicateEventIdError, WrongExpectedRevisionError } from '../../../../services/event-store/errors.js';
import type { EventToAppend } from '../../../../services/event-store/port.js';
import { SqliteEventStore } from '../../../../infra/event-store/sqlite/sqlite-event-store.js';
import { collect, take, within } from '../../../support/async.js';
import { makeTempDir } from '../../../support/temp-dir.js';

const event = (id: string): EventToAppend => ({ id, type: 'T', data: { id }, metadata: {} });

describe('embedded SQLite event store (beyond the contract)', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let file: string;
  let store: SqliteEventStore;

  beforeEach(() => {
    temp = makeTempDir();
    file = join(temp.dir, 'events.sqlite');
    store = SqliteEventStore.open(file);
  });
  afterEach(async () => {
    await store.close();
    temp.remove();
  });

  it('refuses UPDATE and DELETE of stored events, even through another connection', async () => {
    await store.appendToStream('s', [event('e1')], { expectedRevision: 'no_stream' });
    const db = new Database(file);
    expect(() => db.prepare("UPDATE events SET data = '{}'").run()).toThrow(/immutable: UPDATE refused/);
    expect(() => db.prepare('DELETE FROM events').run()).toThrow(/immutable: DELETE refused/);
    db.close();
    expect(await collect(store.readStream('s'))).toHaveLength(1);
  });

  it('rejects an event id already stored in another stream, writing nothing', async () => {
    await store.appendToStream('a', [event('shared-id')], { expectedRevision: 'no_stream' });
    const error = await store
      .appendToStream('b', [event('fresh-id'), event('shared-id')], { expectedRevision: 'no_stream' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DuplicateEventIdError);
    expect(error).toMatchObject({ eventId: 'shared-id' });
    expect(await collect(store.readAll())).toHaveLength(1);
  });

  it('rejects an id repeated within one append', async () => {
    const error = await store
      .appendToStream('a', [event('twice'), event('twice')], { expectedRevision: 'no_stream' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ eventId: 'twice' });
  });

  it('appends of more than one statement of rows keep contiguous revisions and positions', async () => {
    const events = Array.from({ length: 250 }, (_, i) => event(`bulk-${String(i)}`));
    const result = await store.appendToStream('bulk', events, { expectedRevision: 'no_stream' });
    const read = await collect(store.readStream('bulk'));
    expect(result.nextExpectedRevision).toBe(249);
    expect(read.map((e) => e.revision)).toEqual(events.map((_, i) => i));
    expect(read.map((e) => e.position.commit)).toEqual(events.map((_, i) => BigInt(i + 1)));
  });

  it('wakes a subscriber in another process by polling', async () => {
    const subscription = store.subscribeToAll();
    const iterator = subscription[Symbol.asyncIterator]();
    await within(5_000, take(iterator, 1, (item) => item.kind === 'caughtUp'), 'caught up');

    const other = SqliteEventStore.open(file); // another connection stands in for another process
    await other.appendToStream('elsewhere', [event('from-outside')], { expectedRevision: 'no_stream' });
    await other.close();

    const [delivered] = await within(5_000, take(iterator, 1), 'polled event');
    await subscription.stop();
    expect(delivered).toMatchObject({ kind: 'event', event: { id: 'from-outside' } });
  });

  describe('group commit', () => {
    it('commits appends queued together in one transaction, each with its own result', async () => {
      const before = store.groupCommitStats();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.appendToStream(`g-${String(i)}`, [event(`g-${String(i)}`)], { expectedRevision: 'no_stream' })),
      );
      const after = store.groupCommitStats();
      expect(after.commits - before.commits).toBe(1);
      expect(after.largestGroup).toBe(20);
      // In queue order, one position each, as if appended one after the other.
      expect(results.map((result) => result.position.commit)).toEqual(results.map((_, i) => BigInt(i + 1)));
      expect((await collect(store.readAll())).map((e) => e.stream)).toEqual(results.map((_, i) => `g-${String(i)}`));
    });

    it("a rejected append of a group fails alone; expectation checks see the group's earlier appends", async () => {
      await store.appendToStream('contended', [event('c0')], { expectedRevision: 'no_stream' });
      const outcomes = await Promise.allSettled([
        store.appendToStream('contended', [event('c1')], { expectedRevision: 0 }),
        store.appendToStream('contended', [event('c1-rival')], { expectedRevision: 0 }),
        store.appendToStream('other', [event('c0'), event('o1')], { expectedRevision: 'no_stream' }), // c0 already stored
        store.appendToStream('other', [event('o2')], { expectedRevision: 'no_stream' }),
        store.appendToStream('contended', [event('c2')], { expectedRevision: 1 }),
      ]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled', 'fulfilled']);
      expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
      expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(DuplicateEventIdError);
      const all = await collect(store.readAll());
      expect(all.map((e) => e.id)).toEqual(['c0', 'c1', 'o2', 'c2']);
      // A rolled-back append leaves no gap in positions.
      expect(all.map((e) => e.position.commit)).toEqual([1n, 2n, 3n, 4n]);
    });

    it('a group whose transaction cannot commit rejects every append in it and writes none', async () => {
      const slow = SqliteEventStore.open(file, { busyTimeoutMs: 0 });
      const blocker = new Database(file, { timeout: 0 });
      blocker.exec('BEGIN IMMEDIATE'); // holds the write lock: the group's BEGIN IMMEDIATE fails SQLITE_BUSY
      const outcomes = await Promise.allSettled([
        slow.appendToStream('x', [event('x1')], { expectedRevision: 'no_stream' }),
        slow.appendToStream('y', [event('y1')], { expectedRevision: 'no_stream' }),
      ]);
      blocker.exec('ROLLBACK');
      blocker.close();
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
      expect((outcomes[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_BUSY' });
      expect(await collect(slow.readAll())).toEqual([]);
      await slow.close();
    });
  });
});

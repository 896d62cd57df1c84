import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuplicateEventIdError } from '../../../../services/event-store/errors.js';
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
});

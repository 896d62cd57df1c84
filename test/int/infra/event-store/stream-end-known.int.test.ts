import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuplicateEventIdError } from '../../../../services/event-store/errors.js';
import type { EventToAppend } from '../../../../services/event-store/port.js';
import { SqliteEventStore } from '../../../../infra/event-store/sqlite/sqlite-event-store.js';
import { collect } from '../../../support/async.js';
import { makeTempDir } from '../../../support/temp-dir.js';

const event = (id: string): EventToAppend => ({ id, type: 'T', data: { id }, metadata: {} });
const revisions = async (store: SqliteEventStore, stream: string, fromRevision: number): Promise<number[]> =>
  (await collect(store.readStream(stream, { fromRevision }))).map((read) => read.revision);

/**
 * The store answers a read at or past a stream's known end without a query (issue 17: the
 * read of a command on an unchanged stream). These pin what that must never hide.
 */
describe('reads past a stream end the store knows', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let file: string;
  let store: SqliteEventStore;
  let other: SqliteEventStore;

  beforeEach(() => {
    temp = makeTempDir();
    file = join(temp.dir, 'events.sqlite');
    store = SqliteEventStore.open(file);
    other = SqliteEventStore.open(file);
  });
  afterEach(async () => {
    await store.close();
    await other.close();
    temp.remove();
  });

  it('see what another connection appended after this one learnt the end, by its commit or by a read', async () => {
    await store.appendToStream('by-commit', [event('a0')], { expectedRevision: 'no_stream' });
    await other.appendToStream('by-read', [event('b0')], { expectedRevision: 'no_stream' });
    expect(await revisions(store, 'by-commit', 1)).toEqual([]);
    expect(await revisions(store, 'by-read', 0)).toEqual([0]);
    expect(await revisions(store, 'by-read', 1)).toEqual([]);

    await other.appendToStream('by-commit', [event('a1')], { expectedRevision: 0 });
    await other.appendToStream('by-read', [event('b1')], { expectedRevision: 0 });
    expect(await revisions(store, 'by-commit', 1)).toEqual([1]);
    expect(await revisions(store, 'by-read', 1)).toEqual([1]);
  });

  it('see this connection own appends at once, and after an empty read from far past the end', async () => {
    await store.appendToStream('s', [event('e0')], { expectedRevision: 'no_stream' });
    expect(await revisions(store, 's', 50)).toEqual([]);
    await store.appendToStream('s', [event('e1'), event('e2')], { expectedRevision: 0 });
    expect(await revisions(store, 's', 1)).toEqual([1, 2]);
    expect(await revisions(store, 's', 3)).toEqual([]);
  });

  it('stay exact around an append rolled back in a group (its revisions are later written by another connection)', async () => {
    await store.appendToStream('taken', [event('dup')], { expectedRevision: 'no_stream' });
    await store.appendToStream('s', [event('s0')], { expectedRevision: 'no_stream' });
    const rejected = store.appendToStream('s', [event('s1'), event('dup')], { expectedRevision: 0 }).catch((error: unknown) => error);
    const accepted = store.appendToStream('t', [event('t0')], { expectedRevision: 'no_stream' });
    expect(await rejected).toBeInstanceOf(DuplicateEventIdError);
    await accepted;
    expect(await revisions(store, 's', 1)).toEqual([]);
    await other.appendToStream('s', [event('s1-other')], { expectedRevision: 0 });
    expect(await revisions(store, 's', 1)).toEqual([1]);
    expect(await revisions(store, 't', 0)).toEqual([0]);
  });
});

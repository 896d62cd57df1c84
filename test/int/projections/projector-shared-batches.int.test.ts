import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../../infra/event-store/sqlite/sqlite-event-store.js';
import type { Projection } from '../../../projections/projection.js';
import { Projector } from '../../../projections/projector.js';
import { openReadModelDatabase } from '../../../projections/read-model-database.js';
import type { EventStore } from '../../../services/event-store/port.js';
import { makeTempDir } from '../../support/temp-dir.js';

/** Counts the events it applied in a table of its own. */
const counting = (name: string): Projection => ({
  name, version: 1, tables: { [`${name}_rows`]: 'n INTEGER' }, indexes: [],
  bind: (db, table) => {
    const insert = db.prepare(`INSERT INTO ${table(`${name}_rows`)} (n) VALUES (?)`);
    return { applyBatch: (events) => { for (const event of events) insert.run(Number(event.position.commit)); } };
  },
});

describe('projector following the store', () => {
  it('reads each new batch once for the projections at the same position, and each still applies every event', async () => {
    const temp = makeTempDir();
    const store = SqliteEventStore.open(join(temp.dir, 'events.sqlite'));
    let nonEmptyReads = 0;
    const readCounting: EventStore = Object.assign(Object.create(store) as EventStore, {
      readAll: async function* (...args: Parameters<EventStore['readAll']>) {
        let any = false;
        for await (const event of store.readAll(...args)) {
          any = true;
          yield event;
        }
        if (any) nonEmptyReads += 1;
      },
    });
    const db = openReadModelDatabase(join(temp.dir, 'read-models.sqlite'));
    const batches = new Map<string, number>();
    const projector = new Projector(readCounting, db, [counting('p1'), counting('p2'), counting('p3')], (name) => batches.set(name, (batches.get(name) ?? 0) + 1));
    projector.start();
    try {
      let last;
      for (let i = 0; i < 30; i += 1) {
        last = await store.appendToStream(`s-${String(i)}`, [{ id: `e-${String(i)}`, type: 'T', data: {}, metadata: {} }], { expectedRevision: 'no_stream' });
        await projector.waitFor(last.position, 5_000);
      }
      for (const name of ['p1', 'p2', 'p3']) {
        expect((db.prepare(`SELECT count(*) AS n FROM ${name}_rows`).get() as { n: number }).n).toBe(30);
      }
      const applied = [...batches.values()].reduce((sum, n) => sum + n, 0);
      // Each projection applied its batches; reading them separately would take one read per batch per projection.
      expect(nonEmptyReads).toBeLessThan(applied);
      expect(nonEmptyReads).toBeLessThanOrEqual(Math.max(...batches.values()) + 2);
    } finally {
      await projector.stop();
      db.close();
      await store.close();
      temp.remove();
    }
  });
});

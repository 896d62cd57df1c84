import { join } from 'node:path';
import type { EventStore } from '../../services/event-store/port.js';
import { SqliteEventStore } from '../../infra/event-store/sqlite/sqlite-event-store.js';
import { PROJECTIONS } from '../../projections/all-projections.js';
import { rebuildProjections } from '../../projections/rebuild.js';
import { openReadModelDatabase } from '../../projections/read-model-database.js';
import { formatRate, formatRatio, perSecond, type BenchRow } from './table.js';

const BATCH = 1_000;

/**
 * The baseline: read every event in batches from the same store and commit a checkpoint per
 * batch to a read-model database, with no projection work: the floor a projector can reach.
 */
const rawCheckpointedRead = async (store: EventStore, file: string): Promise<{ events: number; ms: number }> => {
  const db = openReadModelDatabase(file);
  db.exec('CREATE TABLE raw_checkpoint (id INTEGER PRIMARY KEY, position INTEGER NOT NULL)');
  const save = db.prepare('INSERT OR REPLACE INTO raw_checkpoint (id, position) VALUES (1, ?)');
  const started = performance.now();
  let events = 0;
  let after;
  for (;;) {
    const batch = [];
    for await (const event of store.readAll({ ...(after ? { after } : {}), maxCount: BATCH })) batch.push(event);
    const last = batch.at(-1);
    if (!last) break;
    db.transaction(() => save.run(last.position.commit)).immediate();
    events += batch.length;
    after = last.position;
  }
  const ms = performance.now() - started;
  db.close();
  return { events, ms };
};

export const benchProjectionRebuild = async (eventsFile: string, dir: string): Promise<BenchRow[]> => {
  const store = SqliteEventStore.open(eventsFile);
  const raw = await rawCheckpointedRead(store, join(dir, 'raw-read.sqlite'));
  const db = openReadModelDatabase(join(dir, 'rebuild.sqlite'));
  const started = performance.now();
  const applied = await rebuildProjections(store, db, PROJECTIONS, () => undefined);
  const ms = performance.now() - started;
  db.close();
  await store.close();
  const rebuildRate = perSecond(applied / PROJECTIONS.length, ms);
  const rawRate = perSecond(raw.events, raw.ms);
  return [{
    benchmark: `projection rebuild (${raw.events.toLocaleString('en-US')} events, ${String(PROJECTIONS.length)} projections)`,
    value: formatRate(rebuildRate, 'ev/s'),
    baseline: `${formatRate(rawRate, 'ev/s')} raw checkpointed read`,
    ratio: formatRatio(rebuildRate, rawRate),
    target: '>= 50%',
  }];
};

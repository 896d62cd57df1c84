import { join } from 'node:path';
import type { EventStore } from '../../services/event-store/port.js';
import { SqliteEventStore } from '../../infra/event-store/sqlite/sqlite-event-store.js';
import { PROJECTIONS } from '../../projections/all-projections.js';
import { rebuildProjections } from '../../projections/rebuild.js';
import { openReadModelDatabase } from '../../projections/read-model-database.js';
import { familyEvents } from '../support/family-load.js';
import { formatRate, formatRatio, perSecond, type BenchRow } from './table.js';

const BATCH = 1_000;

/**
 * The baseline: read every event in batches from the same store and commit a checkpoint per
 * batch to a read-model database, with no projection work: the floor a projector can reach.
 */
export const rawCheckpointedRead = async (store: EventStore, file: string): Promise<{ events: number; ms: number }> => {
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

/** One family in five has a long history (as in the demo's case patterns), the rest short ones. */
const LONG_EVERY = 5;
const LONG_EVENTS = 120;
const SHORT_EVENTS = 12;

/**
 * A store whose families' events interleave as real cases do: round k appends the k-th event
 * of every family that has one, each event its own append (group-committed), so consecutive
 * positions belong to different families. Returns the number of events.
 */
export const loadInterleavedFamilies = async (store: EventStore, families: number): Promise<number> => {
  const streams = Array.from({ length: families }, (_, i) => familyEvents(i, 11, i % LONG_EVERY === 0 ? LONG_EVENTS : SHORT_EVENTS));
  const longest = Math.max(...streams.map((family) => family.sealed.length));
  let total = 0;
  for (let k = 0; k < longest; k += 1) {
    const round = streams.filter((family) => family.sealed.length > k);
    await Promise.all(
      round.map((family) =>
        store.appendToStream(family.stream, [family.sealed[k]] as never, { expectedRevision: k === 0 ? 'no_stream' : k - 1 }),
      ),
    );
    total += round.length;
  }
  return total;
};

export const benchProjectionRebuild = async (eventsFile: string, dir: string, layout = 'bench layout: each family back to back'): Promise<BenchRow[]> => {
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
    benchmark: `projection rebuild, ${layout} (${raw.events.toLocaleString('en-US')} events, ${String(PROJECTIONS.length)} projections)`,
    value: formatRate(rebuildRate, 'ev/s'),
    baseline: `${formatRate(rawRate, 'ev/s')} raw checkpointed read`,
    ratio: formatRatio(rebuildRate, rawRate),
    target: '>= 70%',
  }];
};

/** The rebuild on families whose events interleave (`loadInterleavedFamilies`). */
export const benchInterleavedRebuild = async (dir: string, families: number): Promise<BenchRow[]> => {
  const file = join(dir, 'interleaved-events.sqlite');
  const store = SqliteEventStore.open(file);
  const events = await loadInterleavedFamilies(store, families);
  await store.close();
  process.stderr.write(`loaded ${String(events)} interleaved events\n`);
  const rows = await benchProjectionRebuild(file, dir, `families interleaved as real cases (1 in ${String(LONG_EVERY)} with ${String(LONG_EVENTS)} events)`);
  return rows.map((row) => ({ ...row, target: '>= 50%' }));
};

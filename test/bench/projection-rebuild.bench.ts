import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { EventStore } from '../../services/event-store/port.js';
import { SqliteEventStore } from '../../infra/event-store/sqlite/sqlite-event-store.js';
import { PROJECTIONS } from '../../projections/all-projections.js';
import { rebuildProjections } from '../../projections/rebuild.js';
import { openReadModelDatabase } from '../../projections/read-model-database.js';
import { SqliteKeyStore } from '../../infra/keys/sqlite-key-store.js';
import { sealReadModelsWith } from '../../projections/read-model-sealing.js';
import { EncryptingEventStore } from '../../services/privacy/encrypting-event-store.js';
import { PersonalDataCipher } from '../../services/privacy/personal-data-cipher.js';
import { ReadModelSealer } from '../../services/privacy/read-model-sealer.js';
import { loadCasePatternsInParallel } from './parallel-case-pattern-load.js';
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

const cpuMs = (since: NodeJS.CpuUsage): number => {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
};

/**
 * The rebuild on families shaped like real cases, interleaved as real work interleaves them
 * (case-pattern-load.ts: the demo's case patterns decided by the real decider, one family in
 * five with a long history, 2,000 cases open at once or fewer for a small store), stored as the
 * tracker stores them (personal data sealed with a real key store, loaded on worker threads:
 * parallel-case-pattern-load.ts) and rebuilt as the tracker rebuilds: events opened through the
 * key store, read models sealed with it. Baseline: the raw checkpointed read of the same store
 * as stored, in the same run. Wall-clock and per-CPU-second ratios (the second moves less with
 * other work on the machine).
 */
export const benchInterleavedRebuild = async (dir: string, events: number): Promise<BenchRow[]> => {
  const masterKey = randomBytes(32);
  const keyStoreFile = join(dir, 'interleaved-keys', 'data-keys.sqlite');
  mkdirSync(dirname(keyStoreFile), { recursive: true });
  const keys = SqliteKeyStore.open(keyStoreFile, masterKey);
  const stored = SqliteEventStore.open(join(dir, 'interleaved-events.sqlite'));
  const sealed = new EncryptingEventStore(stored, new PersonalDataCipher(keys), { alsoClose: () => keys.close() });
  try {
    const open = Math.max(10, Math.min(2_000, Math.floor(events / 200)));
    const loaded = await loadCasePatternsInParallel({ store: stored, sealed, keyStoreFile, masterKey, target: events, open, workers: 2 });
    process.stderr.write(`loaded ${String(loaded.events)} events of real-shaped families (${String(loaded.families)} families)\n`);
    const rawCpu = process.cpuUsage();
    const raw = await rawCheckpointedRead(stored, join(dir, 'interleaved-raw-read.sqlite'));
    const rawCpuRate = perSecond(raw.events, cpuMs(rawCpu));
    const db = openReadModelDatabase(join(dir, 'interleaved-rebuild.sqlite'));
    sealReadModelsWith(db, new ReadModelSealer(keys));
    const cpu = process.cpuUsage();
    const started = performance.now();
    const applied = await rebuildProjections(sealed, db, PROJECTIONS, () => undefined);
    const ms = performance.now() - started;
    const cpuRate = perSecond(applied / PROJECTIONS.length, cpuMs(cpu));
    db.close();
    const rate = perSecond(applied / PROJECTIONS.length, ms);
    const rawRate = perSecond(raw.events, raw.ms);
    return [{
      benchmark: `projection rebuild, real-shaped families interleaved (${raw.events.toLocaleString('en-US')} events, ${String(open)} cases open; sealed at rest and in the read models; per CPU-s ${formatRatio(cpuRate, rawCpuRate)})`,
      value: `${formatRate(rate, 'ev/s')} (${formatRate(cpuRate, 'ev/CPU-s')})`,
      baseline: `${formatRate(rawRate, 'ev/s')} raw checkpointed read (${formatRate(rawCpuRate, 'ev/CPU-s')})`,
      ratio: formatRatio(rate, rawRate),
      target: '>= 50%',
    }];
  } finally {
    await sealed.close();
  }
};

/**
 * The rebuild of each projection alone over a store of the scale benchmark's shape, against a
 * raw checkpointed read of the same store in the same run, optionally under a CPU profile.
 * Usage: `npx tsx test/bench/profile-rebuild.ts <events.sqlite> [--only families,casefile,search]
 * [--seal] [--profile FILE]`. The store is one `npm run bench:scale -- --dir D --load-only` left
 * (D/<N>/events.sqlite). `--seal` seals the read models as the tracker does (a key store with a
 * fresh master key in a temporary directory); `--profile` writes a .cpuprofile of the
 * projections' work only (the raw read is not in it). Each rate is given per wall-clock second
 * and per CPU-second of this process (the ratio to trust on a loaded machine).
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Session } from 'node:inspector/promises';
import { SqliteEventStore } from '../../infra/event-store/sqlite/sqlite-event-store.js';
import { SqliteKeyStore } from '../../infra/keys/sqlite-key-store.js';
import { PROJECTIONS as TRACKER_PROJECTIONS } from '../../projections/all-projections.js';
import { openReadModelDatabase } from '../../projections/read-model-database.js';
import { sealReadModelsWith } from '../../projections/read-model-sealing.js';
import { rebuildProjections } from '../../projections/rebuild.js';
import { createSearchProjection } from '../../projections/search/search-projection.js';
import { termHasher } from '../../projections/search/search-terms.js';
import { ReadModelSealer } from '../../services/privacy/read-model-sealer.js';
import { makeTempDir } from '../support/temp-dir.js';
import { rawCheckpointedRead } from './projection-rebuild.bench.js';
import { formatRatio, perSecond } from './table.js';

/** CPU time of this process (user + system) since `since`, in ms: the work is CPU-bound and the machine shared. */
const cpuMs = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

const argument = (name: string): string | undefined => {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
};
const file = process.argv[2];
if (!file || file.startsWith('--')) throw new Error('usage: profile-rebuild.ts <events.sqlite> [--only a,b] [--seal] [--profile FILE]');
const only = argument('--only')?.split(',');
const profileFile = argument('--profile');
const seal = process.argv.includes('--seal');
// The search index (its own file in the tracker, its own projector) rebuilds here like the others, under a fresh blind-index key.
const PROJECTIONS = [...TRACKER_PROJECTIONS, createSearchProjection(termHasher(randomBytes(32)))];

const temp = makeTempDir('tracker-profile-rebuild-');
const store = SqliteEventStore.open(file);
const keys = seal ? SqliteKeyStore.open(join(temp.dir, 'data-keys.sqlite'), randomBytes(32)) : undefined;
try {
  const rawCpu = process.cpuUsage();
  const raw = await rawCheckpointedRead(store, join(temp.dir, 'raw-read.sqlite'));
  const rawRate = perSecond(raw.events, raw.ms);
  const rawCpuRate = perSecond(raw.events, cpuMs(rawCpu));
  process.stdout.write(`raw checkpointed read: ${String(rawRate)} ev/s, ${String(rawCpuRate)} ev/CPU-s over ${String(raw.events)} events (load ${loadavg()[0]!.toFixed(1)})\n`);
  if (keys) {
    // The tracker's key store already holds every person's key at a rebuild; a fresh one would
    // create (and fsync) each key on first use, so one untimed pass creates them first.
    const db = openReadModelDatabase(join(temp.dir, 'warm-up.sqlite'));
    sealReadModelsWith(db, new ReadModelSealer(keys));
    await rebuildProjections(store, db, PROJECTIONS.filter((p) => !only || only.includes(p.name)), () => undefined);
    db.close();
  }
  const session = profileFile ? new Session() : undefined;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  for (const projection of PROJECTIONS.filter((p) => !only || only.includes(p.name))) {
    const db = openReadModelDatabase(join(temp.dir, `${projection.name}.sqlite`));
    if (keys) sealReadModelsWith(db, new ReadModelSealer(keys));
    const started = performance.now();
    const cpu = process.cpuUsage();
    const applied = await rebuildProjections(store, db, [projection], () => undefined);
    const rate = perSecond(applied, performance.now() - started);
    const cpuRate = perSecond(applied, cpuMs(cpu));
    db.close();
    process.stdout.write(`${projection.name}: ${String(rate)} ev/s = ${formatRatio(rate, rawRate)} of the raw read; ${String(cpuRate)} ev/CPU-s = ${formatRatio(cpuRate, rawCpuRate)} (load ${loadavg()[0]!.toFixed(1)})\n`);
  }
  if (session && profileFile) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(profileFile, JSON.stringify(profile));
  }
} finally {
  await store.close();
  await keys?.close();
  temp.remove();
}

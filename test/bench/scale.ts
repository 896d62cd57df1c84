/**
 * `npm run bench:scale -- --events N`: scale you can see (issue 17 item 6). Loads about N events
 * in families shaped like the demo's case patterns, interleaved (case-pattern-load.ts), then
 * reports the rebuild's throughput per decile against a raw checkpointed read of the same store,
 * its peak RSS, the read model's and the store's bytes per event, and family(id) (a long and a
 * short family) and families(first: 50) p50/p99 over HTTP; every figure beside the same figure
 * at 10,000 events of the same shape, measured in the same run.
 *
 * `--dir D` keeps the loaded stores in D (D/<N>/events.sqlite) and reuses them on the next run,
 * so a store of millions of events is loaded once; `--load-only` stops after loading.
 * BENCH_HTTP_SECONDS sets each load's duration (default 10), BENCH_SCALE_OPEN the cases open at
 * once (default 2,000, fewer below 400,000 events). Without `--events` it runs at 50,000 (a quick look; CI runs no benchmark).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import autocannon from 'autocannon';
import { SqliteEventStore } from '../../infra/event-store/sqlite/sqlite-event-store.js';
import { makeTempDir } from '../support/temp-dir.js';
import { PROJECTIONS } from '../../projections/all-projections.js';
import { openReadModelDatabase } from '../../projections/read-model-database.js';
import { rebuildProjections } from '../../projections/rebuild.js';
import { within } from '../support/async.js';
import { loadCasePatterns, SCALE_KEY, type CasePatternLoad } from './case-pattern-load.js';
import { FAMILIES_QUERY, FAMILY_QUERY } from './graphql-http.bench.js';
import { rawCheckpointedRead } from './projection-rebuild.bench.js';
import { formatRatio, perSecond } from './table.js';

const argument = (name: string): string | undefined => {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
};

const target = Number(argument('--events') ?? 50_000);
const keptDir = argument('--dir');
const loadOnly = process.argv.includes('--load-only');
/** Cases open at once: 2,000 (or BENCH_SCALE_OPEN), fewer for a small store so its families grow as long (about 200 events per open case). */
const openCases = (events: number): number => Math.max(10, Math.min(Number(process.env['BENCH_SCALE_OPEN'] ?? 2_000), Math.floor(events / 200)));
const SMALL = 10_000;
const HTTP_SECONDS = Number(process.env['BENCH_HTTP_SECONDS'] ?? 10);

const log = (line: string): void => {
  process.stderr.write(`[scale ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};

/** The store of about `events` events under `dir`, loaded now or by an earlier run. */
const loadedStore = async (dir: string, events: number): Promise<CasePatternLoad & { readonly file: string }> => {
  const storeDir = join(dir, String(events));
  const file = join(storeDir, 'events.sqlite');
  const marker = join(storeDir, 'loaded.json');
  if (existsSync(marker)) {
    const loaded = JSON.parse(readFileSync(marker, 'utf8')) as CasePatternLoad;
    log(`reusing ${file}: ${loaded.events.toLocaleString('en-US')} events`);
    return { ...loaded, file };
  }
  mkdirSync(storeDir, { recursive: true });
  const store = SqliteEventStore.open(file);
  const started = performance.now();
  let reported = 0;
  const loaded = await loadCasePatterns(store, events, {
    open: openCases(events),
    onProgress: (done) => {
      if (done - reported < events / 20) return;
      reported = done;
      log(`loaded ${done.toLocaleString('en-US')} of ${events.toLocaleString('en-US')} events (${String(Math.round((done * 1000) / (performance.now() - started)))} ev/s)`);
    },
  });
  await store.close();
  writeFileSync(marker, JSON.stringify(loaded));
  log(`loaded ${loaded.events.toLocaleString('en-US')} events in ${loaded.families.toLocaleString('en-US')} families in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return { ...loaded, file };
};

interface RebuildFigures {
  readonly events: number;
  readonly rate: number;
  /** ev/s over each tenth of the events, in order. */
  readonly deciles: readonly number[];
  readonly rawRate: number;
  readonly peakRssMb: number;
  readonly readModelBytesPerEvent: number;
  readonly storeBytesPerEvent: number;
  readonly tables: ReadonlyArray<readonly [string, number]>;
  readonly readModels: string;
}

const fileBytes = (file: string): number => [file, `${file}-wal`].reduce((sum, f) => sum + (existsSync(f) ? statSync(f).size : 0), 0);

/** Rebuilds every projection into a fresh read-model file beside the store, timing each tenth of the events. */
const rebuild = async (loaded: { readonly file: string; readonly events: number }): Promise<RebuildFigures> => {
  const storeDir = dirname(loaded.file);
  const readModels = join(storeDir, 'read-models.sqlite');
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${readModels}${suffix}`, { force: true });
  rmSync(join(storeDir, 'raw-read.sqlite'), { force: true });
  const store = SqliteEventStore.open(loaded.file);
  const raw = await rawCheckpointedRead(store, join(storeDir, 'raw-read.sqlite'));
  const db = openReadModelDatabase(readModels);
  const deciles: number[] = [];
  let peakRss = process.memoryUsage.rss();
  const started = performance.now();
  let decileStarted = started;
  await rebuildProjections(store, db, PROJECTIONS, (applied) => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    const events = applied / PROJECTIONS.length;
    while (deciles.length < 9 && events >= ((deciles.length + 1) * raw.events) / 10) {
      const now = performance.now();
      deciles.push(perSecond(raw.events / 10, now - decileStarted));
      decileStarted = now;
    }
  });
  const ms = performance.now() - started;
  deciles.push(perSecond(raw.events - (raw.events * deciles.length) / 10, performance.now() - decileStarted));
  db.pragma('wal_checkpoint(TRUNCATE)');
  const tables = (db.prepare("SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC LIMIT 8").all() as Array<{ name: string; bytes: number }>)
    .map(({ name, bytes }) => [name, bytes / raw.events] as const);
  db.close();
  await store.close();
  return {
    events: raw.events, rate: perSecond(raw.events, ms), deciles, rawRate: perSecond(raw.events, raw.ms), peakRssMb: peakRss / 2 ** 20,
    readModelBytesPerEvent: fileBytes(readModels) / raw.events, storeBytesPerEvent: fileBytes(loaded.file) / raw.events, tables, readModels,
  };
};

interface Latency { readonly perSecond: number; readonly p50: number; readonly p99: number; readonly failed: number }

const startServer = (eventsFile: string, readModels: string): Promise<{ url: string; stop: () => Promise<void> }> =>
  within(120_000, new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'scale-server.ts'), eventsFile, readModels], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.once('exit', (code) => reject(new Error(`scale server exited with ${String(code)}`)));
    child.stdout.once('data', (chunk: Buffer) => {
      const url = /"url":"([^"]+)"/.exec(chunk.toString())?.[1];
      if (!url) return reject(new Error(chunk.toString()));
      resolve({
        url,
        stop: () => new Promise<void>((stopped) => {
          child.removeAllListeners('exit');
          child.once('exit', () => stopped());
          child.kill('SIGTERM');
        }),
      });
    });
  }), 'scale server start');

const loadFor = async (url: string, body: object): Promise<Latency> => {
  const result = await autocannon({
    url: `${url}/graphql`, method: 'POST', connections: 10, duration: HTTP_SECONDS, body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${SCALE_KEY}` },
  });
  return { perSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, failed: result.non2xx + result.errors };
};

interface HttpFigures { readonly families: Latency; readonly long: Latency; readonly short: Latency }

const measureHttp = async (loaded: CasePatternLoad & { readonly file: string }, readModels: string): Promise<HttpFigures> => {
  const server = await startServer(loaded.file, readModels);
  try {
    const families = await loadFor(server.url, { query: FAMILIES_QUERY });
    const long = await loadFor(server.url, { query: FAMILY_QUERY, variables: { id: loaded.longest.familyId } });
    const short = await loadFor(server.url, { query: FAMILY_QUERY, variables: { id: loaded.shortest.familyId } });
    const failed = families.failed + long.failed + short.failed;
    if (failed > 0) throw new Error(`${String(failed)} requests failed`);
    return { families, long, short };
  } finally {
    await server.stop();
  }
};

const count = (n: number): string => Math.round(n).toLocaleString('en-US');
const latency = (figure: Latency): string => `${count(figure.perSecond)} req/s, p50 ${String(figure.p50)} / p99 ${String(figure.p99)} ms`;

const report = (sizes: ReadonlyArray<{ loaded: CasePatternLoad; rebuilt: RebuildFigures; http: HttpFigures }>): string => {
  const rows: Array<[string, ...string[]]> = [
    ['events (families)', ...sizes.map(({ loaded }) => `${count(loaded.events)} (${count(loaded.families)})`)],
    ['rebuild, 4 projections', ...sizes.map(({ rebuilt }) => `${count(rebuilt.rate)} ev/s = ${formatRatio(rebuilt.rate, rebuilt.rawRate)} of raw read`)],
    ['raw checkpointed read (same run)', ...sizes.map(({ rebuilt }) => `${count(rebuilt.rawRate)} ev/s`)],
    ['rebuild per decile (ev/s)', ...sizes.map(({ rebuilt }) => rebuilt.deciles.map((rate) => count(rate)).join(' '))],
    ['peak RSS during the rebuild', ...sizes.map(({ rebuilt }) => `${count(rebuilt.peakRssMb)} MB`)],
    ['read-model bytes per event', ...sizes.map(({ rebuilt }) => `${count(rebuilt.readModelBytesPerEvent)} B`)],
    ['  largest tables (B/event)', ...sizes.map(({ rebuilt }) => rebuilt.tables.slice(0, 4).map(([name, bytes]) => `${name} ${bytes.toFixed(0)}`).join(', '))],
    ['event-store bytes per event', ...sizes.map(({ rebuilt }) => `${count(rebuilt.storeBytesPerEvent)} B`)],
    ['families(first: 50), 10 connections', ...sizes.map(({ http }) => latency(http.families))],
    ['family(id), longest family', ...sizes.map(({ loaded, http }) => `${count(loaded.longest.events)} events: ${latency(http.long)}`)],
    ['family(id), a short family', ...sizes.map(({ loaded, http }) => `${count(loaded.shortest.events)} events: ${latency(http.short)}`)],
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(['figure', ...sizes.map(({ loaded }) => `at ${count(loaded.events)} events`)]), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
};

const temp = keptDir === undefined ? makeTempDir('tracker-bench-scale-') : undefined;
const dir = keptDir ?? temp!.dir;
try {
  const small = await loadedStore(dir, SMALL);
  const large = await loadedStore(dir, target);
  if (!loadOnly) {
    const sizes = [];
    for (const loaded of [small, large]) {
      log(`rebuilding ${count(loaded.events)} events (load average ${loadavg().map((n) => n.toFixed(1)).join(' ')})`);
      const rebuilt = await rebuild(loaded);
      log(`rebuilt at ${count(rebuilt.rate)} ev/s; HTTP loads of ${String(HTTP_SECONDS)} s`);
      const http = await measureHttp(loaded, rebuilt.readModels);
      sizes.push({ loaded, rebuilt, http });
    }
    process.stdout.write(`\n${report(sizes)}\n(load average at the end: ${loadavg().map((n) => n.toFixed(1)).join(' ')})\n`);
  }
} finally {
  temp?.remove();
}

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
import { verifyStreams } from '../../infra/cli/audit-tools.js';
import { SqliteEventStore } from '../../infra/event-store/sqlite/sqlite-event-store.js';
import { KEY_STORE_FILE, loadMasterKey } from '../../infra/keys/master-key.js';
import { SqliteKeyStore } from '../../infra/keys/sqlite-key-store.js';
import { familyStreamName } from '../../services/family/family-decider.js';
import { EncryptingEventStore } from '../../services/privacy/encrypting-event-store.js';
import { PersonalDataCipher } from '../../services/privacy/personal-data-cipher.js';
import { makeTempDir } from '../support/temp-dir.js';
import { PROJECTIONS } from '../../projections/all-projections.js';
import { openReadModelDatabase } from '../../projections/read-model-database.js';
import { rebuildProjections } from '../../projections/rebuild.js';
import { sealReadModelsWith } from '../../projections/read-model-sealing.js';
import type { EventStore } from '../../services/event-store/port.js';
import { ReadModelSealer } from '../../services/privacy/read-model-sealer.js';
import { within } from '../support/async.js';
import { SCALE_KEY, type CasePatternLoad } from './case-pattern-load.js';
import { loadCasePatternsInParallel } from './parallel-case-pattern-load.js';
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
/** `--unsealed`: read models without sealing (to compare); by default sealed with the key store, as the tracker runs. */
const sealedReadModels = !process.argv.includes('--unsealed');
/** `--max-seconds S`: each rebuild stops after S seconds and reports the tenths it reached (the HTTP rows then run on the partial read models). */
const maxSeconds = Number(argument('--max-seconds') ?? Number.POSITIVE_INFINITY);
/** Cases open at once: 2,000 (or BENCH_SCALE_OPEN), fewer for a small store so its families grow as long (about 200 events per open case). */
const openCases = (events: number): number => Math.max(10, Math.min(Number(process.env['BENCH_SCALE_OPEN'] ?? 2_000), Math.floor(events / 200)));
const SMALL = 10_000;
const HTTP_SECONDS = Number(process.env['BENCH_HTTP_SECONDS'] ?? 10);

const log = (line: string): void => {
  process.stderr.write(`[scale ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};

/** A store of the benchmark: its events file, its key directory (as TRACKER_DATA_DIR=<dir>/<N> would have it) and what was loaded. */
type LoadedStore = CasePatternLoad & { readonly file: string; readonly keyDir: string; readonly loadRate?: number; readonly loadCpuRate?: number };

/** Bumped when the loader's output changes: a store loaded by an older loader (e.g. unsealed events) is not reused. */
const LOADER_FORMAT = 2;

/** The store, encrypted as the tracker opens it, with its key store (closed with it). */
const openSealedStore = (file: string, keyDir: string): { stored: SqliteEventStore; sealed: EncryptingEventStore; keys: SqliteKeyStore; masterKey: Buffer } => {
  const masterKey = loadMasterKey({ keyDir, masterKeyFile: undefined, masterKey: undefined }).key;
  const keys = SqliteKeyStore.open(join(keyDir, KEY_STORE_FILE), masterKey);
  const stored = SqliteEventStore.open(file);
  return { stored, sealed: new EncryptingEventStore(stored, new PersonalDataCipher(keys), { alsoClose: () => keys.close() }), keys, masterKey };
};

/**
 * Checks a sample of the loaded families as `tracker verify --family` does (the hash chain over
 * the stored, sealed form) and opens their events through the key store: throws on any break.
 */
const verifySample = async (loaded: LoadedStore): Promise<string> => {
  const { stored, sealed } = openSealedStore(loaded.file, loaded.keyDir);
  try {
    const ids = new Set([loaded.longest.familyId, loaded.shortest.familyId, ...loaded.sample]);
    let events = 0;
    for (const familyId of ids) {
      const report = await verifyStreams(stored, { familyId });
      if (report.broken.length > 0 || report.events === 0) throw new Error(`family ${familyId}: ${String(report.broken.length)} broken chains over ${String(report.events)} events`);
      for await (const event of sealed.readStream(familyStreamName(familyId))) events += event.revision >= 0 ? 1 : 0;
      if (familyId === loaded.longest.familyId && report.events !== loaded.longest.events) throw new Error(`the longest family holds ${String(report.events)} events, not ${String(loaded.longest.events)}`);
    }
    return `${String(ids.size)} families (${count(events)} events): chains intact, every event opens with the key store`;
  } finally {
    await sealed.close();
  }
};

/** A long load runs in segments of this many events (BENCH_SCALE_SEGMENT); each finished one is recorded, so a load stopped part way resumes after its last. */
const SEGMENT_EVENTS = Number(process.env['BENCH_SCALE_SEGMENT'] ?? 1_000_000);
/** Family numbers of the k-th segment attempt start at k times this. */
const SEGMENT_FAMILY_OFFSET = 10_000_000;

interface LoadProgress {
  readonly format: number;
  /** Segment loads started so far (a stopped one leaves its events behind, as stalled cases, and is not counted below). */
  attempts: number;
  readonly segments: CasePatternLoad[];
  cpuSeconds: number;
  seconds: number;
}

const merged = (segments: readonly CasePatternLoad[]): CasePatternLoad => ({
  events: segments.reduce((sum, s) => sum + s.events, 0),
  families: segments.reduce((sum, s) => sum + s.families, 0),
  longest: segments.map((s) => s.longest).reduce((a, b) => (b.events > a.events ? b : a)),
  shortest: segments.map((s) => s.shortest).reduce((a, b) => (b.events < a.events ? b : a)),
  sample: segments.flatMap((s) => s.sample).filter((_, i, all) => i % Math.ceil(all.length / 40) === 0),
});

/**
 * The store of about `events` events under `dir`, loaded now or by an earlier run. Loads of more
 * than SEGMENT_EVENTS run in segments (each its own cases, numbered apart; the cases still open at
 * a segment's end stay open for good, as stalled cases do); `loading.json` records the finished
 * ones, so a run stopped part way (Ctrl-C, the end of a session) resumes after the last.
 */
const loadedStore = async (dir: string, events: number): Promise<LoadedStore> => {
  const storeDir = join(dir, String(events));
  const file = join(storeDir, 'events.sqlite');
  const keyDir = `${storeDir}-keys`;
  const marker = join(storeDir, 'loaded.json');
  const progressFile = join(storeDir, 'loading.json');
  if (existsSync(marker)) {
    const loaded = JSON.parse(readFileSync(marker, 'utf8')) as CasePatternLoad & { format?: number; loadRate?: number; loadCpuRate?: number };
    if (loaded.format !== LOADER_FORMAT) throw new Error(`${storeDir} was loaded by an older loader (unsealed events): remove it (and ${keyDir}) to load it again`);
    log(`reusing ${file}: ${loaded.events.toLocaleString('en-US')} events`);
    return { ...loaded, file, keyDir };
  }
  let progress: LoadProgress = { format: LOADER_FORMAT, attempts: 0, segments: [], cpuSeconds: 0, seconds: 0 };
  if (existsSync(progressFile)) {
    progress = JSON.parse(readFileSync(progressFile, 'utf8')) as LoadProgress;
    if (progress.format !== LOADER_FORMAT) throw new Error(`${storeDir} was partly loaded by an older loader: remove it (and ${keyDir}) to load it again`);
    log(`resuming the load of ${file} after ${String(progress.segments.length)} segments (${count(merged(progress.segments.length > 0 ? progress.segments : [emptyLoad]).events)} events)`);
  } else {
    for (const leftover of [storeDir, keyDir]) rmSync(leftover, { recursive: true, force: true });
    mkdirSync(storeDir, { recursive: true });
  }
  const workers = Number(process.env['BENCH_SCALE_WORKERS'] ?? 2);
  const done = (): number => progress.segments.reduce((sum, s) => sum + s.events, 0);
  while (done() < events) {
    const { stored, sealed, masterKey } = openSealedStore(file, keyDir);
    const attempt = progress.attempts;
    progress.attempts += 1;
    writeFileSync(progressFile, JSON.stringify(progress));
    const before = done();
    const segment = Math.min(SEGMENT_EVENTS, events - before);
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const cpuSeconds = (): number => cpuMs(cpuStarted) / 1000;
    let reported = 0;
    try {
      const loaded = await loadCasePatternsInParallel({
        store: stored, sealed, keyStoreFile: join(keyDir, KEY_STORE_FILE), masterKey, target: segment, open: openCases(events), workers,
        seed: 17 + attempt * 1_000, familyOffset: attempt * SEGMENT_FAMILY_OFFSET, register: attempt === 0,
        onProgress: (acknowledged) => {
          if (acknowledged - reported < Math.max(events / 20, 50_000)) return;
          reported = acknowledged;
          const all = before + acknowledged;
          log(`loaded ${count(all)} of ${count(events)} events (${count((acknowledged * 1000) / (performance.now() - started))} ev/s, ${count(acknowledged / cpuSeconds())} per CPU-second of all threads, load average ${loadavg()[0]!.toFixed(1)})`);
        },
      });
      progress.segments.push(loaded);
      progress.cpuSeconds += cpuSeconds();
      progress.seconds += (performance.now() - started) / 1000;
      writeFileSync(progressFile, JSON.stringify(progress));
    } finally {
      await sealed.close();
    }
  }
  const loaded = merged(progress.segments);
  const loadRate = loaded.events / progress.seconds;
  const loadCpuRate = loaded.events / progress.cpuSeconds;
  writeFileSync(marker, JSON.stringify({ ...loaded, format: LOADER_FORMAT, loadRate, loadCpuRate, loadSeconds: progress.seconds, segments: progress.segments.length, attempts: progress.attempts, workers, loadedAt: new Date().toISOString(), loadAverage: loadavg() }));
  rmSync(progressFile, { force: true });
  log(`loaded ${count(loaded.events)} events in ${count(loaded.families)} families in ${progress.seconds.toFixed(0)} s (${count(loadRate)} ev/s, ${count(loadCpuRate)} per CPU-second of all threads, ${String(workers)} worker threads, load average ${loadavg()[0]!.toFixed(1)})`);
  const result = { ...loaded, file, keyDir, loadRate, loadCpuRate };
  log(`verified a sample: ${await verifySample(result)}`);
  return result;
};

const emptyLoad: CasePatternLoad = { events: 0, families: 0, longest: { familyId: '', events: 0 }, shortest: { familyId: '', events: 0 }, sample: [] };

interface RebuildFigures {
  /** Events in the store, and how many the rebuild applied (fewer when `--max-seconds` stopped it). */
  readonly events: number;
  readonly reached: number;
  readonly rate: number;
  /** Events applied per CPU-second of this process (less moved by other work on the machine than the wall-clock rate). */
  readonly cpuRate: number;
  /** ev/s over each tenth of the events, in order (tenths one progress report crossed together share its rate); a last tenth the cap cut short is `partial`. */
  readonly deciles: ReadonlyArray<{ readonly rate: number; readonly partial: boolean }>;
  readonly rawRate: number;
  readonly rawCpuRate: number;
  readonly peakRssMb: number;
  readonly readModelBytesPerEvent: number;
  readonly storeBytesPerEvent: number;
  readonly keyStoreBytesPerEvent: number;
  readonly tables: ReadonlyArray<readonly [string, number]>;
  readonly readModels: string;
}

const fileBytes = (file: string): number => [file, `${file}-wal`].reduce((sum, f) => sum + (existsSync(f) ? statSync(f).size : 0), 0);

const cpuMs = (since: NodeJS.CpuUsage): number => {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
};

/** The store, whose `readAll` gives nothing after `deadline` (performance.now()): a projector catching up on it stops there. */
const readUntil = (store: EventStore, deadline: number): EventStore => ({
  appendToStream: (...args) => store.appendToStream(...args),
  deleteStream: (...args) => store.deleteStream(...args),
  readStream: (...args) => store.readStream(...args),
  headPosition: () => store.headPosition(),
  subscribeToAll: (...args) => store.subscribeToAll(...args),
  close: () => store.close(),
  readAll: async function* (options) {
    if (performance.now() < deadline) yield* store.readAll(options);
  },
});

/**
 * Rebuilds every projection into a fresh read-model file beside the store, timing each tenth of
 * the events: reading the events through the key store (they are sealed at rest) and, unless
 * `--unsealed`, sealing the read models' personal values with it, as the tracker does.
 */
const rebuild = async (loaded: LoadedStore): Promise<RebuildFigures> => {
  const storeDir = dirname(loaded.file);
  const readModels = join(storeDir, sealedReadModels ? 'read-models.sqlite' : 'read-models-unsealed.sqlite');
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${readModels}${suffix}`, { force: true });
  rmSync(join(storeDir, 'raw-read.sqlite'), { force: true });
  const { stored, sealed, keys } = openSealedStore(loaded.file, loaded.keyDir);
  const rawCpu = process.cpuUsage();
  const raw = await rawCheckpointedRead(stored, join(storeDir, 'raw-read.sqlite'));
  const rawCpuRate = perSecond(raw.events, cpuMs(rawCpu));
  const db = openReadModelDatabase(readModels);
  if (sealedReadModels) sealReadModelsWith(db, new ReadModelSealer(keys));
  const deciles: Array<{ rate: number; partial: boolean }> = [];
  let peakRss = process.memoryUsage.rss();
  let reached = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  // Each tenth's rate from the events actually applied between the progress reports that crossed
  // its bounds, taken only once every projection has applied the shared batch (one report per
  // projection per batch; a catch-up batch is 5,000 events, so at 10,000 events a report may
  // cross several tenths, which then share its rate).
  let decileStarted = { at: started, events: 0 };
  let reports = 0;
  await rebuildProjections(readUntil(sealed, started + maxSeconds * 1000), db, PROJECTIONS, (applied) => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    reached = applied / PROJECTIONS.length;
    reports += 1;
    if (reports % PROJECTIONS.length !== 0) return;
    const tenth = Math.min(10, Math.floor((reached * 10) / raw.events));
    if (tenth > deciles.length && tenth < 10) {
      const now = performance.now();
      const rate = perSecond(reached - decileStarted.events, now - decileStarted.at);
      while (deciles.length < tenth) deciles.push({ rate, partial: false });
      decileStarted = { at: now, events: reached };
      log(`rebuild: ${String(tenth)} tenths at ${count(rate)} ev/s (load average ${loadavg()[0]!.toFixed(1)})`);
    }
  });
  const ms = performance.now() - started;
  const cpuRate = perSecond(reached, cpuMs(cpu));
  if (reached > decileStarted.events) deciles.push({ rate: perSecond(reached - decileStarted.events, performance.now() - decileStarted.at), partial: reached < raw.events });
  db.pragma('wal_checkpoint(TRUNCATE)');
  const tables = (db.prepare("SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC LIMIT 8").all() as Array<{ name: string; bytes: number }>)
    .map(({ name, bytes }) => [name, bytes / reached] as const);
  db.close();
  await sealed.close();
  return {
    events: raw.events, reached, rate: perSecond(reached, ms), cpuRate, deciles, rawRate: perSecond(raw.events, raw.ms), rawCpuRate, peakRssMb: peakRss / 2 ** 20,
    readModelBytesPerEvent: fileBytes(readModels) / reached, storeBytesPerEvent: fileBytes(loaded.file) / raw.events,
    keyStoreBytesPerEvent: fileBytes(join(loaded.keyDir, KEY_STORE_FILE)) / raw.events, tables, readModels,
  };
};

interface Latency { readonly perSecond: number; readonly p50: number; readonly p99: number; readonly failed: number }

const startServer = (loaded: LoadedStore, readModels: string): Promise<{ url: string; stop: () => Promise<void> }> =>
  within(120_000, new Promise((resolve, reject) => {
    const args = [join(import.meta.dirname, 'scale-server.ts'), loaded.file, loaded.keyDir, readModels, ...(sealedReadModels ? [] : ['--unsealed'])];
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
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
  // No response at all within the load (each took longer than it) counts as a failure, not as 0 req/s.
  return { perSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, failed: result.non2xx + result.errors + (result.requests.total === 0 ? 1 : 0) };
};

interface HttpFigures { readonly families: Latency; readonly long: Latency; readonly short: Latency }

const measureHttp = async (loaded: LoadedStore, readModels: string): Promise<HttpFigures> => {
  const server = await startServer(loaded, readModels);
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

const ratePair = (rate: number, baseline: number): string => `${count(rate)} = ${formatRatio(rate, baseline)} of ${count(baseline)}`;

const report = (sizes: ReadonlyArray<{ loaded: LoadedStore; rebuilt: RebuildFigures; http: HttpFigures | undefined }>): string => {
  const httpRow = (figure: (http: HttpFigures, loaded: LoadedStore) => string) => sizes.map(({ loaded, rebuilt, http }) =>
    (http ? figure(http, loaded) : `not measured (rebuild stopped at ${count(rebuilt.reached)} events)`));
  const rows: Array<[string, ...string[]]> = [
    ['events (families)', ...sizes.map(({ loaded }) => `${count(loaded.events)} (${count(loaded.families)})`)],
    ['load (ev/s; per CPU-second of all threads)', ...sizes.map(({ loaded }) => (loaded.loadRate === undefined ? 'not recorded' : `${count(loaded.loadRate)}; ${count(loaded.loadCpuRate ?? 0)}`))],
    [`rebuild, ${String(PROJECTIONS.length)} projections, ${sealedReadModels ? 'sealed' : 'UNSEALED'}: ev/s vs raw read`, ...sizes.map(({ rebuilt }) => ratePair(rebuilt.rate, rebuilt.rawRate))],
    ['  the same per CPU-second', ...sizes.map(({ rebuilt }) => ratePair(rebuilt.cpuRate, rebuilt.rawCpuRate))],
    ['  events reached', ...sizes.map(({ rebuilt }) => (rebuilt.reached < rebuilt.events ? `${count(rebuilt.reached)} of ${count(rebuilt.events)} (--max-seconds ${String(maxSeconds)})` : `all ${count(rebuilt.events)}`))],
    ['rebuild per decile (ev/s)', ...sizes.map(({ rebuilt }) => rebuilt.deciles.map(({ rate, partial }) => `${count(rate)}${partial ? ' (partial)' : ''}`).join(' '))],
    ['peak RSS during the rebuild', ...sizes.map(({ rebuilt }) => `${count(rebuilt.peakRssMb)} MB`)],
    ['read-model bytes per event', ...sizes.map(({ rebuilt }) => `${count(rebuilt.readModelBytesPerEvent)} B`)],
    ['  largest tables (B/event)', ...sizes.map(({ rebuilt }) => rebuilt.tables.slice(0, 4).map(([name, bytes]) => `${name} ${bytes.toFixed(0)}`).join(', '))],
    ['event-store bytes per event', ...sizes.map(({ rebuilt }) => `${count(rebuilt.storeBytesPerEvent)} B`)],
    ['key-store bytes per event', ...sizes.map(({ rebuilt }) => `${count(rebuilt.keyStoreBytesPerEvent)} B`)],
    ['families(first: 50), 10 connections', ...httpRow((http) => latency(http.families))],
    ['family(id), longest family', ...httpRow((http, loaded) => `${count(loaded.longest.events)} events: ${latency(http.long)}`)],
    ['family(id), a short family', ...httpRow((http, loaded) => `${count(loaded.shortest.events)} events: ${latency(http.short)}`)],
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
      const complete = rebuilt.reached >= rebuilt.events;
      log(`rebuilt ${count(rebuilt.reached)} events at ${count(rebuilt.rate)} ev/s; ${complete ? `HTTP loads of ${String(HTTP_SECONDS)} s` : 'stopped by --max-seconds: no HTTP loads on partial read models'}`);
      const http = complete ? await measureHttp(loaded, rebuilt.readModels) : undefined;
      sizes.push({ loaded, rebuilt, http });
    }
    process.stdout.write(`\n${report(sizes)}\n(load average at the end: ${loadavg().map((n) => n.toFixed(1)).join(' ')})\n`);
  }
} finally {
  temp?.remove();
}

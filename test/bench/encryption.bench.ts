/**
 * The cost of encryption at rest (issue 13, "Done when", third point): each workload once with
 * encryption and once without, in the same run, alternating in slices so drift in the machine's
 * load hits both alike. Aim: no more than 10% on each.
 * - appends: the EncryptingEventStore decorator (services/privacy/) over the SQLite store and its
 *   key store, against the bare SQLite store; one event per append as commands append, and
 *   apart the appends that create a new person's key (one durable key-store write each);
 * - rebuild: every projection from position 0 over an encrypted store into sealed read models,
 *   against a plaintext store into plaintext read models;
 * - families(first: 50) over HTTP: the tracker as `npm start` runs it against the same
 *   composition with `plaintextAtRestForBenchmarks` (test/bench/encryption-server.ts).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { loadConfig } from '../../infra/config.js';
import { openEncryptedEventStore } from '../../infra/event-store/open-encrypted-event-store.js';
import { newEventId } from '../../infra/event-store/event-id.js';
import { SqliteEventStore } from '../../infra/event-store/sqlite/sqlite-event-store.js';
import { SqliteKeyStore } from '../../infra/keys/sqlite-key-store.js';
import { PROJECTIONS } from '../../projections/all-projections.js';
import { openReadModelDatabase } from '../../projections/read-model-database.js';
import { sealReadModelsOf } from '../../projections/read-model-sealing.js';
import { rebuildProjections } from '../../projections/rebuild.js';
import type { EventStore, EventToAppend, JsonObject } from '../../services/event-store/port.js';
import { EncryptingEventStore } from '../../services/privacy/encrypting-event-store.js';
import { PersonalDataCipher } from '../../services/privacy/personal-data-cipher.js';
import { within } from '../support/async.js';
import { familyEvents, loadFamilyRange } from '../support/family-load.js';
import { makeTempDir } from '../support/temp-dir.js';
import { BENCH_KEY, FAMILIES_QUERY, issueBenchKey } from './graphql-http.bench.js';
import { formatRate, formatRatio, perSecond, type BenchRow } from './table.js';

const SLICES = 6;
const REBUILD_ROUNDS = 3;
const AIM = '<= 10% cost (>= 91%)';

/** What an append does with keys: creates one (a person's first event), uses one, or needs none. */
type AppendKind = 'new key' | 'known key' | 'no personal data';

interface TimedAppends {
  ms: Record<AppendKind, number>;
  count: Record<AppendKind, number>;
}

const emptyTimes = (): TimedAppends => ({
  ms: { 'new key': 0, 'known key': 0, 'no personal data': 0 },
  count: { 'new key': 0, 'known key': 0, 'no personal data': 0 },
});

/** The subjects of every `personal` part of an event's data, at any depth. */
const subjectsOf = (value: unknown): string[] => {
  if (Array.isArray(value)) return value.flatMap(subjectsOf);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([field, child]) => {
    const subject = (child as { subjectId?: unknown } | null)?.subjectId;
    return field === 'personal' && typeof subject === 'string' ? [subject] : subjectsOf(child);
  });
};

/**
 * One family's history as commands append it, one event per append: the loader's 20 events
 * (a child and a relative registered: each creates a key) and two later facts about them (a
 * lead about the relative, a follow-up note about the child: keys that exist).
 */
const familyAppends = (i: number): Array<{ stream: string; event: EventToAppend; kind: AppendKind }> => {
  const { stream, sealed } = familyEvents(i, 13, 20);
  const metadata = sealed[0]!.metadata as unknown as JsonObject;
  const later = [
    { id: newEventId(), type: 'LeadReceived', data: { relativeId: 'r1', personal: { subjectId: 'r1', lead: 'A cousin in San Pedro Sula says he works at the market' } }, metadata },
    { id: newEventId(), type: 'FollowUpRecorded', data: { childId: 'c1', personal: { subjectId: 'c1', note: 'Settled in school; asks to call her father on Sundays' } }, metadata },
  ] as EventToAppend[];
  const seen = new Set<string>();
  return [...(sealed as unknown as EventToAppend[]), ...later].map((event) => {
    const subjects = subjectsOf(event.data);
    const kind: AppendKind = subjects.length === 0 ? 'no personal data' : subjects.some((subject) => !seen.has(subject)) ? 'new key' : 'known key';
    for (const subject of subjects) seen.add(subject);
    return { stream, event, kind };
  });
};

/** Appends families `from`..`to - 1` one event per append, `writers` families at a time; times each append by kind. */
const appendFamilies = async (store: EventStore, from: number, to: number, writers: number, times: TimedAppends): Promise<number> => {
  let next = from;
  const started = performance.now();
  await Promise.all(Array.from({ length: writers }, async () => {
    while (next < to) {
      const appends = familyAppends(next);
      next += 1;
      for (const [revision, { stream, event, kind }] of appends.entries()) {
        const before = performance.now();
        await store.appendToStream(stream, [event], { expectedRevision: revision === 0 ? 'no_stream' : revision - 1 });
        times.ms[kind] += performance.now() - before;
        times.count[kind] += 1;
      }
    }
  }));
  return performance.now() - started;
};

const appendRows = async (dir: string, families: number, writers: number): Promise<BenchRow[]> => {
  const bare = SqliteEventStore.open(join(dir, `bare-${String(writers)}.sqlite`));
  const keyStore = SqliteKeyStore.open(join(dir, `keys-${String(writers)}.sqlite`), randomBytes(32));
  const sealed = new EncryptingEventStore(SqliteEventStore.open(join(dir, `sealed-${String(writers)}.sqlite`)), new PersonalDataCipher(keyStore));
  const times = { bare: emptyTimes(), sealed: emptyTimes() };
  const wall = { bare: 0, sealed: 0 };
  const slice = Math.ceil(families / SLICES);
  for (let s = 0; s < SLICES; s += 1) {
    const [from, to] = [s * slice, Math.min(families, (s + 1) * slice)];
    wall.bare += await appendFamilies(bare, from, to, writers, times.bare);
    wall.sealed += await appendFamilies(sealed, from, to, writers, times.sealed);
  }
  await bare.close();
  await sealed.close();
  await keyStore.close();
  const events = Object.values(times.bare.count).reduce((sum, count) => sum + count, 0);
  const perAppend = (lane: TimedAppends, kind: AppendKind): number => lane.ms[kind] / lane.count[kind];
  const who = writers === 1 ? '1 writer' : `${String(writers)} concurrent writers`;
  const kindRow = (kind: AppendKind, what: string): BenchRow => ({
    benchmark: `encryption: ${what}, ${who} (${times.bare.count[kind].toLocaleString('en-US')} appends): mean latency`,
    value: `${perAppend(times.sealed, kind).toFixed(2)} ms encrypted`,
    baseline: `${perAppend(times.bare, kind).toFixed(2)} ms bare store`,
    ratio: formatRatio(perAppend(times.bare, kind), perAppend(times.sealed, kind)),
    target: AIM,
  });
  return [
    {
      benchmark: `encryption: family histories one event per append, ${who} (${events.toLocaleString('en-US')} events, ${String(families)} families; 1 in 11 creates a key)`,
      value: formatRate(perSecond(events, wall.sealed), 'ev/s encrypted'),
      baseline: formatRate(perSecond(events, wall.bare), 'ev/s bare store'),
      ratio: formatRatio(perSecond(events, wall.sealed), perSecond(events, wall.bare)),
      target: AIM,
    },
    kindRow('new key', "appends that create a new person's key"),
    kindRow('known key', 'appends naming a person whose key exists'),
  ];
};

/** Every projection rebuilt from position 0; `sealed`: the store's events and the read models' values encrypted. */
const rebuildOnce = async (dir: string, round: number, sealed: boolean, masterKey: Buffer): Promise<{ ms: number; cpuMs: number }> => {
  const stored = SqliteEventStore.open(join(dir, sealed ? 'rebuild-sealed.sqlite' : 'rebuild-bare.sqlite'));
  // Opened afresh each round: its cache of unwrapped keys is cold, as after a restart.
  const keyStore = sealed ? SqliteKeyStore.open(join(dir, 'rebuild-keys.sqlite'), masterKey) : undefined;
  const store = keyStore ? new EncryptingEventStore(stored, new PersonalDataCipher(keyStore)) : stored;
  const db = openReadModelDatabase(join(dir, `rebuild-${sealed ? 'sealed' : 'bare'}-${String(round)}.sqlite`));
  const sealing = keyStore ? sealReadModelsOf(db, keyStore) : undefined;
  const started = performance.now();
  const cpu = process.cpuUsage();
  await rebuildProjections(store, db, PROJECTIONS, () => undefined);
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  sealing?.stop();
  db.close();
  await store.close();
  await keyStore?.close();
  return { ms, cpuMs: (used.user + used.system) / 1_000 };
};

const rebuildRows = async (dir: string, families: number): Promise<BenchRow[]> => {
  const masterKey = randomBytes(32);
  const bare = SqliteEventStore.open(join(dir, 'rebuild-bare.sqlite'));
  const keyStore = SqliteKeyStore.open(join(dir, 'rebuild-keys.sqlite'), masterKey);
  const sealed = new EncryptingEventStore(SqliteEventStore.open(join(dir, 'rebuild-sealed.sqlite')), new PersonalDataCipher(keyStore));
  const events = await loadFamilyRange(bare, { from: 0, to: families });
  await loadFamilyRange(sealed, { from: 0, to: families });
  await bare.close();
  await sealed.close();
  await keyStore.close();
  // The rebuild is one thread's work: its CPU time is what encryption adds, and it moves far
  // less than the wall clock when other work shares the machine. The first round warms both.
  const total = { bare: { ms: 0, cpuMs: 0 }, sealed: { ms: 0, cpuMs: 0 } };
  for (let round = 0; round <= REBUILD_ROUNDS; round += 1) {
    const bareRound = await rebuildOnce(dir, round, false, masterKey);
    const sealedRound = await rebuildOnce(dir, round, true, masterKey);
    if (round === 0) continue;
    for (const [lane, figures] of [['bare', bareRound], ['sealed', sealedRound]] as const) {
      total[lane].ms += figures.ms;
      total[lane].cpuMs += figures.cpuMs;
    }
  }
  const rate = (ms: number): number => perSecond(events * REBUILD_ROUNDS, ms);
  return [{
    benchmark: `encryption: projection rebuild (${events.toLocaleString('en-US')} events, ${String(PROJECTIONS.length)} projections, cold key cache, ${String(REBUILD_ROUNDS)} rounds; ratio of CPU time; wall ${formatRate(rate(total.sealed.ms), 'ev/s')} vs ${formatRate(rate(total.bare.ms), 'ev/s')})`,
    value: formatRate(rate(total.sealed.cpuMs), 'ev/CPU-s encrypted, sealed read models'),
    baseline: formatRate(rate(total.bare.cpuMs), 'ev/CPU-s plaintext'),
    ratio: formatRatio(rate(total.sealed.cpuMs), rate(total.bare.cpuMs)),
    target: AIM,
  }];
};

const startServer = (dataDir: string, mode: 'encrypted' | 'plaintext'): Promise<{ url: string; stop: () => Promise<void> }> =>
  within(300_000, new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'encryption-server.ts'), dataDir, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.once('exit', (code) => reject(new Error(`the ${mode} tracker exited with ${String(code)}`)));
    child.stdout.once('data', (chunk: Buffer) => {
      const url = /"url":"([^"]+)"/.exec(chunk.toString())?.[1];
      if (!url) return reject(new Error(chunk.toString()));
      resolve({ url, stop: () => { child.kill('SIGTERM'); return within(20_000, exited, `${mode} tracker stop`); } });
    });
  }), `${mode} tracker start`);

const waitReady = async (url: string): Promise<void> => {
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    const ready = (await (await fetch(`${url}/readyz`)).json()) as { status: string };
    if (ready.status === 'ready') return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} not ready within 300 s`);
};

const loadFamiliesQuery = (url: string, seconds: number) =>
  autocannon({
    url: `${url}/graphql`, method: 'POST', connections: 10, duration: seconds, body: JSON.stringify({ query: FAMILIES_QUERY }),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_KEY}` },
  });

const httpRows = async (dir: string, families: number, seconds: number): Promise<BenchRow[]> => {
  const plainDir = join(dir, 'http-plaintext');
  const sealedDir = join(dir, 'http-encrypted');
  mkdirSync(plainDir, { recursive: true });
  const plain = SqliteEventStore.open(join(plainDir, 'events.sqlite'));
  await loadFamilyRange(plain, { from: 0, to: families });
  await issueBenchKey(plain);
  await plain.close();
  const sealed = openEncryptedEventStore(loadConfig({ ...process.env, TRACKER_DATA_DIR: sealedDir }), { write: () => true } as unknown as NodeJS.WritableStream);
  await loadFamilyRange(sealed, { from: 0, to: families });
  await issueBenchKey(sealed);
  await sealed.close();

  const servers = { plaintext: await startServer(plainDir, 'plaintext'), encrypted: await startServer(sealedDir, 'encrypted') };
  try {
    await waitReady(servers.plaintext.url);
    await waitReady(servers.encrypted.url);
    // Warm-up: the first requests fill the caches of decoded states and views on both.
    await loadFamiliesQuery(servers.plaintext.url, 2);
    await loadFamiliesQuery(servers.encrypted.url, 2);
    const figures = { plaintext: { requests: 0, p99: [] as number[] }, encrypted: { requests: 0, p99: [] as number[] } };
    for (let round = 0; round < SLICES / 2; round += 1) {
      for (const mode of ['plaintext', 'encrypted'] as const) {
        const result = await loadFamiliesQuery(servers[mode].url, seconds);
        if (result.non2xx > 0 || result.errors > 0) throw new Error(`the ${mode} families load had ${String(result.non2xx)} non-2xx and ${String(result.errors)} errors`);
        figures[mode].requests += result.requests.total;
        figures[mode].p99.push(result.latency.p99);
      }
    }
    const rate = (mode: 'plaintext' | 'encrypted'): number => figures[mode].requests / ((seconds * SLICES) / 2);
    return [{
      benchmark: `encryption: families(first: 50) nested, HTTP, 10 connections, ${String(SLICES / 2)} x ${String(seconds)} s each (${String(families)} families; p99 ${figures.encrypted.p99.join('/')} vs ${figures.plaintext.p99.join('/')} ms)`,
      value: formatRate(rate('encrypted'), 'req/s encrypted, sealed'),
      baseline: formatRate(rate('plaintext'), 'req/s plaintext composition'),
      ratio: formatRatio(rate('encrypted'), rate('plaintext')),
      target: AIM,
    }];
  } finally {
    await servers.plaintext.stop();
    await servers.encrypted.stop();
  }
};

export type EncryptionPart = 'appends' | 'rebuild' | 'http';

/**
 * `BENCH_ENCRYPTION_FAMILIES` (default 300) families are appended one event per append, by 1
 * and by 32 writers; the rebuild and the HTTP load use `BENCH_ENCRYPTION_READ_FAMILIES`
 * (default 2,000 families of 20 events; org-a, the caller, leads a quarter).
 */
export const benchEncryption = async (parts: readonly EncryptionPart[] = ['appends', 'rebuild', 'http']): Promise<BenchRow[]> => {
  const temp = makeTempDir('tracker-bench-encryption-');
  const appendFamiliesCount = Number(process.env['BENCH_ENCRYPTION_FAMILIES'] ?? 300);
  const readFamilies = Number(process.env['BENCH_ENCRYPTION_READ_FAMILIES'] ?? 2_000);
  const seconds = Number(process.env['BENCH_HTTP_SECONDS'] ?? 5);
  try {
    const rows: BenchRow[] = [];
    if (parts.includes('appends')) {
      process.stderr.write('encryption: appends...\n');
      rows.push(...(await appendRows(temp.dir, appendFamiliesCount, 1)), ...(await appendRows(temp.dir, appendFamiliesCount, 32)));
    }
    if (parts.includes('rebuild')) {
      process.stderr.write('encryption: rebuild...\n');
      rows.push(...(await rebuildRows(temp.dir, readFamilies)));
    }
    if (parts.includes('http')) {
      process.stderr.write('encryption: families(first: 50) over HTTP...\n');
      rows.push(...(await httpRows(temp.dir, readFamilies, seconds)));
    }
    return rows;
  } finally {
    temp.remove();
  }
};

import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, openSync, rmSync, statSync, writeSync, closeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../../infra/event-store/sqlite/sqlite-event-store.js';
import { waitUntil } from '../../support/async.js';
import { dataOf, issueKey, postGraphQL, registerOrganization } from '../../support/graphql-client.js';
import { loadFamilies } from '../../support/family-load.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { startExpectingRefusal, startTrackerProcess, type TrackerProcess } from '../../support/tracker-process.js';

/**
 * Issue 12, finding 7: start-up trusted damaged files. An events.sqlite with 4 KiB of random
 * bytes in the middle started and reported ready (and `tracker verify` crashed with a raw
 * SQLITE_CORRUPT stack); the same damage in read-models.sqlite was served silently; read models
 * newer than a restored events.sqlite reported ready with a negative `behind`, and new writes
 * were acknowledged but never shown. Real files, real processes.
 */
const ROOT = join(import.meta.dirname, '../../..');
const ADMIN = 'damaged-files-admin-key-01234567';
const temps: Array<{ dir: string; remove: () => void }> = [];
const running: TrackerProcess[] = [];
const NO_STACK = /^\s+at /m;
/** Each test starts servers and CLI commands (a few seconds each on a busy machine). */
const SLOW = 150_000;

const tempDir = (): string => {
  const temp = makeTempDir('tracker-damaged-');
  temps.push(temp);
  return temp.dir;
};
const start = async (dir: string): Promise<TrackerProcess> => {
  const tracker = await startTrackerProcess({ TRACKER_DATA_DIR: dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN });
  running.push(tracker);
  return tracker;
};
const cli = (dir: string, ...args: string[]) => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'infra/cli/tracker-cli.ts', ...args], { cwd: ROOT, env: { ...process.env, TRACKER_DATA_DIR: dir }, encoding: 'utf8', timeout: 60_000 });
  return { code: run.status, output: run.stdout + run.stderr };
};

/** A data directory whose event store holds 300 families (about 6,000 events, a few MB). */
const dataDirWithFamilies = async (): Promise<string> => {
  const dir = tempDir();
  const store = SqliteEventStore.open(join(dir, 'events.sqlite'));
  await loadFamilies(store, 300, 20);
  await store.close();
  return dir;
};

/**
 * Overwrites 4 KiB in the middle of a closed SQLite file with random bytes (seeded, so every run
 * damages alike), across a page boundary as a torn or misdirected write would.
 */
const damageMiddle = (file: string): void => {
  expect(existsSync(`${file}-wal`), 'the file is closed and checkpointed').toBe(false);
  let bytes = Buffer.alloc(0);
  for (let block = 0; bytes.length < 4096; block += 1) bytes = Buffer.concat([bytes, createHash('sha256').update(`damage-${String(block)}`).digest()]);
  const offset = Math.floor(statSync(file).size / 2 / 4096) * 4096 + 1000;
  const fd = openSync(file, 'r+');
  writeSync(fd, bytes, 0, 4096, offset);
  closeSync(fd);
};

/** Waits until /readyz says ready (the read models caught up), within a deadline; then (or at the deadline) its answer. */
const readiness = async (url: string): Promise<{ status: string; projections: Array<{ name: string; behind: number }> }> => {
  let body = { status: 'no answer', projections: [] as Array<{ name: string; behind: number }> };
  const ready = async (): Promise<boolean> => {
    const response = await fetch(`${url}/readyz`);
    body = (await response.json()) as typeof body;
    return response.status === 200;
  };
  // At the deadline the caller's assertions on the last answer say what was wrong.
  await waitUntil('/readyz to say ready', ready, 30_000).catch(() => undefined);
  return body;
};

afterAll(async () => {
  for (const tracker of running) if (tracker.child.exitCode === null && tracker.child.signalCode === null) await tracker.stop();
  for (const temp of temps) temp.remove();
});

describe('regression: start-up trusted damaged files', () => {
  it('an events.sqlite with 4 KiB of random bytes in the middle is refused by the server and the CLI, naming the file and what to do', async () => {
    const dir = await dataDirWithFamilies();
    const events = join(dir, 'events.sqlite');
    damageMiddle(events);

    const server = await startExpectingRefusal({ TRACKER_DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1' });
    expect(server.started, server.output).toBe(false);
    expect(server.code).toBe(1);
    expect(server.output).toContain(`The event store ${events} is damaged`);
    expect(server.output).toContain('restore events.sqlite from the latest backup');
    expect(server.output).not.toMatch(NO_STACK);

    for (const command of [['verify'], ['replay', '--family', 'load-0000001'], ['export'], ['projections', 'rebuild']]) {
      const run = cli(dir, ...command);
      expect(run.code, `${command.join(' ')}: ${run.output}`).toBe(3);
      expect(run.output).toContain(`The event store ${events} is damaged`);
      expect(run.output).not.toMatch(NO_STACK);
    }
  }, SLOW);

  it('a read-models.sqlite with the same damage is set aside and rebuilt, never served; the CLI refuses it meanwhile', async () => {
    const dir = await dataDirWithFamilies();
    const first = await start(dir);
    const built = await readiness(first.url);
    expect(built.status).toBe('ready');
    expect(await first.stop()).toBe(0);
    const readModels = join(dir, 'read-models.sqlite');
    damageMiddle(readModels);

    const exported = cli(dir, 'export');
    expect(exported.code, exported.output).toBe(3);
    expect(exported.output).toContain(`The read models ${readModels} are damaged`);
    expect(exported.output).not.toMatch(NO_STACK);

    const second = await start(dir);
    expect((await readiness(second.url)).status).toBe('ready');
    expect(second.output()).toContain('the read models are damaged: set aside, every projection rebuilds from the event store');
    expect(existsSync(join(dir, 'read-models.damaged.sqlite'))).toBe(true);
    const check = cli(dir, 'projections', 'check');
    expect(check.code, check.output).toBe(0);
    expect(check.output).toMatch(/families: ok \(\d+ rows equal a fresh rebuild\)/);
  }, SLOW);

  it('read models newer than a restored older events.sqlite are rebuilt: nothing of the lost events is served, new writes are', async () => {
    const dir = tempDir();
    const first = await start(dir);
    await registerOrganization(first.url, ADMIN, 'kept-org');
    const keptKey = await issueKey(first.url, ADMIN, 'kept-org', 'kept-advocate', 'ADVOCATE');
    const backup = join(tempDir(), 'backup');
    const copied = cli(dir, 'backup', backup);
    expect(copied.code, copied.output).toBe(0);
    // Written after the backup, so lost when the backup's events.sqlite is restored.
    await registerOrganization(first.url, ADMIN, 'lost-org');
    const lostKey = await issueKey(first.url, ADMIN, 'lost-org', 'lost-advocate', 'ADVOCATE');
    for (let i = 0; i < 5; i += 1) dataOf(await postGraphQL(first.url, keptKey, 'mutation { openFamilyCase(input: { programme: SIJ }) { family { id } } }'));
    expect(await first.stop()).toBe(0);

    for (const suffix of ['-wal', '-shm']) rmSync(join(dir, `events.sqlite${suffix}`), { force: true });
    copyFileSync(join(backup, 'events.sqlite'), join(dir, 'events.sqlite'));

    const second = await start(dir);
    const ready = await readiness(second.url);
    expect(ready.status).toBe('ready');
    for (const projection of ready.projections) expect(projection.behind, projection.name).toBeGreaterThanOrEqual(0);
    expect(second.output()).toMatch(/"projection":"organizations".*checkpoint is beyond the event store's head/);
    expect(second.output()).toMatch(/"projection":"families".*checkpoint is beyond the event store's head/);

    const lost = await postGraphQL(second.url, lostKey, '{ families { totalCount } }');
    expect(lost.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect(dataOf(await postGraphQL(second.url, keptKey, '{ families { totalCount } }')).families.totalCount).toBe(0);
    const opened = dataOf(await postGraphQL(second.url, keptKey, 'mutation { openFamilyCase(input: { programme: SIJ }) { family { id status } } }'));
    expect(opened.openFamilyCase.family.status).toBe('INTAKE');
    expect(dataOf(await postGraphQL(second.url, keptKey, '{ families { totalCount } }')).families.totalCount).toBe(1);
    await registerOrganization(second.url, ADMIN, 'new-org');
    const newKey = await issueKey(second.url, ADMIN, 'new-org', 'new-advocate', 'ADVOCATE');
    expect(dataOf(await postGraphQL(second.url, newKey, '{ families { totalCount } }')).families.totalCount).toBe(0);
  }, SLOW);
});

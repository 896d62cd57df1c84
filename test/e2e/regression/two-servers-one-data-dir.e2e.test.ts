import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { within } from '../../support/async.js';
import { dataOf, issueKey, postGraphQL, registerOrganization } from '../../support/graphql-client.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { startExpectingRefusal, startTrackerProcess, type TrackerProcess } from '../../support/tracker-process.js';

/**
 * Issue 12, finding 6: two servers started on one data directory both ran a projector over the
 * same read models (each keeps its position in memory) and corrupted a projection. Now the first
 * holds an exclusive lock on the directory; a second server, and `projections rebuild`, refuse
 * with a message naming the directory; a server killed with SIGKILL leaves no lock behind.
 */
const ROOT = join(import.meta.dirname, '../../..');
const ADMIN = 'two-servers-admin-key-0123456789';
const temp = makeTempDir('tracker-two-servers-');
const env = { TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN };
const running: TrackerProcess[] = [];

const start = async (): Promise<TrackerProcess> => {
  const tracker = await startTrackerProcess(env);
  running.push(tracker);
  return tracker;
};
const cli = (...args: string[]) => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'infra/cli/tracker-cli.ts', ...args], { cwd: ROOT, env: { ...process.env, TRACKER_DATA_DIR: temp.dir }, encoding: 'utf8', timeout: 60_000 });
  return { code: run.status, output: run.stdout + run.stderr };
};
const NO_STACK = /^\s+at /m;

afterAll(async () => {
  for (const tracker of running) if (tracker.child.exitCode === null && tracker.child.signalCode === null) await tracker.stop();
  temp.remove();
});

describe('regression: two servers on one data directory corrupted a projection', () => {
  it('a second server refuses to start, naming the directory, while the first serves on; after kill -9 the next start works', async () => {
    const first = await start();
    await registerOrganization(first.url, ADMIN, 'lock-org');
    const key = await issueKey(first.url, ADMIN, 'lock-org', 'lock-advocate', 'ADVOCATE');

    const second = await startExpectingRefusal({ ...env, PORT: '0', HOST: '127.0.0.1' });
    expect(second.started, second.output).toBe(false);
    expect(second.code).not.toBe(0);
    expect(second.output).toContain(`The data directory ${temp.dir} is in use by another tracker process`);
    expect(second.output).not.toMatch(NO_STACK);

    const rebuild = cli('projections', 'rebuild');
    expect(rebuild.code, rebuild.output).toBe(3);
    expect(rebuild.output).toContain(`The data directory ${temp.dir} is in use`);
    expect(rebuild.output).not.toMatch(NO_STACK);
    // The readers still run beside the server.
    expect(cli('verify').code).toBe(0);

    const opened = dataOf(await postGraphQL(first.url, key, 'mutation { openFamilyCase(input: { programme: SIJ }) { family { id } } }'));
    expect(dataOf(await postGraphQL(first.url, key, '{ families { totalCount } }')).families.totalCount).toBe(1);

    first.child.kill('SIGKILL');
    await within(10_000, new Promise((resolve) => first.child.once('exit', resolve)), 'SIGKILL');

    const next = await start();
    expect((await fetch(`${next.url}/healthz`)).status).toBe(200);
    const family = dataOf(await postGraphQL(next.url, key, 'query($id: ID!) { family(id: $id) { id } }', { id: opened.openFamilyCase.family.id }));
    expect(family.family.id).toBe(opened.openFamilyCase.family.id);
    expect(await next.stop()).toBe(0);
  }, 150_000);
});

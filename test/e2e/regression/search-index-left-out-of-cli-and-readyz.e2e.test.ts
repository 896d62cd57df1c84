import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../support/async.js';
import { dataOf, issueKey, postGraphQL, registerOrganization } from '../../support/graphql-client.js';
import { startTrackerInProcess, type Tracker } from '../../support/in-process-tracker.js';
import { makeTempDir } from '../../support/temp-dir.js';

/**
 * Regression (issue 15, items 3 and 4 left over): the search index (`search-index.sqlite`, its own
 * projector) was not in `tracker projections rebuild`, `status` or `check`, not in `tracker
 * backup`, and not in /readyz: a damaged or wrong index went unnoticed by the check, a restore
 * rebuilt it from scratch, and /readyz said ready while search still answered UNAVAILABLE.
 */
const ROOT = join(import.meta.dirname, '../../..');
const temp = makeTempDir('tracker-search-cli-');
const dataDir = join(temp.dir, 'data');
const keyDir = join(temp.dir, 'keys');
const ADMIN = 'search-cli-admin-key-0123456789ab';
let tracker: Tracker | undefined;
let key = '';

const env = (dir: string) => ({ TRACKER_DATA_DIR: dir, TRACKER_KEY_DIR: keyDir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN, TRACKER_RATE_LIMIT_REQUESTS: '0' });
const cli = (...args: string[]) => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'infra/cli/tracker-cli.ts', ...args], {
    cwd: ROOT, env: { ...process.env, ...env(dataDir) }, encoding: 'utf8', timeout: 60_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr, output: run.stdout + run.stderr };
};
const url = () => tracker!.url;
const mutate = async (name: string, input: Record<string, unknown>) =>
  dataOf(await postGraphQL(url(), key, `mutation($input: ${name.charAt(0).toUpperCase()}${name.slice(1)}Input!) { ${name}(input: $input) { family { id } } }`, { input }))[name].family.id as string;
const found = async (text: string): Promise<number> => {
  const response = await postGraphQL(url(), key, 'query($t: String!) { search(text: $t) { edges { node { personId } } } }', { t: text });
  return response.errors ? -1 : (response.data.search.edges as unknown[]).length;
};
type Readiness = { status: string; projections: Array<{ name: string; position: string | null; eventsApplied: number; behind: number }> };
const readyz = async (): Promise<Readiness> => (await fetch(`${url()}/readyz`)).json() as Promise<Readiness>;
/** Runs `sql` on the search index, `{postings}` naming the serving version's postings table. */
const searchRows = (dir: string, sql: string) => {
  const db = new Database(join(dir, 'search-index.sqlite'));
  try {
    const { version } = db.prepare("SELECT max(CAST(substr(name, length('search_postings__v') + 1) AS INTEGER)) AS version FROM sqlite_master WHERE type = 'table' AND name LIKE 'search_postings__v%'").get() as { version: number };
    return db.prepare(sql.replaceAll('{postings}', `search_postings__v${String(version)}`)).run().changes;
  } finally {
    db.close();
  }
};

beforeAll(async () => {
  tracker = await startTrackerInProcess(env(dataDir));
  await registerOrganization(url(), ADMIN, 'lead');
  key = await issueKey(url(), ADMIN, 'lead', 'lead-advocate', 'ADVOCATE');
  for (const name of ['Xiomara', 'Yesenia', 'Zulema']) {
    const familyId = await mutate('openFamilyCase', { programme: 'SEPARATED_FAMILY' });
    await mutate('registerChild', { familyId, childId: 'child', givenName: name, birthDate: '2012-03-04', nationality: 'GT' });
  }
  await waitUntil('the search index to find the three children', async () => (await found('Xiomara')) === 1 && (await found('Zulema')) === 1, 20_000);
}, 60_000);
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

describe('the search index in /readyz and the operator commands', () => {
  it('/readyz lists the search projection with the others, caught up to the head', async () => {
    await waitUntil('the search projection to reach the head', async () => (await readyz()).projections.find((p) => p.name === 'search')?.behind === 0);
    const ready = await readyz();
    expect(ready.status).toBe('ready');
    expect(ready.projections.map((p) => p.name)).toContain('search');
  });

  it('projections check compares the search index with a fresh rebuild, and finds a damaged one', () => {
    const intact = cli('projections', 'check');
    expect(intact.code, intact.output).toBe(0);
    expect(intact.stdout).toMatch(/search: ok \(\d+ rows equal a fresh rebuild\)/);

    expect(searchRows(dataDir, 'DELETE FROM {postings} WHERE rowid IN (SELECT rowid FROM {postings} LIMIT 1)')).toBe(1);
    const damaged = cli('projections', 'check');
    expect(damaged.code).toBe(1);
    expect(damaged.stdout).toContain('search: DIFFERS in search_postings');
  });

  it('backup copies the search index (checked), and a restore serves search from the restored file', async () => {
    const target = join(temp.dir, 'backup');
    const backup = cli('backup', target);
    expect(backup.code, backup.output).toBe(0);
    expect(backup.stdout).toMatch(/search-index\.sqlite: \d+ bytes, integrity_check ok/);
    expect((JSON.parse(readFileSync(join(target, 'manifest.json'), 'utf8')) as { files: Array<{ name: string }> }).files.map((f) => f.name))
      .toEqual(['read-models.sqlite', 'search-index.sqlite', 'events.sqlite']);

    // Restore (README "For auditors"): the three files into an empty data directory, the same key directory.
    await tracker?.stop();
    const restored = join(temp.dir, 'restored');
    mkdirSync(restored);
    for (const file of ['events.sqlite', 'read-models.sqlite', 'search-index.sqlite']) copyFileSync(join(target, file), join(restored, file));
    // A mark in the restored index: still there after the start, the server used the file (a dropped or set-aside index loses it).
    searchRows(restored, 'CREATE TABLE restore_mark (id INTEGER)');
    tracker = await startTrackerInProcess(env(restored));
    await waitUntil('the restored tracker to be ready', async () => (await readyz()).status === 'ready', 20_000);
    expect(await found('Yesenia')).toBe(1);
    await tracker.stop();
    const marks = new Database(join(restored, 'search-index.sqlite'), { readonly: true });
    expect(marks.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'restore_mark'").get()).toEqual({ n: 1 });
    marks.close();
    tracker = undefined;
  });

  it('projections rebuild (server stopped) rebuilds the search index too, and status lists it', async () => {
    const rebuilt = cli('projections', 'rebuild', 'search');
    expect(rebuilt.code, rebuilt.output).toBe(0);
    expect(rebuilt.stdout).toMatch(/rebuilt search: \d+ events applied/);
    const status = cli('projections', 'status');
    expect(status.code, status.output).toBe(0);
    expect((JSON.parse(status.stdout) as Array<{ name: string }>).map((p) => p.name)).toEqual(['organizations', 'families', 'casefile', 'access-log', 'erasures', 'search']);
    expect(cli('projections', 'rebuild', 'no-such-projection').code).not.toBe(0);

    tracker = await startTrackerInProcess(env(dataDir));
    await waitUntil('the tracker to be ready', async () => (await readyz()).status === 'ready', 20_000);
    const check = cli('projections', 'check');
    expect(check.code, check.output).toBe(0);
    expect(check.stdout).toMatch(/search: ok/);
    expect(existsSync(join(dataDir, 'search-index.sqlite'))).toBe(true);
  });
});

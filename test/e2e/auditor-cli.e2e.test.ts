import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommanderError, type Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { program } from '../../infra/cli/tracker-cli.js';
import { waitUntil } from '../support/async.js';
import { dataOf, issueKey, postGraphQL } from '../support/graphql-client.js';
import { makeTempDir } from '../support/temp-dir.js';
import { loadDemo, startTrackerInProcess, type Tracker } from '../support/in-process-tracker.js';

/**
 * `npm run tracker -- <command>` as an operator runs it, against the demo data while the server
 * runs: replay, verify (then again after tampering with the file), projections check, export
 * (redacted, then with a key, which the access log records) and backup.
 */
const ROOT = join(import.meta.dirname, '../..');
const temp = makeTempDir('tracker-cli-');
let tracker: Tracker;
const keys: Record<string, string> = {};
const ADMIN = 'cli-admin-key-0123456789abcdefgh';
const DEMO_NAMES = ['Lupita', 'Rosa', 'Ramón', 'María', 'Elena'];

const cli = (...args: string[]) => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'infra/cli/tracker-cli.ts', ...args], {
    cwd: ROOT, env: { ...process.env, TRACKER_DATA_DIR: temp.dir }, encoding: 'utf8', timeout: 60_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
};
/**
 * `tracker <command> --help` through commander in this process (the command line's own program,
 * imported): the exit code it asks for and what it prints. A process start costs a second; the
 * help text does not depend on the process.
 */
const helpInProcess = async (command: string[]): Promise<{ code: number | undefined; stdout: string }> => {
  let stdout = '';
  const commands = (parent: Command): Command[] => [parent, ...parent.commands.flatMap(commands)];
  for (const each of commands(program)) each.exitOverride().configureOutput({ writeOut: (text) => (stdout += text), writeErr: (text) => (stdout += text) });
  try {
    await program.parseAsync([...command, '--help'], { from: 'user' });
    return { code: undefined, stdout };
  } catch (error) {
    if (error instanceof CommanderError) return { code: error.exitCode, stdout };
    throw error;
  }
};
const gql = (key: string, query: string, variables: Record<string, unknown> = {}) => postGraphQL(tracker.url, key, query, variables);
const familyIds = async (key: string): Promise<string[]> =>
  dataOf(await gql(key, '{ families(first: 100) { edges { node { id } } } }')).families.edges.map((edge: { node: { id: string } }) => edge.node.id);

beforeAll(async () => {
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN });
  Object.assign(keys, await loadDemo(temp.dir, async (demoKeys) => (await familyIds(demoKeys['Legal Aid of New York']!)).length >= 3));
});
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

describe('tracker CLI', () => {
  it('every command has --help', async () => {
    const help = cli('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: tracker');
    for (const command of [['replay'], ['verify'], ['export'], ['backup'], ['projections'], ['projections', 'check'], ['projections', 'rebuild']]) {
      const inProcess = await helpInProcess(command);
      expect(inProcess.code, command.join(' ')).toBe(0);
      expect(inProcess.stdout).toContain(`Usage: tracker ${command.join(' ')}`);
    }
  });

  it('replay prints the family as known at a revision, without personal data; bad input is a clear error', async () => {
    const [familyId] = await familyIds(keys['Legal Aid of New York']!);
    const replay = cli('replay', '--family', familyId!, '--at-revision', '0');
    expect(replay.code).toBe(0);
    expect(JSON.parse(replay.stdout)).toMatchObject({ familyId, revision: 0, status: 'INTAKE', children: [] });
    const now = cli('replay', '--family', familyId!, '--as-of', new Date().toISOString());
    expect(JSON.parse(now.stdout).revision).toBeGreaterThan(0);
    for (const name of DEMO_NAMES) expect(now.stdout).not.toContain(name);
    const bad = cli('replay', '--family', familyId!, '--as-of', '2024-02-30T00:00:00Z');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('RFC 3339');
    expect(cli('replay', '--family', 'no-such-family').code).toBe(2);
  });

  it('projections check finds the live read models equal to a fresh rebuild', () => {
    const check = cli('projections', 'check');
    expect(check.stdout + check.stderr).not.toContain('DIFFERS');
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toMatch(/families: ok \(\d+ rows equal a fresh rebuild\)/);
  });

  it('export without a key is redacted; with a key it shows what that key may see, and the access log records it', async () => {
    const redacted = cli('export');
    expect(redacted.code).toBe(0);
    const lines = redacted.stdout.trim().split('\n').map((line) => JSON.parse(line) as { familyId: string; revision: number; hash: string });
    expect(lines.length).toBeGreaterThan(20);
    for (const name of DEMO_NAMES) expect(redacted.stdout).not.toContain(name);

    const key = keys['Legal Aid of New York']!;
    const [familyId] = await familyIds(key);
    const full = cli('export', '--family', familyId!, '--include-personal-data', '--key', key);
    expect(full.code, full.stderr).toBe(0);
    expect(full.stdout).toContain('"givenName"');
    expect(cli('export', '--include-personal-data').code).toBe(2);
    expect(cli('export', '--include-personal-data', '--key', 'trk_not-a-key').code).toBe(2);

    const auditor = await issueKey(tracker.url, ADMIN, 'demo-us-legal', 'cli-auditor', 'AUDITOR');
    const LOG = 'query($id: ID!) { familyAccessLog(familyId: $id) { fields } }';
    let fields: string[] = [];
    await waitUntil('the access log to record the export', async () => {
      fields = dataOf(await gql(auditor, LOG, { id: familyId })).familyAccessLog.map((entry: { fields: string }) => entry.fields);
      return fields.includes('export');
    });
    expect(fields).toContain('export');
  });

  it('backup writes consistent, checked copies while the server runs', () => {
    const target = join(temp.dir, 'backup-1');
    const backup = cli('backup', target);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/events\.sqlite: \d+ bytes, integrity_check ok/);
    expect(JSON.parse(readFileSync(join(target, 'manifest.json'), 'utf8')).files).toHaveLength(3);
    const copy = new Database(join(target, 'events.sqlite'), { readonly: true });
    const live = new Database(join(temp.dir, 'events.sqlite'), { readonly: true });
    expect(copy.prepare('SELECT count(*) AS n FROM events').get()).toEqual(live.prepare('SELECT count(*) AS n FROM events').get());
    copy.close();
    live.close();
    expect(existsSync(join(target, 'events.sqlite-wal'))).toBe(false);
    expect(cli('backup', target).code).not.toBe(0);
  });

  it('verify: all intact with a seal; after an edit to the file, names the stream, the revision and how', async () => {
    const intact = cli('verify');
    expect(intact.code, intact.stdout + intact.stderr).toBe(0);
    expect(intact.stdout).toMatch(/all intact; seal [0-9a-f]{64}/);

    const [familyId] = await familyIds(keys['Legal Aid of New York']!);
    const db = new Database(join(temp.dir, 'events.sqlite'));
    db.exec('DROP TRIGGER events_are_never_updated');
    db.prepare(`UPDATE events SET data = json_set(data, '$.tampered', 1)
      WHERE revision = 2 AND stream_id = (SELECT stream_id FROM streams WHERE name = ?)`).run(`family-${familyId!}`);
    db.close();

    const broken = cli('verify');
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`BROKEN family-${familyId!}: changed at revision 2`);
    const one = cli('verify', '--family', familyId!);
    expect(one.code).toBe(1);
    expect(one.stdout).toContain('changed at revision 2');
    const verification = dataOf(await gql(keys['Legal Aid of New York']!, 'query($id: ID!) { verifyFamilyHistory(familyId: $id) { ok brokenAtRevision problem } }', { id: familyId }));
    expect(verification.verifyFamilyHistory).toEqual({ ok: false, brokenAtRevision: 2, problem: 'CHANGED' });
  });
});

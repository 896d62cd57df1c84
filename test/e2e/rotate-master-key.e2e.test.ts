import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dataOf, postGraphQL } from '../support/graphql-client.js';
import { startTrackerInProcess } from '../support/in-process-tracker.js';
import { makeTempDir } from '../support/temp-dir.js';

/** Issue 13 item 5: the master key rotates by re-wrapping the data keys; events are not touched. */
const ROOT = join(import.meta.dirname, '../..');
const KEY = 'rotate-master-admin-key-0123456789';
const temp = makeTempDir('tracker-rotate-');
const env = { TRACKER_DATA_DIR: join(temp.dir, 'data'), TRACKER_KEY_DIR: join(temp.dir, 'keys'), TRACKER_BOOTSTRAP_ADMIN_KEY: KEY };
afterAll(() => temp.remove());

const cli = (...args: string[]) => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'infra/cli/tracker-cli.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
};
const eventsBytes = (): Buffer => readFileSync(join(env.TRACKER_DATA_DIR, 'events.sqlite'));

describe('tracker rotate-master-key', () => {
  it('re-wraps the data keys: the new key opens the same data, the old one no longer does, the event store is unchanged', async () => {
    const first = await startTrackerInProcess(env);
    const familyId = dataOf(await postGraphQL(first.url, KEY, 'mutation { openFamilyCase(input: { programme: SEPARATED_FAMILY }) { family { id } } }')).openFamilyCase.family.id as string;
    dataOf(await postGraphQL(first.url, KEY, 'mutation($f: ID!) { registerChild(input: { familyId: $f, childId: "c1", givenName: "Ana", birthDate: "2010-01-01", nationality: "HN" }) { revision } }', { f: familyId }));
    const whileServing = cli('rotate-master-key', '--new-key-file', join(temp.dir, 'none'));
    expect(whileServing.code, 'refused while the server runs').toBe(3);
    expect(whileServing.stderr).toMatch(/in use by another tracker process/);
    await first.stop();
    const oldKey = readFileSync(join(env.TRACKER_KEY_DIR, 'master.key'), 'utf8').trim();
    const before = eventsBytes();

    const newKeyFile = join(temp.dir, 'new-master.key');
    const newKey = randomBytes(32).toString('base64');
    writeFileSync(newKeyFile, `${newKey}\n`, { mode: 0o600 });
    const rotated = cli('rotate-master-key', '--new-key-file', newKeyFile);
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(rotated.stdout).toMatch(/re-wrapped \d+ data keys/);
    expect(readFileSync(join(env.TRACKER_KEY_DIR, 'master.key'), 'utf8').trim()).toBe(newKey);
    expect(eventsBytes().equals(before)).toBe(true);

    const second = await startTrackerInProcess(env);
    try {
      const family = dataOf(await postGraphQL(second.url, KEY, 'query($id: ID!) { family(id: $id) { children { givenName } } }', { id: familyId })).family;
      expect(family.children).toEqual([{ givenName: 'Ana' }]);
    } finally {
      await second.stop();
    }
    await expect(startTrackerInProcess({ ...env, TRACKER_MASTER_KEY: oldKey })).rejects.toThrow(/does not open the key store/);
  });
});

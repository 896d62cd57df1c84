import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../infra/config.js';
import { dataOf, postGraphQL } from '../support/graphql-client.js';
import { startTrackerInProcess } from '../support/in-process-tracker.js';
import { startExpectingRefusal } from '../support/tracker-process.js';
import { makeTempDir } from '../support/temp-dir.js';

const KEY = 'key-store-start-admin-key-0123456789';
const temps: Array<ReturnType<typeof makeTempDir>> = [];
const dirs = () => {
  const temp = makeTempDir('tracker-key-store-');
  temps.push(temp);
  return { dataDir: join(temp.dir, 'data'), keyDir: join(temp.dir, 'keys') };
};
afterAll(() => temps.forEach((temp) => temp.remove()));

const mode = (path: string): number => statSync(path).mode & 0o777;
const NOTICE = /Back it up now, APART from the data directory/g;

describe('the key store and its master key at start-up', () => {
  it('a first start generates the master key into the key directory (0700, files 0600), says so once on stderr, not in the log; later starts open it', async () => {
    const { dataDir, keyDir } = dirs();
    const env = { TRACKER_DATA_DIR: dataDir, TRACKER_KEY_DIR: keyDir, TRACKER_BOOTSTRAP_ADMIN_KEY: KEY };
    const first = await startTrackerInProcess(env);
    const familyId = dataOf(await postGraphQL(first.url, KEY, 'mutation { openFamilyCase(input: { programme: SEPARATED_FAMILY }) { family { id } } }')).openFamilyCase.family.id as string;
    dataOf(await postGraphQL(first.url, KEY, 'mutation($f: ID!) { registerChild(input: { familyId: $f, childId: "c1", givenName: "Ana", birthDate: "2010-01-01", nationality: "HN" }) { revision } }', { f: familyId }));
    expect(mode(keyDir)).toBe(0o700);
    for (const file of ['master.key', 'data-keys.sqlite', 'data-keys.sqlite-wal', 'data-keys.sqlite-shm'].filter((name) => existsSync(join(keyDir, name)))) {
      expect(mode(join(keyDir, file)), file).toBe(0o600);
    }
    expect(existsSync(join(keyDir, 'master.key'))).toBe(true);
    expect(existsSync(join(dataDir, 'master.key'))).toBe(false);
    expect(first.output().match(NOTICE)).toHaveLength(1);
    expect(first.output()).toContain(join(keyDir, 'master.key'));
    const logLines = first.output().split('\n').filter((line) => line.startsWith('{'));
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.filter((line) => /master key/i.test(line))).toEqual([]);
    expect(await first.stop()).toBe(0);

    const second = await startTrackerInProcess(env);
    try {
      expect(second.output()).not.toMatch(NOTICE);
      const family = dataOf(await postGraphQL(second.url, KEY, 'query($id: ID!) { family(id: $id) { children { givenName } } }', { id: familyId })).family;
      expect(family.children).toEqual([{ givenName: 'Ana' }]);
    } finally {
      await second.stop();
    }
  });

  it('refuses to start (a real process, exit code 1) when the master key does not open the key store', async () => {
    const { dataDir, keyDir } = dirs();
    const env = { TRACKER_DATA_DIR: dataDir, TRACKER_KEY_DIR: keyDir, TRACKER_BOOTSTRAP_ADMIN_KEY: KEY };
    await (await startTrackerInProcess(env)).stop();
    const other = randomBytes(32).toString('base64');
    const refused = await startExpectingRefusal({ ...env, TRACKER_MASTER_KEY: other });
    expect(refused).toMatchObject({ started: false, code: 1 });
    expect(refused.output).toContain('The master key does not open the key store');
    expect(refused.output).not.toContain(other);
  });

  it('refuses to start when the key store exists but its master key is gone, instead of generating one that cannot open it', async () => {
    const { dataDir, keyDir } = dirs();
    const env = { TRACKER_DATA_DIR: dataDir, TRACKER_KEY_DIR: keyDir, TRACKER_BOOTSTRAP_ADMIN_KEY: KEY };
    await (await startTrackerInProcess(env)).stop();
    rmSync(join(keyDir, 'master.key'));
    await expect(startTrackerInProcess(env)).rejects.toThrow(/exists but its master key does not/);
    expect(existsSync(join(keyDir, 'master.key'))).toBe(false);
  });

  it('refuses to start with a new, empty key directory beside an event store that holds encrypted data, and appends nothing', async () => {
    const { dataDir, keyDir } = dirs();
    const env = { TRACKER_DATA_DIR: dataDir, TRACKER_KEY_DIR: keyDir, TRACKER_BOOTSTRAP_ADMIN_KEY: KEY };
    await (await startTrackerInProcess(env)).stop();
    const events = (): unknown => {
      const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
      try {
        return db.prepare('SELECT count(*) AS n FROM events').get();
      } finally {
        db.close();
      }
    };
    const before = events();
    await expect(startTrackerInProcess({ ...env, TRACKER_KEY_DIR: `${keyDir}-not-mounted` })).rejects.toThrow(/holds no key: it is not the key store of this event store/);
    expect(events()).toEqual(before);
  });

  it('a master key supplied by TRACKER_MASTER_KEY opens the store with no key file written and no notice; a malformed one is refused without repeating it', async () => {
    const { dataDir, keyDir } = dirs();
    const env = { TRACKER_DATA_DIR: dataDir, TRACKER_KEY_DIR: keyDir, TRACKER_BOOTSTRAP_ADMIN_KEY: KEY, TRACKER_MASTER_KEY: randomBytes(32).toString('hex') };
    const tracker = await startTrackerInProcess(env);
    expect(tracker.output()).not.toMatch(NOTICE);
    expect(existsSync(join(keyDir, 'master.key'))).toBe(false);
    expect(existsSync(join(keyDir, 'data-keys.sqlite'))).toBe(true);
    await tracker.stop();
    await expect(startTrackerInProcess({ ...env, TRACKER_MASTER_KEY: 'not-a-key-Canary' })).rejects.toThrow(/must be 32 bytes/);
    await expect(startTrackerInProcess({ ...env, TRACKER_MASTER_KEY: 'not-a-key-Canary' })).rejects.not.toThrow(/Canary/);
  });

  it('keys are never inside the data directory: TRACKER_KEY_DIR or TRACKER_MASTER_KEY_FILE there is a configuration error; the default sits beside it', () => {
    expect(() => loadConfig({ TRACKER_DATA_DIR: '/srv/tracker', TRACKER_KEY_DIR: '/srv/tracker/keys' })).toThrow(ConfigError);
    expect(() => loadConfig({ TRACKER_DATA_DIR: '/srv/tracker', TRACKER_KEY_DIR: '/srv/tracker' })).toThrow(/TRACKER_KEY_DIR: must not be inside TRACKER_DATA_DIR/);
    expect(() => loadConfig({ TRACKER_DATA_DIR: '/srv/tracker', TRACKER_MASTER_KEY_FILE: '/srv/tracker/master.key' })).toThrow(/TRACKER_MASTER_KEY_FILE: must not be inside/);
    expect(loadConfig({ TRACKER_DATA_DIR: '/srv/tracker' }).keys.keyDir).toBe('/srv/tracker-keys');
    expect(loadConfig({ TRACKER_DATA_DIR: '/srv/tracker', TRACKER_KEY_DIR: '/srv/tracker-keys-elsewhere' }).keys.keyDir).toBe('/srv/tracker-keys-elsewhere');
  });
});

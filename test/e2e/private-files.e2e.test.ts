import { chmodSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, postGraphQL } from '../support/graphql-client.js';
import { startTrackerInProcess } from '../support/in-process-tracker.js';
import { makeTempDir } from '../support/temp-dir.js';

/** Issue 13: the files and folders the tracker creates are readable by its own user only. */
const KEY = 'private-files-admin-key-0123456789';
const temp = makeTempDir('tracker-private-files-');
const dataDir = join(temp.dir, 'data');
const keyDir = join(temp.dir, 'keys');
let umaskBefore: number;

beforeAll(() => {
  // As a shell with the common umask 022 would start it: new files 0644 unless the tracker narrows them.
  umaskBefore = process.umask(0o022);
});
afterAll(() => {
  process.umask(umaskBefore);
  temp.remove();
});

const modes = (dir: string): Record<string, number> =>
  Object.fromEntries([[dir, statSync(dir).mode & 0o777], ...readdirSync(dir).map((name) => [name, statSync(join(dir, name)).mode & 0o777])]);

describe('files the tracker creates', () => {
  it('are 0600 and their folders 0700 (data and key directory), whatever the umask; an older world-readable store is narrowed', async () => {
    // A data directory as an older version left it: the event store world-readable.
    const tracker0 = await startTrackerInProcess({ TRACKER_DATA_DIR: dataDir, TRACKER_KEY_DIR: keyDir, TRACKER_BOOTSTRAP_ADMIN_KEY: KEY });
    await tracker0.stop();
    process.umask(0o022);
    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, 'events.sqlite'), 0o644);
    writeFileSync(join(dataDir, 'notes.txt'), 'not the tracker file');

    const tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: dataDir, TRACKER_KEY_DIR: keyDir, TRACKER_BOOTSTRAP_ADMIN_KEY: KEY, TRACKER_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' });
    try {
      const familyId = dataOf(await postGraphQL(tracker.url, KEY, 'mutation { openFamilyCase(input: { programme: SEPARATED_FAMILY }) { family { id } } }')).openFamilyCase.family.id as string;
      dataOf(await postGraphQL(tracker.url, KEY, 'mutation($f: ID!) { registerChild(input: { familyId: $f, childId: "c1", givenName: "Ana", birthDate: "2010-01-01", nationality: "HN" }) { revision } }', { f: familyId }));
      dataOf(await postGraphQL(tracker.url, KEY, 'mutation { registerWebhook(input: { url: "http://127.0.0.1:9/hook" }) { secret } }'));
      const data = modes(dataDir);
      const keys = modes(keyDir);
      expect(Object.keys(data)).toEqual(expect.arrayContaining(['events.sqlite', 'events.sqlite-wal', 'read-models.sqlite', 'webhooks.sqlite', 'tracker.lock']));
      expect(Object.keys(keys)).toEqual(expect.arrayContaining(['master.key', 'data-keys.sqlite']));
      const { 'notes.txt': notes, ...trackerFiles } = data;
      expect(notes).toBe(0o644);
      const wider = Object.entries({ ...trackerFiles, ...keys }).filter(([, mode]) => (mode & 0o077) !== 0);
      expect(wider.map(([name, mode]) => `${name} ${mode.toString(8)}`)).toEqual([]);
      expect(data[dataDir]).toBe(0o700);
      expect(keys[keyDir]).toBe(0o700);
    } finally {
      await tracker.stop();
    }
  });
});

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyStreamOf } from '../../infra/keys/event-store-key-store.js';
import { familyDataKeyId } from '../../services/privacy/data-key-id.js';
import { waitUntil } from '../support/async.js';
import { EsdbProtocolTestServer } from '../support/esdb-protocol-test-server.js';
import { dataOf, postGraphQL } from '../support/graphql-client.js';
import { startTrackerInProcess, type Tracker } from '../support/in-process-tracker.js';
import { makeTempDir } from '../support/temp-dir.js';

/**
 * Issue 13 item 5 with the key store in EventStoreDB: `tracker rotate-master-key` re-wraps every
 * data key in the event store under the new master key while two replicas run on the old one;
 * no family event changes. The replicas keep reading everyone they hold, refuse to record a new
 * person (nothing is appended), and once restarted with the new key work as before; the old key
 * is refused at start. Running the rotation again re-wraps nothing.
 */
const ROOT = join(import.meta.dirname, '../..');
const ADMIN = 'esdb-rotation-admin-key-0123456789abcdef';
const OLD = randomBytes(32).toString('hex');
const NEW = randomBytes(32).toString('base64');
const CHILD_NAME = 'Rotacanarymaite';
const temp = makeTempDir('tracker-esdb-rotation-');
const newKeyFile = join(temp.dir, 'new-master.key');
let server: EsdbProtocolTestServer;
let a: Tracker;
let b: Tracker;
let familyId = '';

const env = (replica: string, masterKey = OLD): Record<string, string> => ({
  TRACKER_DATA_DIR: join(temp.dir, `${replica}-data`),
  TRACKER_KEY_DIR: join(temp.dir, `${replica}-keys`),
  TRACKER_MASTER_KEY: masterKey,
  EVENTSTORE_CONNECTION_STRING: server.connectionString,
  TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN,
  TRACKER_RATE_LIMIT_REQUESTS: '0',
});
/** The CLI as a child process; asynchronous, since the protocol test server runs in this process. */
const cli = (environment: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'infra/cli/tracker-cli.ts', ...args], { cwd: ROOT, env: { ...process.env, ...environment }, timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }));
  });
const ask = (tracker: Tracker, query: string, variables: Record<string, unknown> = {}) => postGraphQL(tracker.url, ADMIN, query, variables);
const names = async (tracker: Tracker): Promise<string[]> => {
  const family = dataOf(await ask(tracker, 'query($id: ID!) { family(id: $id) { children { givenName } relatives { givenName } } }', { id: familyId })).family;
  return [...family.children, ...family.relatives].map((person: { givenName: string }) => person.givenName);
};
const addRelative = (tracker: Tracker, relativeId: string, givenName: string) =>
  ask(tracker, 'mutation($input: AddRelativeInput!) { addRelative(input: $input) { revision } }', { input: { familyId, relativeId, relationship: 'AUNT', givenName } });
const familyEvents = (): string => JSON.stringify(server.log.streamEvents(`family-${familyId}`)!.map((record) => [record.type, Buffer.from(record.data).toString('base64')]));
const ready = (tracker: Tracker) => waitUntil('the replica to be ready', async () => (await fetch(`${tracker.url}/readyz`)).ok, 30_000);

beforeAll(async () => {
  server = await EsdbProtocolTestServer.start();
  writeFileSync(newKeyFile, `${NEW}\n`, { mode: 0o600 });
  [a, b] = await Promise.all([startTrackerInProcess(env('a')), startTrackerInProcess(env('b'))]);
  familyId = dataOf(await ask(a, 'mutation { openFamilyCase(input: { programme: SEPARATED_FAMILY }) { family { id } } }')).openFamilyCase.family.id as string;
  dataOf(await ask(a, 'mutation($f: ID!) { registerChild(input: { familyId: $f, childId: "c1", givenName: "Rotacanarymaite", birthDate: "2010-01-01", nationality: "HN" }) { revision } }', { f: familyId }));
  await waitUntil('B to show the child', async () => (await names(b)).includes(CHILD_NAME), 20_000);
}, 60_000);
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await server?.stop();
  temp.remove();
});

describe('tracker rotate-master-key with the key store in EventStoreDB, replicas running', () => {
  it('re-wraps every data key and touches no family event; running replicas keep reading and refuse new people', async () => {
    const before = familyEvents();
    const rotated = await cli(env('a'), 'rotate-master-key', '--new-key-file', newKeyFile);
    expect(rotated.code, rotated.stderr).toBe(0);
    const count = Number(/re-wrapped (\d+) data keys/.exec(rotated.stdout)?.[1]);
    expect(count).toBeGreaterThanOrEqual(1);
    expect(server.log.streamEvents(keyStreamOf(familyDataKeyId(familyId, 'c1')))!.map((record) => record.type)).toEqual(['DataKeyCreated', 'DataKeyRewrapped']);
    expect(familyEvents()).toBe(before);

    for (const tracker of [a, b]) {
      await waitUntil('the replica to log the rotation', () => tracker.output().includes('the master key was rotated'), 20_000);
      expect(await names(tracker)).toContain(CHILD_NAME);
    }
    const refused = await addRelative(b, 'aunt-refused', 'Rotacanaryrefused');
    expect(refused.errors?.length).toBeGreaterThan(0);
    expect(JSON.stringify(refused)).not.toContain('Rotacanaryrefused');
    // The client gets the generic error; the replica's log names why.
    expect(b.output()).toContain('MasterKeyRotatedError');
    expect(familyEvents()).toBe(before);

    const again = await cli(env('a'), 'rotate-master-key', '--new-key-file', newKeyFile);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/re-wrapped 0 data keys/);
  }, 120_000);

  it('the old master key is refused at start; replicas restarted with the new one read everyone and record new people again', async () => {
    await expect(startTrackerInProcess(env('c'))).rejects.toThrow(/does not open the key store tracker-keys-check/);
    await Promise.all([a.stop(), b.stop()]);
    [a, b] = await Promise.all([startTrackerInProcess(env('a', NEW)), startTrackerInProcess(env('b', NEW))]);
    await Promise.all([ready(a), ready(b)]);
    expect(await names(a)).toContain(CHILD_NAME);
    dataOf(await addRelative(a, 'aunt', 'Rotacanaryaunt'));
    await waitUntil('B to show the relative recorded through A under the new key', async () => (await names(b)).includes('Rotacanaryaunt'), 20_000);
    expect(await names(b)).toContain(CHILD_NAME);
  }, 120_000);
});

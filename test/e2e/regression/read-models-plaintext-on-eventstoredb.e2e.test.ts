import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../support/async.js';
import { EsdbProtocolTestServer } from '../../support/esdb-protocol-test-server.js';
import { dataOf, postGraphQL, registerOrganization } from '../../support/graphql-client.js';
import { startTrackerInProcess, type Tracker } from '../../support/in-process-tracker.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver.js';

/**
 * Regression (issue 13 item 3, on EventStoreDB): with the key store kept in EventStoreDB (the
 * default there, TRACKER_KEY_STORE=event-store) the read models held every person's name, birth
 * date, phone, identifier, facility and the webhook secrets in plaintext: that key store had no
 * synchronous keys, so the server warned and did not seal. Now every replica holds every key in
 * memory (loaded at start, kept current by a subscription) and seals as the embedded store does.
 * Two replicas, each with its own data and key directory, share one protocol test server and the
 * master key: canaries recorded through A are in no file of either replica; an erasure through
 * A shows as the tombstone in B's responses; a rebuild on B keeps it; nothing is in plaintext.
 */
const ROOT = join(import.meta.dirname, '../../..');
const ADMIN = 'esdb-sealed-admin-key-0123456789abcdef';
const MASTER = randomBytes(32).toString('hex');
const CANARY = {
  childGiven: 'Esdbcanaryxitlali',
  childFamily: 'Esdbcanaryozuna',
  medicalNeeds: 'Esdbcanary asthma inhaler',
  facility: 'Esdbcanaryfacility Homestead',
  motherGiven: 'Esdbcanaryrosaura',
  phone: '+52 55 8765 4321',
  curp: 'ESDB110505HDFRRQ07',
  safeContact: 'Esdbcanary call after dark only',
  lead: 'Esdbcanary cousin in Tapachula',
};
const CHILD = 'child-e';

const temp = makeTempDir('tracker-esdb-sealed-');
const dir = (replica: string, kind: string): string => join(temp.dir, `${replica}-${kind}`);
let server: EsdbProtocolTestServer;
let receiver: WebhookReceiver | undefined;
let a: Tracker;
let b: Tracker;
let familyId = '';
let secret = '';

const env = (replica: 'a' | 'b', extra: Record<string, string> = {}): Record<string, string> => ({
  TRACKER_DATA_DIR: dir(replica, 'data'),
  TRACKER_KEY_DIR: dir(replica, 'keys'),
  TRACKER_MASTER_KEY: MASTER,
  EVENTSTORE_CONNECTION_STRING: server.connectionString,
  TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN,
  TRACKER_RATE_LIMIT_REQUESTS: '0',
  TRACKER_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
  ...extra,
});

/** The CLI as a child process; asynchronous, since the protocol test server runs in this process. */
const cli = (environment: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'infra/cli/tracker-cli.ts', ...args], { cwd: ROOT, env: { ...process.env, ...environment }, timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }));
  });

const ask = (tracker: Tracker, query: string, variables: Record<string, unknown> = {}) => postGraphQL(tracker.url, ADMIN, query, variables);
const mutate = async (tracker: Tracker, name: string, input: Record<string, unknown>) => {
  const type = `${name.charAt(0).toUpperCase()}${name.slice(1)}Input`;
  return dataOf(await ask(tracker, `mutation($input: ${type}!) { ${name}(input: $input) { revision family { id } } }`, { input }))[name] as { family: { id: string } };
};
const FAMILY = 'query($id: ID!) { family(id: $id) { children { id erased givenName birthDate medicalNeeds placementHistory { facility } } relatives { id erased givenName } } }';
const family = async (tracker: Tracker) => dataOf(await ask(tracker, FAMILY, { id: familyId })).family;
const history = async (tracker: Tracker): Promise<string> =>
  JSON.stringify(dataOf(await ask(tracker, 'query($id: ID!) { familyHistory(familyId: $id, first: 100) { edges { node { type data } } } }', { id: familyId })).familyHistory.edges);

/** Every file under the directories (SQLite files with -wal and -shm), raw bytes. */
const filesUnder = (...dirs: string[]): Array<{ name: string; bytes: Buffer }> =>
  dirs.flatMap((root) => readdirSync(root, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile())
    .map((entry) => ({ name: join(entry.parentPath, entry.name).slice(temp.dir.length), bytes: readFileSync(join(entry.parentPath, entry.name)) })));
const folded = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
const hitsIn = (bytes: Buffer, value: string): boolean => bytes.includes(Buffer.from(value, 'utf8')) || folded(bytes.toString('utf8')).includes(folded(value));
/** Each (file, canary) found in plaintext under both replicas' data and key directories. */
const plaintextHits = (values: readonly string[]): string[] =>
  filesUnder(dir('a', 'data'), dir('a', 'keys'), dir('b', 'data'), dir('b', 'keys')).flatMap(({ name, bytes }) =>
    values.filter((value) => hitsIn(bytes, value)).map((value) => `${name}: ${value === secret ? 'the webhook secret' : value}`));
const everyCanary = (): string[] => [...Object.values(CANARY), secret];

beforeAll(async () => {
  server = await EsdbProtocolTestServer.start();
  const hook = await startWebhookReceiver();
  receiver = hook;
  [a, b] = await Promise.all([startTrackerInProcess(env('a')), startTrackerInProcess(env('b'))]);
  await registerOrganization(a.url, ADMIN, 'defenders', 'DEFENDER');
  const url = hook.url;
  secret = dataOf(await ask(a, 'mutation($url: String!) { registerWebhook(input: { url: $url }) { secret } }', { url })).registerWebhook.secret as string;
  familyId = (await mutate(a, 'openFamilyCase', { programme: 'SEPARATED_FAMILY' })).family.id;
  for (const [name, input] of [
    ['registerChild', { childId: CHILD, givenName: CANARY.childGiven, familyName: CANARY.childFamily, birthDate: '2011-05-05', nationality: 'HN', medicalNeeds: CANARY.medicalNeeds }],
    ['recordChildDetained', { childId: CHILD, agency: 'ORR', detainedOn: '2023-01-16', facility: CANARY.facility }],
    ['addRelative', { relativeId: 'mother', relationship: 'MOTHER', givenName: CANARY.motherGiven, phone: CANARY.phone }],
    ['recordIdentifier', { personId: CHILD, kind: 'CURP', value: CANARY.curp }],
    ['startTracing', { relativeId: 'mother', defenderOrganizationId: 'defenders' }],
    ['recordLead', { relativeId: 'mother', lead: CANARY.lead }],
    ['recordParentLocated', { relativeId: 'mother', country: 'HN', method: 'FIELD_VISIT' }],
    ['recordContactEstablished', { relativeId: 'mother', safeContactInstructions: CANARY.safeContact }],
  ] as const) await mutate(a, name, { familyId, ...input });
  await waitUntil('B to show the child recorded through A', async () => (await family(b))?.children?.[0]?.givenName === CANARY.childGiven, 30_000);
  await waitUntil('a webhook delivery of the family', () => hook.received.some((body) => body.includes(familyId)), 30_000);
}, 120_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await server?.stop();
  await receiver?.close();
  temp.remove();
});

describe('read models sealed with the key store in EventStoreDB, on two replicas (regression: they held plaintext)', () => {
  it('both replicas answer with the values, and no canary nor the webhook secret is in any file of either replica', async () => {
    for (const tracker of [a, b]) {
      const seen = await family(tracker);
      expect(seen.children[0]).toMatchObject({ givenName: CANARY.childGiven, medicalNeeds: CANARY.medicalNeeds, placementHistory: [{ facility: CANARY.facility }] });
      expect(seen.relatives[0]).toMatchObject({ givenName: CANARY.motherGiven });
      expect(tracker.output()).not.toMatch(/plaintext/);
    }
    // The read models are there and hold the family (sealed): the scan below is not of empty files.
    const rows = new Database(join(dir('b', 'data'), 'read-models.sqlite'), { readonly: true });
    try {
      const state = (rows.prepare('SELECT state_json FROM families WHERE family_id = ?').get(familyId) as { state_json: string } | undefined)?.state_json;
      expect(state).toMatch(/rm1:/);
    } finally {
      rows.close();
    }
    expect(plaintextHits(everyCanary())).toEqual([]);
  });

  it('an erasure through A: B answers with the tombstone (family and history), keeps the mother, and no file holds the canaries', async () => {
    expect(await history(b)).toContain(CANARY.childGiven);
    await mutate(a, 'eraseSubject', { familyId, subjectId: CHILD, reason: 'SUBJECT_REQUEST' });
    await waitUntil('B to show the child erased', async () => {
      const child = (await family(b)).children[0];
      return child.erased === true && child.givenName === null;
    }, 20_000);
    await waitUntil("B's history to show the tombstone", async () => {
      const text = await history(b);
      return !text.includes(CANARY.childGiven) && !text.includes(CANARY.facility) && text.includes('"erased":true');
    }, 20_000);
    const seen = await family(b);
    expect(seen.children[0]).toMatchObject({ id: CHILD, erased: true, givenName: null, birthDate: null });
    expect(seen.relatives[0]).toMatchObject({ givenName: CANARY.motherGiven, erased: false });
    expect(JSON.stringify(await family(a))).not.toContain(CANARY.childGiven);
    expect(plaintextHits(everyCanary())).toEqual([]);
  });

  it('a rebuild of B (the CLI, on EventStoreDB, the replicas stopped) seals again and keeps the tombstone; `projections check` compares equal', async () => {
    // Both stopped: a running replica appends (its dispatch lease, the access log), and the check compares checkpoints.
    expect(await a.stop()).toBe(0);
    expect(await b.stop()).toBe(0);
    const rebuilt = await cli(env('b'), 'projections', 'rebuild');
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    const check = await cli(env('b'), 'projections', 'check');
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(plaintextHits(everyCanary())).toEqual([]);
    b = await startTrackerInProcess(env('b'));
    await waitUntil('B to be ready', async () => (await fetch(`${b.url}/readyz`)).ok, 30_000);
    const seen = await family(b);
    expect(seen.children[0]).toMatchObject({ erased: true, givenName: null });
    expect(seen.relatives[0]).toMatchObject({ givenName: CANARY.motherGiven });
    expect(`${rebuilt.stdout}${rebuilt.stderr}${check.stdout}${check.stderr}${a.output()}${b.output()}`).not.toContain(CANARY.motherGiven);
  }, 240_000);
});

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EsdbEventStore } from '../../../infra/event-store/esdb/esdb-event-store.js';
import { EventStoreKeyStore, KEY_CHECK_STREAM, keyStreamOf } from '../../../infra/keys/event-store-key-store.js';
import { waitUntil } from '../../support/async.js';
import { EsdbProtocolTestServer } from '../../support/esdb-protocol-test-server.js';
import { dataOf, issueKey, postGraphQL, registerOrganization } from '../../support/graphql-client.js';
import { startTrackerInProcess, type Tracker } from '../../support/in-process-tracker.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { familyDataKeyId } from '../../../services/privacy/data-key-id.js';

/**
 * Issue 13 item 2: two replicas on one EventStoreDB, each with its own data AND key directory
 * (different hosts), sharing nothing but the store and the master key. With the embedded key
 * store each replica had data keys of its own, so a person recorded through one could not be
 * opened by the other (its projections stalled on DataKeyMissingError). The key store in the
 * event store (the default on EventStoreDB) shares them.
 */
const ADMIN = 'shared-keys-admin-key-0123456789abcdef';
const MASTER = randomBytes(32).toString('hex');
const CANARY_CHILD = 'Xochicanaryquetzal';
const CANARY_RELATIVE = 'Tlalocanarymendez';
const dirs = Array.from({ length: 6 }, (_, index) => makeTempDir(`tracker-shared-keys-${String(index)}-`));
let server: EsdbProtocolTestServer;
let a: Tracker;
let b: Tracker;
let lead: string;
let familyId: string;

const env = (data: number, keys: number, extra: Record<string, string> = {}) => ({
  TRACKER_DATA_DIR: dirs[data]!.dir,
  TRACKER_KEY_DIR: dirs[keys]!.dir,
  TRACKER_MASTER_KEY: MASTER,
  EVENTSTORE_CONNECTION_STRING: server.connectionString,
  TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN,
  TRACKER_RATE_LIMIT_REQUESTS: '0',
  ...extra,
});
const gql = async (tracker: Tracker, query: string, variables: Record<string, unknown> = {}) => dataOf(await postGraphQL(tracker.url, lead, query, variables));
const childName = async (tracker: Tracker): Promise<string | null> =>
  ((await gql(tracker, 'query($id: ID!) { family(id: $id) { children { givenName } } }', { id: familyId })).family?.children?.[0]?.givenName as string | undefined) ?? null;
const relativeName = async (tracker: Tracker): Promise<string | null> =>
  ((await gql(tracker, 'query($id: ID!) { family(id: $id) { relatives { givenName } } }', { id: familyId })).family?.relatives?.[0]?.givenName as string | undefined) ?? null;
const historyText = async (tracker: Tracker): Promise<string> =>
  JSON.stringify((await gql(tracker, 'query($id: ID!) { familyHistory(familyId: $id) { edges { node { type data } } } }', { id: familyId })).familyHistory.edges);

beforeAll(async () => {
  server = await EsdbProtocolTestServer.start();
  // Started together on an empty store: both race to create the key store's check value.
  [a, b] = await Promise.all([startTrackerInProcess(env(0, 1)), startTrackerInProcess(env(2, 3))]);
  await registerOrganization(a.url, ADMIN, 'lead-org');
  lead = await issueKey(a.url, ADMIN, 'lead-org', 'lead-advocate', 'ADVOCATE');
  familyId = (await gql(a, 'mutation { openFamilyCase(input: { programme: SIJ }) { family { id } } }')).openFamilyCase.family.id as string;
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await server?.stop();
  for (const dir of dirs) dir.remove();
});

describe('replicas with key directories of their own share the data keys kept in EventStoreDB', () => {
  it('a person recorded through A reads on B, and one recorded through B reads on A; the store holds one key stream per person', async () => {
    await gql(a, `mutation($id: ID!) { registerChild(input: { familyId: $id, childId: "shared-child", givenName: "${CANARY_CHILD}", birthDate: "2012-01-01", nationality: "HN" }) { revision } }`, { id: familyId });
    await waitUntil('B to show the child recorded through A', async () => (await childName(b)) === CANARY_CHILD, 20_000);
    await gql(b, `mutation($id: ID!) { addRelative(input: { familyId: $id, relativeId: "shared-relative", relationship: AUNT, givenName: "${CANARY_RELATIVE}" }) { revision } }`, { id: familyId });
    await waitUntil('A to show the relative recorded through B', async () => (await relativeName(a)) === CANARY_RELATIVE, 20_000);

    expect(server.log.streamEvents(keyStreamOf(familyDataKeyId(familyId, 'shared-child')))).toHaveLength(1);
    expect(server.log.streamEvents(keyStreamOf(familyDataKeyId(familyId, 'shared-relative')))).toHaveLength(1);
    expect(server.log.streamEvents(KEY_CHECK_STREAM)).toHaveLength(1);
    const stored = Buffer.concat(server.log.records.map((record) => Buffer.from(record.data))).toString('utf8');
    expect(stored).not.toContain(CANARY_CHILD);
    expect(stored).not.toContain(CANARY_RELATIVE);
  });

  it('a key destroyed through another replica: B shows the person erased in the history once its subscription has seen the destruction', async () => {
    expect(await historyText(b)).toContain(CANARY_CHILD);
    // As A's erasure does: destroy through a key store of its own over its own connection.
    const connection = EsdbEventStore.connect(server.connectionString);
    try {
      await new EventStoreKeyStore(connection, Buffer.from(MASTER, 'hex')).destroy(familyDataKeyId(familyId, 'shared-child'));
    } finally {
      await connection.close();
    }
    await waitUntil('B to show the child erased in the history', async () => {
      const history = await historyText(b);
      // The history shows an erased person's personal part as the tombstone { subjectId, erased: true }.
      return !history.includes(CANARY_CHILD) && history.includes('"erased":true');
    }, 20_000);
    expect(await historyText(a)).not.toContain(CANARY_CHILD);
    expect(await historyText(b)).toContain(CANARY_RELATIVE);
    expect(server.log.isTombstoned(keyStreamOf(familyDataKeyId(familyId, 'shared-child')))).toBe(true);
  });

  it('a replica with another master key, or none, is refused at start', async () => {
    await expect(startTrackerInProcess(env(4, 5, { TRACKER_MASTER_KEY: randomBytes(32).toString('hex') }))).rejects.toThrow(/does not open the key store tracker-keys-check/);
    const { TRACKER_MASTER_KEY: _unused, ...withoutMaster } = env(4, 5);
    await expect(startTrackerInProcess(withoutMaster)).rejects.toThrow(/needs the master key every replica shares/);
  });
});

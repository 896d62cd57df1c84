import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../support/async.js';
import { EsdbProtocolTestServer } from '../support/esdb-protocol-test-server.js';
import { dataOf, issueKey, postGraphQL, registerOrganization } from '../support/graphql-client.js';
import { startTrackerInProcess, type Tracker } from '../support/in-process-tracker.js';
import { makeTempDir } from '../support/temp-dir.js';

/**
 * Webhooks with two replicas on one EventStoreDB connection: each replica has its own outbox,
 * but only the holder of the dispatch lease (kept in the store) sends, so each change reaches
 * the receiver once; when the holder stops, the other takes over where it stopped.
 */
const ADMIN = 'replica-webhooks-admin-key-0123456789';
const temps = [makeTempDir('tracker-hook-replica-a-'), makeTempDir('tracker-hook-replica-b-')];
/** One key store for both replicas (same host), as README "Running on EventStoreDB" says. */
const keyDir = makeTempDir('tracker-hook-replica-keys-');
const SHARED_KEYS = { TRACKER_KEY_DIR: keyDir.dir, TRACKER_MASTER_KEY: randomBytes(32).toString('hex') };
let server: EsdbProtocolTestServer;
let receiver: Server;
const received: string[] = [];
const replicas: Tracker[] = [];
let lead = '';
let orgAdmin = '';
let webhookId = '';

const gql = (tracker: Tracker, key: string, query: string, variables: Record<string, unknown> = {}) => postGraphQL(tracker.url, key, query, variables);
const LEASE_TAKEN = 'webhook dispatch lease taken';
const closeAndReopen = async (tracker: Tracker, id: string) => {
  dataOf(await gql(tracker, lead, 'mutation($id: ID!) { closeFamilyCase(input: { familyId: $id, reason: WITHDRAWN }) { revision } }', { id }));
  dataOf(await gql(tracker, lead, 'mutation($id: ID!) { reopenFamilyCase(input: { familyId: $id, reason: "new information" }) { revision } }', { id }));
};
const openFamily = async (tracker: Tracker) => dataOf(await gql(tracker, lead, 'mutation { openFamilyCase(input: { programme: SIJ }) { family { id } } }')).openFamilyCase.family.id as string;
const deliveriesOn = async (tracker: Tracker) =>
  dataOf(await gql(tracker, orgAdmin, 'query($id: ID!) { webhookDeliveries(webhookId: $id, first: 200) { deliveries { id status } } }', { id: webhookId })).webhookDeliveries.deliveries as Array<{ id: string; status: string }>;

beforeAll(async () => {
  server = await EsdbProtocolTestServer.start();
  receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.push(String(req.headers['x-tracker-delivery']));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const env = (dir: string) => ({
    ...SHARED_KEYS, TRACKER_DATA_DIR: dir, EVENTSTORE_CONNECTION_STRING: server.connectionString, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN,
    TRACKER_RATE_LIMIT_REQUESTS: '0', TRACKER_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', TRACKER_WEBHOOK_RETRY_BASE_MS: '40',
  });
  replicas.push(...(await Promise.all(temps.map((temp) => startTrackerInProcess(env(temp.dir))))));
  const [a] = replicas as [Tracker];
  await registerOrganization(a.url, ADMIN, 'lead-org');
  lead = await issueKey(a.url, ADMIN, 'lead-org', 'lead-advocate', 'ADVOCATE');
  orgAdmin = await issueKey(a.url, ADMIN, 'lead-org', 'lead-admin', 'ADMIN');
  const url = `http://127.0.0.1:${String((receiver.address() as AddressInfo).port)}/hook`;
  webhookId = dataOf(await gql(a, orgAdmin, 'mutation($url: String!) { registerWebhook(input: { url: $url }) { webhook { id } } }', { url })).registerWebhook.webhook.id as string;
});
afterAll(async () => {
  await Promise.all(replicas.map((replica) => replica.stop()));
  await new Promise<void>((resolve) => receiver?.close(() => resolve()));
  await server?.stop();
  for (const temp of temps) temp.remove();
  keyDir.remove();
});

describe('webhooks with two replicas on one store', () => {
  it('one replica holds the dispatch lease; each change is delivered once, and the other replica records it as settled', async () => {
    await waitUntil('a replica to take the dispatch lease', () => replicas.some((replica) => replica.output().includes(LEASE_TAKEN)), 20_000);
    const holders = replicas.filter((replica) => replica.output().includes(LEASE_TAKEN));
    expect(holders).toHaveLength(1);

    const families = [await openFamily(replicas[0]!), await openFamily(replicas[1]!)];
    for (const [index, id] of families.entries()) await closeAndReopen(replicas[index]!, id);
    await waitUntil('six deliveries', () => received.length >= 6, 20_000);
    const other = replicas.find((replica) => replica !== holders[0])!;
    await waitUntil('the other replica to record them as settled', async () => {
      const deliveries = await deliveriesOn(other);
      return deliveries.length === 6 && deliveries.every((delivery) => delivery.status === 'DELIVERED');
    }, 20_000);

    expect(new Set(received).size).toBe(received.length);
    expect(received).toHaveLength(6);
  });

  it('when the holder stops, the other replica takes over: later changes are delivered, none twice', async () => {
    const holder = replicas.find((replica) => replica.output().includes(LEASE_TAKEN))!;
    const other = replicas.find((replica) => replica !== holder)!;
    const before = received.length;
    await holder.stop();

    const id = await openFamily(other);
    await closeAndReopen(other, id);
    await waitUntil('the other replica to take over and deliver three more', () => received.length >= before + 3, 30_000);

    expect(other.output()).toContain(LEASE_TAKEN);
    expect(new Set(received).size).toBe(received.length);
    expect(received).toHaveLength(before + 3);
  });
});

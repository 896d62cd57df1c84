import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../../infra/webhooks/signature.js';
import { waitUntil } from '../support/async.js';
import { dataOf, issueKey, postGraphQL, registerOrganization } from '../support/graphql-client.js';
import { makeTempDir } from '../support/temp-dir.js';
import { startTrackerInProcess, type Tracker } from '../support/in-process-tracker.js';

/**
 * Webhooks against a real HTTP receiver on a loopback port that fails the first attempts, is down
 * across a restart of the tracker, and checks every signature: every change is delivered, in
 * order per family, and failures can be seen and replayed.
 */
const ADMIN = 'webhooks-admin-key-0123456789abcdef';
const temp = makeTempDir('tracker-webhooks-');
// Enough attempts to outlast a receiver that is down for a few seconds; after the restart, few,
// so that a delivery that keeps failing is parked quickly.
const ENV = { TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN, TRACKER_WEBHOOK_RETRY_BASE_MS: '40', TRACKER_WEBHOOK_MAX_ATTEMPTS: '40', TRACKER_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' };
const ENV_AFTER_RESTART = { ...ENV, TRACKER_WEBHOOK_MAX_ATTEMPTS: '4' };
let tracker: Tracker;
const keys: Record<string, string> = {};

interface Received { readonly deliveryId: string; readonly body: string; readonly signature: string; readonly accepted: boolean }

/** A webhook endpoint: answers 500 to the first `failFirst` attempts of each delivery, and to everything while `rejectAll`. */
class Receiver {
  readonly requests: Received[] = [];
  failFirst = 0;
  rejectAll = false;
  private server: Server | undefined;
  port = 0;

  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const deliveryId = String(req.headers['x-tracker-delivery']);
        const attempts = this.requests.filter((r) => r.deliveryId === deliveryId).length;
        const accepted = attempts >= this.failFirst && !this.rejectAll;
        this.requests.push({ deliveryId, body, signature: String(req.headers['x-tracker-signature']), accepted });
        res.writeHead(accepted ? 204 : 500).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve());
      this.server?.closeAllConnections();
    });
  }

  /** Accepted deliveries, each once, in arrival order. */
  delivered(): Array<{ deliveryId: string; familyId: string; status: string; cursor: string }> {
    return this.requests.filter((r) => r.accepted).map((r) => {
      const { change } = JSON.parse(r.body) as { change: { familyId: string; status: string; cursor: string } };
      return { deliveryId: r.deliveryId, familyId: change.familyId, status: change.status, cursor: change.cursor };
    });
  }
}

const receiver = new Receiver();
let webhookId = '';
let secret = '';

const gql = (key: string, query: string, variables: Record<string, unknown> = {}) => postGraphQL(tracker.url, key, query, variables);
const openFamily = async (): Promise<string> => dataOf(await gql(keys['advocate']!, 'mutation { openFamilyCase(input: { programme: SIJ }) { family { id } } }')).openFamilyCase.family.id as string;
const closeFamily = async (id: string) => dataOf(await gql(keys['advocate']!, 'mutation($id: ID!) { closeFamilyCase(input: { familyId: $id, reason: WITHDRAWN }) { revision } }', { id }));
const until = (what: string, condition: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> => waitUntil(what, condition, ms);
type DeliveryView = { id: string; familyId: string; status: string; attempts: number; lastStatusCode: number; lastError: string };
const deliveriesOf = async (status?: string): Promise<DeliveryView[]> =>
  dataOf(await gql(keys['advocate']!, 'query($id: ID!, $s: WebhookDeliveryStatus) { webhookDeliveries(webhookId: $id, status: $s, first: 100) { deliveries { id familyId status attempts lastStatusCode lastError } } }', { id: webhookId, s: status ?? null })).webhookDeliveries.deliveries;

beforeAll(async () => {
  await receiver.start();
  tracker = await startTrackerInProcess(ENV);
  await registerOrganization(tracker.url, ADMIN, 'partner-org', 'PARTNER_NGO');
  await registerOrganization(tracker.url, ADMIN, 'other-org');
  keys['admin'] = await issueKey(tracker.url, ADMIN, 'partner-org', 'partner-admin', 'ADMIN');
  keys['advocate'] = await issueKey(tracker.url, ADMIN, 'partner-org', 'partner-advocate', 'ADVOCATE');
  keys['other'] = await issueKey(tracker.url, ADMIN, 'other-org', 'other-advocate', 'ADVOCATE');
  const registered = dataOf(await gql(keys['admin'], 'mutation($url: String!) { registerWebhook(input: { url: $url }) { webhook { id url active } secret } }', { url: `http://127.0.0.1:${String(receiver.port)}/hook` })).registerWebhook;
  webhookId = registered.webhook.id;
  secret = registered.secret;
  expect(secret).toMatch(/^whsec_/);
});
afterAll(async () => {
  await tracker?.stop();
  await receiver.stop();
  temp.remove();
});

describe('webhooks', () => {
  it('retries failed attempts until delivered; every signature is valid; order per family holds', async () => {
    receiver.failFirst = 2;
    const families = [await openFamily(), await openFamily(), await openFamily()];
    for (const id of families) await closeFamily(id);
    await until('6 deliveries', () => receiver.delivered().length >= 6);
    const delivered = receiver.delivered();
    expect(new Set(delivered.map((d) => d.deliveryId)).size).toBe(6);
    for (const id of families) expect(delivered.filter((d) => d.familyId === id).map((d) => d.status)).toEqual(['INTAKE', 'CLOSED']);
    for (const request of receiver.requests) expect(verifySignature(secret, request.signature, request.body, Math.floor(Date.now() / 1000))).toBe(true);
    expect(verifySignature('whsec_wrong-secret-wrong-secret-wrong', receiver.requests[0]!.signature, receiver.requests[0]!.body, Math.floor(Date.now() / 1000))).toBe(false);

    const page = dataOf(await gql(keys['advocate']!, 'query($id: ID!) { webhookDeliveries(webhookId: $id, first: 10) { deliveries { familyId status attempts lastStatusCode } hasMore } }', { id: webhookId })).webhookDeliveries;
    expect(page.deliveries).toHaveLength(6);
    expect(page.deliveries.every((d: { status: string; attempts: number; lastStatusCode: number }) => d.status === 'DELIVERED' && d.attempts === 3 && d.lastStatusCode === 204)).toBe(true);
  });

  it('never delivers another organisation\'s family', async () => {
    const before = receiver.requests.length;
    const foreign = dataOf(await gql(keys['other']!, 'mutation { openFamilyCase(input: { programme: SIJ }) { family { id } } }')).openFamilyCase.family.id as string;
    const own = await openFamily();
    await until('the own family\'s delivery', () => receiver.delivered().some((d) => d.familyId === own));
    expect(receiver.requests.slice(before).some((r) => r.body.includes(foreign))).toBe(false);
  });

  it('a receiver down across a restart of the tracker still gets every change, once, in order', async () => {
    receiver.failFirst = 0;
    const port = receiver.port;
    await receiver.stop();
    const families = [await openFamily(), await openFamily()];
    for (const id of families) await closeFamily(id);
    // Before the stop the tracker has queued all four and failed an attempt (one delivery at a time per webhook).
    await until('all four queued and an attempt failed while the receiver is down', async () => {
      const pending = (await deliveriesOf('PENDING')).filter((d) => families.includes(d.familyId));
      return pending.length === 4 && pending.some((d) => d.attempts > 0);
    });
    expect(await tracker.stop()).toBe(0);
    await receiver.start(port);
    tracker = await startTrackerInProcess(ENV_AFTER_RESTART);
    await until('4 deliveries after the restart', () => families.every((id) => receiver.delivered().filter((d) => d.familyId === id).length === 2), 30_000);
    for (const id of families) expect(receiver.delivered().filter((d) => d.familyId === id).map((d) => d.status)).toEqual(['INTAKE', 'CLOSED']);
    const ids = receiver.delivered().map((d) => d.deliveryId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('a delivery that keeps failing is parked as FAILED, shown with its error, and can be replayed', async () => {
    receiver.rejectAll = true;
    const id = await openFamily();
    let failed: DeliveryView[] = [];
    await until('the delivery to be parked as FAILED', async () => (failed = await deliveriesOf('FAILED')).length > 0);
    expect(failed).toEqual([expect.objectContaining({ familyId: id, attempts: 4, lastStatusCode: 500, lastError: 'HTTP 500' })]);

    receiver.rejectAll = false;
    expect((await gql(keys['advocate']!, 'mutation($d: ID!) { replayWebhookDelivery(input: { deliveryId: $d }) { status } }', { d: failed[0]!.id })).errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    expect(dataOf(await gql(keys['admin']!, 'mutation($d: ID!) { replayWebhookDelivery(input: { deliveryId: $d }) { status attempts } }', { d: failed[0]!.id })).replayWebhookDelivery).toEqual({ status: 'PENDING', attempts: 0 });
    await until('the replayed delivery', () => receiver.delivered().some((d) => d.familyId === id));
  });

  it('a rotated secret signs the next deliveries; the old one no longer verifies', async () => {
    const rotated = dataOf(await gql(keys['admin']!, 'mutation($id: ID!) { rotateWebhookSecret(input: { webhookId: $id }) { secret } }', { id: webhookId })).rotateWebhookSecret.secret as string;
    const id = await openFamily();
    await until('a delivery after the rotation', () => receiver.delivered().some((d) => d.familyId === id));
    const request = receiver.requests.find((r) => r.accepted && r.body.includes(id))!;
    const now = Math.floor(Date.now() / 1000);
    expect(verifySignature(rotated, request.signature, request.body, now)).toBe(true);
    expect(verifySignature(secret, request.signature, request.body, now)).toBe(false);
  });

  it('only administrators manage webhooks; other organisations\' webhooks are NOT_FOUND', async () => {
    expect((await gql(keys['advocate']!, 'mutation { registerWebhook(input: { url: "http://127.0.0.1:1/x" }) { secret } }')).errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    expect((await gql(keys['admin']!, 'mutation { registerWebhook(input: { url: "ftp://example.org/x" }) { secret } }')).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'url' });
    expect((await gql(keys['other']!, 'query($id: ID!) { webhookDeliveries(webhookId: $id) { hasMore } }', { id: webhookId })).errors?.[0]?.extensions.code).toBe('NOT_FOUND');
    expect(dataOf(await gql(keys['admin']!, 'mutation($id: ID!) { removeWebhook(input: { webhookId: $id }) { webhookId } }', { id: webhookId })).removeWebhook.webhookId).toBe(webhookId);
    expect(dataOf(await gql(keys['advocate']!, '{ webhooks { id active } }')).webhooks).toEqual([{ id: webhookId, active: false }]);
  });
});

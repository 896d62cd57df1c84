import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../support/async.js';
import { dataOf } from '../../support/graphql-client.js';
import { referAndAccept, startProbeWorld, type ProbeWorld } from '../../support/probe-world.js';

/**
 * Finding (s5-probe), severity MEDIUM: a partner's webhook deliveries are judged once, when they
 * are enqueued. After the lead revoked the partner's referral (acknowledged), a delivery of that
 * family that had failed is put back by `replayWebhookDelivery` and POSTed to the partner, and
 * `webhookDeliveries` keeps serving its payload (the family's id and statuses).
 * Rule: the brief's and issue 12's "a read that starts after the revoke was acknowledged must not
 * show the family", for every surface (subscriptions end with FORBIDDEN when access ends; the
 * webhook path has no such check at delivery or replay); "decide access ... fail closed".
 */
let world: ProbeWorld;
let partnerAdmin: string;
let webhookId: string;
let server: Server;
let url: string;
let answer = 503;
const received: string[] = [];

const deliveries = async (): Promise<Array<{ id: string; familyId: string; status: string; payload: string }>> =>
  dataOf(await world.gql(partnerAdmin, 'query($id: ID!) { webhookDeliveries(webhookId: $id, first: 200) { deliveries { id familyId status payload } } }', { id: webhookId }))
    .webhookDeliveries.deliveries;

/** A family led by `lead`, referred to the partner at STATUS and accepted, then one status change (tracing the mother: SEARCHING). */
const sharedFamilyWithAChange = async (): Promise<string> => {
  const id = (await world.ok('lead', 'openFamilyCase', { programme: 'SEPARATED_FAMILY' })).family.id as string;
  await world.ok('lead', 'registerChild', { familyId: id, childId: 'boy', givenName: 'Kevin', birthDate: '2014-01-02', nationality: 'HN' });
  await world.ok('lead', 'addRelative', { familyId: id, relativeId: 'mother', relationship: 'MOTHER', givenName: 'Iris' });
  await referAndAccept(world, id, 'mother', 'partner', 'STATUS');
  await world.ok('lead', 'startTracing', { familyId: id, relativeId: 'mother', defenderOrganizationId: 'lead' });
  return id;
};

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      if (answer === 200) received.push(body);
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/hook`;
  world = await startProbeWorld(['lead', 'partner'], { TRACKER_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', TRACKER_WEBHOOK_RETRY_BASE_MS: '20', TRACKER_WEBHOOK_MAX_ATTEMPTS: '2' });
  partnerAdmin = await world.issue('partner', 'partner-admin', 'ADMIN');
  webhookId = dataOf(await world.gql(partnerAdmin, 'mutation($url: String!) { registerWebhook(input: { url: $url }) { webhook { id } } }', { url })).registerWebhook.webhook.id;
});
afterAll(async () => {
  await world?.stop();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

describe("a partner's webhook after the lead revoked its referral", () => {
  let revokedFamily: string;

  beforeAll(async () => {
    // While the partner's endpoint is down, its deliveries of the shared family fail and are parked.
    revokedFamily = await sharedFamilyWithAChange();
    await waitUntil('the shared family\'s deliveries to be parked as FAILED', async () => {
      const own = (await deliveries()).filter((delivery) => delivery.familyId === revokedFamily);
      return own.length > 0 && own.every((delivery) => delivery.status === 'FAILED');
    }, 20_000);
    await world.ok('lead', 'revokeReferral', { familyId: revokedFamily, referralId: 'ref-partner' });
    expect(dataOf(await world.gql(world.keys['partner']!, 'query($id: ID!) { family(id: $id) { id } }', { id: revokedFamily })).family).toBeNull();
    answer = 200;
  });

  it('does not POST the family again when the partner replays a failed delivery', async () => {
    const failed = (await deliveries()).filter((delivery) => delivery.familyId === revokedFamily);
    for (const delivery of failed) await world.gql(partnerAdmin, 'mutation($d: ID!) { replayWebhookDelivery(input: { deliveryId: $d }) { status } }', { d: delivery.id });
    // A family the partner still sees changes after the replay; once its delivery arrives, every
    // earlier pending delivery of the webhook has been attempted (one at a time, oldest first).
    const stillShared = await sharedFamilyWithAChange();
    await waitUntil('the delivery of a family the partner still sees', () => received.some((body) => body.includes(stillShared)), 20_000);
    expect(received.filter((body) => body.includes(revokedFamily))).toEqual([]);
  });

  it('does not serve the family\'s deliveries in webhookDeliveries any more', async () => {
    expect((await deliveries()).filter((delivery) => delivery.familyId === revokedFamily || delivery.payload.includes(revokedFamily))).toEqual([]);
  });
});

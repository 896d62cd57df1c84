import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, issueKey, postGraphQL, registerOrganization } from '../../support/graphql-client.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { startTrackerInProcess, type Tracker } from '../../support/in-process-tracker.js';

/**
 * Regression: webhook targets were checked only before each delivery, against a short list
 * (loopback, RFC 1918, link-local, ULA), so `registerWebhook` accepted `localhost`, NAT64 and
 * 6to4 forms of loopback, IPv4-compatible addresses, benchmarking, IETF, multicast, reserved and
 * broadcast addresses. Now registration refuses them with BAD_USER_INPUT naming `url` and the rule
 * (never the value) and records nothing; a target that became refused since (the allow flag
 * turned off) is still refused before each attempt.
 */
const ADMIN = 'webhook-targets-admin-key-0123456789';
const temp = makeTempDir('tracker-webhook-targets-');
const ENV = { TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN, TRACKER_WEBHOOK_RETRY_BASE_MS: '40', TRACKER_WEBHOOK_MAX_ATTEMPTS: '2' };
let tracker: Tracker;
let receiver: Server;
let port = 0;
let received = 0;
const keys: Record<string, string> = {};
const register = (url: string) => postGraphQL(tracker.url, keys['admin']!, 'mutation($url: String!) { registerWebhook(input: { url: $url }) { webhook { id } secret } }', { url });

beforeAll(async () => {
  receiver = createServer((req, res) => {
    received += 1;
    req.resume();
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  port = (receiver.address() as AddressInfo).port;
  // First with the allow flag, as a test set-up or an internal relay would register.
  tracker = await startTrackerInProcess({ ...ENV, TRACKER_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' });
  await registerOrganization(tracker.url, ADMIN, 'hook-org', 'PARTNER_NGO');
  keys['admin'] = await issueKey(tracker.url, ADMIN, 'hook-org', 'hook-admin', 'ADMIN');
  keys['advocate'] = await issueKey(tracker.url, ADMIN, 'hook-org', 'hook-advocate', 'ADVOCATE');
  dataOf(await register(`http://127.0.0.1:${String(port)}/relay`));
  expect(await tracker.stop()).toBe(0);
  tracker = await startTrackerInProcess({ ...ENV, TRACKER_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false' });
});
afterAll(async () => {
  await tracker?.stop();
  await new Promise((resolve) => receiver.close(resolve));
  temp.remove();
});

describe('webhook targets are refused at registration', () => {
  it.each([
    ['a name that resolves to loopback', () => `http://localhost:${String(port)}/hook`],
    ['NAT64 of loopback', () => 'http://[64:ff9b::7f00:1]/hook'],
    ['6to4 of loopback', () => 'http://[2002:7f00:1::1]/hook'],
    ['IPv4-compatible loopback', () => 'http://[::127.0.0.1]/hook'],
    ['IPv4-mapped loopback', () => 'http://[::ffff:127.0.0.1]/hook'],
    ['benchmarking', () => 'http://198.18.0.1/hook'],
    ['IETF protocol assignments', () => 'http://192.0.0.8/hook'],
    ['multicast', () => 'http://224.0.0.1/hook'],
    ['reserved', () => 'http://240.0.0.1/hook'],
    ['broadcast', () => 'http://255.255.255.255/hook'],
    ['cloud metadata', () => 'http://169.254.169.254/latest/meta-data'],
    ['loopback in decimal', () => 'http://2130706433/hook'],
  ])('%s: BAD_USER_INPUT on url, naming the rule, never the value', async (_what, url) => {
    const response = await register(url());
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'url' });
    expect(response.errors?.[0]?.message).toMatch(/public internet addresses/);
    const host = new URL(url()).hostname;
    expect(JSON.stringify(response)).not.toContain(host);
    expect(JSON.stringify(response)).not.toContain('/hook');
  });

  it('records nothing for a refused target: only the webhook registered before is listed', async () => {
    expect(dataOf(await postGraphQL(tracker.url, keys['advocate']!, '{ webhooks { url active } }')).webhooks).toEqual([{ url: `http://127.0.0.1:${String(port)}/relay`, active: true }]);
  });

  it('a target refused since it was registered is refused before each attempt, and nothing reaches it', async () => {
    const [webhook] = dataOf(await postGraphQL(tracker.url, keys['advocate']!, '{ webhooks { id } }')).webhooks as Array<{ id: string }>;
    dataOf(await postGraphQL(tracker.url, keys['advocate']!, 'mutation { openFamilyCase(input: { programme: SIJ }) { family { id } } }'));
    const query = 'query($id: ID!) { webhookDeliveries(webhookId: $id, status: FAILED) { deliveries { attempts lastError } } }';
    const deadline = Date.now() + 20_000;
    let failed: Array<{ attempts: number; lastError: string }> = [];
    while (failed.length === 0 && Date.now() < deadline) {
      failed = dataOf(await postGraphQL(tracker.url, keys['advocate']!, query, { id: webhook!.id })).webhookDeliveries.deliveries;
      if (failed.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(failed).toEqual([{ attempts: 2, lastError: expect.stringMatching(/special-use address/) }]);
    expect(received).toBe(0);
  });
});

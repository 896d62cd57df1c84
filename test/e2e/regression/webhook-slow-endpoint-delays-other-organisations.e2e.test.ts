import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, issueKey, postGraphQL, registerOrganization } from '../../support/graphql-client.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { startTrackerInProcess, type Tracker } from '../../support/in-process-tracker.js';

/**
 * Regression: one dispatcher pass awaited every webhook's attempt, so an organisation with 10
 * webhooks to an endpoint that never answers held every other organisation's deliveries until
 * the attempts timed out (from milliseconds to 40 s). Now each webhook is attempted on its own
 * (one delivery at a time each), at most TRACKER_WEBHOOK_MAX_IN_FLIGHT_PER_ORGANIZATION of one
 * organisation's attempts are in flight, and another organisation's delivery goes out at once.
 */
const ADMIN = 'slow-webhooks-admin-key-0123456789ab';
const PER_ORGANIZATION = 3;
const temp = makeTempDir('tracker-slow-webhooks-');
let tracker: Tracker;
const keys: Record<string, string> = {};

/** Accepts each request and never answers; counts how many are open at once. */
let hanging: Server;
const open = new Set<ServerResponse>();
let mostOpen = 0;
/** Answers at once; remembers when each family's change arrived. */
let healthy: Server;
const arrivals = new Map<string, number>();

const listen = async (server: Server): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};
const until = async (what: string, condition: () => boolean, ms: number): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};
const gql = (key: string, query: string, variables: Record<string, unknown> = {}) => postGraphQL(tracker.url, key, query, variables);
const openFamily = async (key: string): Promise<string> => dataOf(await gql(key, 'mutation { openFamilyCase(input: { programme: SIJ }) { family { id } } }')).openFamilyCase.family.id as string;

beforeAll(async () => {
  hanging = createServer((req, res) => {
    req.resume();
    open.add(res);
    mostOpen = Math.max(mostOpen, open.size);
    res.on('close', () => open.delete(res));
  });
  healthy = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      arrivals.set((JSON.parse(body) as { change: { familyId: string } }).change.familyId, Date.now());
      res.writeHead(204).end();
    });
  });
  const hangingPort = await listen(hanging);
  const healthyPort = await listen(healthy);
  tracker = await startTrackerInProcess({
    TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN, TRACKER_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    TRACKER_WEBHOOK_TIMEOUT_MS: '15000', TRACKER_WEBHOOK_MAX_IN_FLIGHT_PER_ORGANIZATION: String(PER_ORGANIZATION),
  });
  for (const org of ['slow-org', 'quick-org']) {
    await registerOrganization(tracker.url, ADMIN, org, 'PARTNER_NGO');
    keys[`${org}-admin`] = await issueKey(tracker.url, ADMIN, org, `${org}-admin`, 'ADMIN');
    keys[`${org}-advocate`] = await issueKey(tracker.url, ADMIN, org, `${org}-advocate`, 'ADVOCATE');
  }
  const register = (key: string, url: string) => gql(key, 'mutation($url: String!) { registerWebhook(input: { url: $url }) { webhook { id } } }', { url });
  for (let i = 0; i < 10; i += 1) dataOf(await register(keys['slow-org-admin']!, `http://127.0.0.1:${String(hangingPort)}/never/${String(i)}`));
  dataOf(await register(keys['quick-org-admin']!, `http://127.0.0.1:${String(healthyPort)}/hook`));
});
afterAll(async () => {
  await tracker?.stop();
  for (const server of [hanging, healthy]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  temp.remove();
});

describe('a webhook endpoint that never answers', () => {
  it('does not delay another organisation\'s deliveries, and holds at most its organisation\'s share of attempts', async () => {
    await openFamily(keys['slow-org-advocate']!);
    await until(`${String(PER_ORGANIZATION)} attempts hanging`, () => open.size >= PER_ORGANIZATION, 10_000);

    const opened = Date.now();
    const family = await openFamily(keys['quick-org-advocate']!);
    await until('the other organisation\'s delivery', () => arrivals.has(family), 14_000);
    const latency = arrivals.get(family)! - opened;
    process.stdout.write(`[slow webhooks] other organisation's delivery after ${String(latency)} ms with ${String(open.size)} attempts hanging\n`);
    expect(latency).toBeLessThan(3_000);
    expect(open.size).toBe(PER_ORGANIZATION);
    expect(mostOpen).toBe(PER_ORGANIZATION);
  }, 30_000);
});

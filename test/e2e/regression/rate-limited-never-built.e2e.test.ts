import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { issueKey } from '../../support/graphql-client.js';
import { SUBSCRIPTION } from '../../support/subscription-clients.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { startTrackerInProcess, type Tracker } from '../../support/in-process-tracker.js';

/**
 * Regression: RATE_LIMITED was in the API but never built (one key pushed 1,147 requests/s).
 * Now each key has TRACKER_RATE_LIMIT_REQUESTS per TRACKER_RATE_LIMIT_WINDOW_SECONDS, over HTTP,
 * SSE and WebSocket together; past it, HTTP 429 with Retry-After and RATE_LIMITED, while every
 * other key is served as before.
 */
const ADMIN = 'rate-limit-admin-key-0123456789abcdef';
const LIMIT = 20;
const temp = makeTempDir('tracker-rate-limit-');
let tracker: Tracker;
const keys: Record<string, string> = {};
const TRIVIAL = '{ serverInfo { version } }';

const post = (key: string, query = TRIVIAL, accept = 'application/json') =>
  fetch(`${tracker.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', accept, authorization: `Bearer ${key}` }, body: JSON.stringify({ query }) });

const wsClient = (key: string): Client =>
  createClient({ url: `${tracker.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${key}` }, retryAttempts: 0 });
/** One operation over the client's socket: its first result, or the errors it ended with. */
const overWebSocket = async (client: Client, query: string): Promise<{ data?: unknown; errors?: ReadonlyArray<{ extensions?: { code?: unknown } }> }> => {
  const iterator = client.iterate({ query });
  try {
    const first = await iterator.next();
    return first.value as { data?: unknown };
  } catch (errors) {
    return { errors: errors as ReadonlyArray<{ extensions?: { code?: unknown } }> };
  } finally {
    await iterator.return?.();
  }
};

beforeAll(async () => {
  // The administrator's own key is limited too: keys are issued before the limit matters.
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN, TRACKER_RATE_LIMIT_REQUESTS: String(LIMIT), TRACKER_RATE_LIMIT_WINDOW_SECONDS: '60' });
  for (const name of ['busy', 'other', 'socket', 'streams']) keys[name] = await issueKey(tracker.url, ADMIN, 'system', `${name}-user`, 'AUDITOR');
});
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

describe('per-key rate limits', () => {
  it('a key over its limit gets 429 RATE_LIMITED with Retry-After; another key is unaffected', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i += 1) statuses.push((await post(keys['busy']!)).status);
    expect(statuses.every((status) => status === 200)).toBe(true);

    const refused = await post(keys['busy']!);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = (await refused.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
    expect(body.errors[0]!.extensions.code).toBe('RATE_LIMITED');
    expect(JSON.stringify(body)).not.toContain(keys['busy']!);

    const other = await post(keys['other']!);
    expect(other.status).toBe(200);
    expect((await other.json()) as unknown).toMatchObject({ data: { serverInfo: { version: expect.any(String) } } });
    // An SSE subscription of the limited key is refused the same way.
    expect((await post(keys['busy']!, SUBSCRIPTION, 'text/event-stream')).status).toBe(429);
  });

  it('operations over WebSocket count against the same key, and the one past the limit is RATE_LIMITED', async () => {
    const client = wsClient(keys['socket']!);
    try {
      const results = [];
      for (let i = 0; i < LIMIT; i += 1) results.push(await overWebSocket(client, TRIVIAL));
      expect(results.every((result) => result.data && !result.errors)).toBe(true);
      expect((await overWebSocket(client, TRIVIAL)).errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
      expect((await overWebSocket(client, SUBSCRIPTION)).errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    } finally {
      await client.dispose();
    }
    expect((await post(keys['socket']!)).status).toBe(429);
  });

  it('SSE subscriptions count too', async () => {
    for (let i = 0; i < LIMIT; i += 1) {
      const stream = await post(keys['streams']!, SUBSCRIPTION, 'text/event-stream');
      expect(stream.status).toBe(200);
      await stream.body?.cancel();
    }
    expect((await post(keys['streams']!)).status).toBe(429);
  });
});

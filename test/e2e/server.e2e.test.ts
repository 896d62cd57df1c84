import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../support/async.js';
import { makeTempDir } from '../support/temp-dir.js';
import { runTrackerToExit, startTrackerProcess, type TrackerProcess } from '../support/tracker-process.js';

const ADMIN_KEY = 'e2e-admin-key-0123456789abcdef';

describe('npm start on a fresh data directory', () => {
  const temp = makeTempDir('tracker-e2e-');
  const dataDir = join(temp.dir, 'data', 'nested');
  let tracker: TrackerProcess;

  beforeAll(async () => {
    tracker = await startTrackerProcess({ TRACKER_DATA_DIR: dataDir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY });
  });
  afterAll(async () => {
    await tracker?.stop();
    temp.remove();
  });

  it('creates the data directory, the embedded event store and the read models', () => {
    expect(existsSync(join(dataDir, 'events.sqlite'))).toBe(true);
    expect(existsSync(join(dataDir, 'read-models.sqlite'))).toBe(true);
  });

  it('answers a request without a valid key with UNAUTHENTICATED and HTTP 401', async () => {
    for (const authorization of [undefined, 'Bearer wrong-key', 'Basic abc']) {
      const response = await fetch(`${tracker.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({ query: '{ viewer { userId } }' }),
      });
      const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }>; data?: unknown };
      expect(response.status).toBe(401);
      expect(body.errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
      expect(body.data).toBeUndefined();
    }
  });

  it('knows the bootstrap administrator by the configured key', async () => {
    const response = await fetch(`${tracker.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
      body: JSON.stringify({ query: '{ viewer { userId role organization { id } } }' }),
    });
    expect(await response.json()).toEqual({ data: { viewer: { userId: 'admin', role: 'ADMIN', organization: { id: 'system' } } } });
  });

  it('answers /healthz', async () => {
    const response = await fetch(`${tracker.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz with the event store in use', async () => {
    const response = await fetch(`${tracker.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ready',
      eventStore: 'sqlite',
      headPosition: '3',
      projections: [
        { name: 'organizations', caughtUp: true, stalled: null, position: '3', behind: 0 },
        { name: 'families', caughtUp: true, stalled: null, position: '3', behind: 0 },
        { name: 'casefile', caughtUp: true, stalled: null, position: '3', behind: 0 },
        { name: 'access-log', caughtUp: true, stalled: null, position: '3', behind: 0 },
        { name: 'erasures', caughtUp: true, stalled: null, position: '3', behind: 0 },
        { name: 'search', caughtUp: true, stalled: null, position: '3', behind: 0 },
      ],
    });
  });

  it('serves GraphQL at /graphql', async () => {
    const response = await fetch(`${tracker.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
      body: JSON.stringify({ query: '{ serverInfo { eventStore version } }' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { serverInfo: { eventStore: 'sqlite', version: '0.1.0' } } });
  });

  it('answers malformed GraphQL with an error, not a 500', async () => {
    const response = await fetch(`${tracker.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
      body: JSON.stringify({ query: '{ serverInfo { ' }),
    });
    const body = (await response.json()) as { errors: Array<{ message: string }> };
    expect(response.status).toBeLessThan(500);
    expect(body.errors[0]?.message).toMatch(/Syntax Error/);
  });

  it('serves GraphiQL in development', async () => {
    const response = await fetch(`${tracker.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/graphiql/i);
  });
});

describe('npm start with a bad configuration', () => {
  it('refuses to start and names the variable', async () => {
    const { code, output } = await runTrackerToExit({ PORT: 'not-a-port' });
    expect(code).toBe(1);
    expect(output).toMatch(/Invalid configuration/);
    expect(output).toMatch(/PORT/);
  });

});

describe('npm start without a configured administrator key', () => {
  const temp = makeTempDir('tracker-e2e-');
  let tracker: TrackerProcess;
  beforeAll(async () => {
    tracker = await startTrackerProcess({ TRACKER_DATA_DIR: temp.dir });
  });
  afterAll(() => temp.remove());

  it('prints a generated administrator key on the first start, on stderr, and the key works', async () => {
    const NOTICE = /First start: the system administrator's API key \(shown once, store it now\):\s+(trk_\S+)/;
    // stderr and stdout are separate pipes: the notice may arrive just after the "listening" line.
    await waitUntil('the first-start notice', () => NOTICE.test(tracker.output()), 5_000);
    const key = NOTICE.exec(tracker.output())?.[1];
    expect(key).toMatch(/^trk_/);
    const response = await fetch(`${tracker.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key!}` },
      body: JSON.stringify({ query: '{ viewer { role organization { id } } }' }),
    });
    expect(await response.json()).toEqual({ data: { viewer: { role: 'ADMIN', organization: { id: 'system' } } } });
  });

  it('exits cleanly with 0 on SIGTERM', async () => {
    const code = await tracker.stop();
    expect({ code, output: code === 0 ? '' : tracker.output() }).toEqual({ code: 0, output: '' });
  });
});

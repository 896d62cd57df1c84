import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../support/temp-dir.js';
import { runTrackerToExit, startTrackerProcess, type TrackerProcess } from '../support/tracker-process.js';

describe('npm start on a fresh data directory', () => {
  const temp = makeTempDir('tracker-e2e-');
  const dataDir = join(temp.dir, 'data', 'nested');
  let tracker: TrackerProcess;

  beforeAll(async () => {
    tracker = await startTrackerProcess({ TRACKER_DATA_DIR: dataDir });
  });
  afterAll(async () => {
    await tracker?.stop();
    temp.remove();
  });

  it('creates the data directory and the embedded event store file', () => {
    expect(existsSync(join(dataDir, 'events.sqlite'))).toBe(true);
  });

  it('answers /healthz', async () => {
    const response = await fetch(`${tracker.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz with the event store in use', async () => {
    const response = await fetch(`${tracker.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ready', eventStore: 'sqlite' });
  });

  it('serves GraphQL at /graphql', async () => {
    const response = await fetch(`${tracker.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ serverInfo { eventStore version } }' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { serverInfo: { eventStore: 'sqlite', version: '0.1.0' } } });
  });

  it('answers malformed GraphQL with an error, not a 500', async () => {
    const response = await fetch(`${tracker.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
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

  it('exits cleanly with 0 on SIGTERM', async () => {
    const temp = makeTempDir('tracker-e2e-');
    const tracker = await startTrackerProcess({ TRACKER_DATA_DIR: temp.dir });
    expect(await tracker.stop()).toBe(0);
    temp.remove();
  });
});

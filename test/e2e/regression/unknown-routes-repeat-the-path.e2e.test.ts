import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTrackerInProcess, type Tracker } from '../../support/in-process-tracker.js';
import { makeTempDir } from '../../support/temp-dir.js';

/**
 * Regression (found by a probe; the bar: "an error message never repeats what the client sent"; low): a request to a
 * route the tracker does not have answers with Express's default 404 page, which repeats the
 * method and path the client sent ("Cannot GET /exports/<path>"). HTML-escaped, so not a script
 * injection, but content of the client's choosing reflected by the server, beside routes that
 * carry data (/exports).
 */
const ADMIN = 'probe-routes-admin-key-0123456789abcd';
const temp = makeTempDir('tracker-probe-routes-');
let tracker: Tracker;

beforeAll(async () => {
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN });
}, 60_000);
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

describe('an unknown route', () => {
  for (const [method, path] of [['GET', '/exports/Routecanary.csv'], ['GET', '/exports/caseload.csv/Routecanary'], ['POST', '/Routecanary']] as const) {
    it(`${method} ${path}: a 404 that does not repeat the path`, async () => {
      const response = await fetch(`${tracker.url}${path}`, { method, headers: { authorization: `Bearer ${ADMIN}` } });
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('Routecanary');
    });
  }
});

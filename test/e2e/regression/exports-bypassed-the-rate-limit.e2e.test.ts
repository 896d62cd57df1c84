import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueKey, registerOrganization } from '../../support/graphql-client.js';
import { startTrackerInProcess, type Tracker } from '../../support/in-process-tracker.js';
import { makeTempDir } from '../../support/temp-dir.js';

/**
 * The CSV exports ran outside the GraphQL pipeline, where the per-key rate limit lives: a key
 * could export the whole caseload as often as it liked. Each page of an export now spends the
 * caller's budget shared with /graphql; past it, 429 with Retry-After, as /graphql answers.
 */
const ADMIN = 'trk_export-limit_admin_key_000000000000000000000'.slice(0, 48);
const temp = makeTempDir('tracker-export-limit-');
let tracker: Tracker;
let key: string;

beforeAll(async () => {
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN, TRACKER_RATE_LIMIT_REQUESTS: '3', TRACKER_RATE_LIMIT_WINDOW_SECONDS: '3600' });
  await registerOrganization(tracker.url, ADMIN, 'lead');
  key = await issueKey(tracker.url, ADMIN, 'lead', 'lead-advocate', 'ADVOCATE');
}, 60_000);
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

const exportCaseload = () => fetch(`${tracker.url}/exports/caseload.csv`, { headers: { authorization: `Bearer ${key}` } });

describe('the CSV exports and the rate limit', () => {
  it('spend the same per-key budget as /graphql: past it, 429 with Retry-After and RATE_LIMITED', async () => {
    // issueKey spent nothing of this key's budget (the administrator's key did the work).
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 4; i += 1) {
      last = await exportCaseload();
      statuses.push(last.status);
      if (last.status === 200) await last.text();
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await last!.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('RATE_LIMITED');
    const graphql = await fetch(`${tracker.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query: '{ viewer { userId } }' }) });
    expect(graphql.status).toBe(429);
  });
});

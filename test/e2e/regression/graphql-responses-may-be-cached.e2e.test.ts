import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTrackerInProcess, type Tracker } from '../../support/in-process-tracker.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { mutateOk } from '../../support/probe-support.js';

/**
 * Regression (found by a probe; data at rest on the client; low): the CSV exports answer `Cache-Control: no-store`, but
 * /graphql answers a child's name (POST, and GET, which yoga serves for queries) with no cache
 * directive at all, so the browser of the web app, or any cache between, may keep personal data
 * on disk after the session. (Shared caches may not store a response to a request with
 * Authorization unless told to; a browser's own disk cache may.)
 */
const ADMIN = 'probe-cache-admin-key-0123456789abcdef';
const QUERY = 'query($id: ID!) { family(id: $id) { children { givenName } } }';
const temp = makeTempDir('tracker-probe-cache-');
let tracker: Tracker;
let familyId = '';

beforeAll(async () => {
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN });
  familyId = (await mutateOk(tracker.url, ADMIN, 'openFamilyCase', { programme: 'SEPARATED_FAMILY' })).family.id as string;
  await mutateOk(tracker.url, ADMIN, 'registerChild', { familyId, childId: 'c1', givenName: 'Cachecanary', birthDate: '2011-05-05', nationality: 'HN' });
}, 60_000);
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

const expectNotStored = async (response: Response): Promise<void> => {
  expect(response.status).toBe(200);
  expect(await response.text()).toContain('Cachecanary');
  expect(response.headers.get('cache-control') ?? '').toMatch(/no-store/);
};

describe('a GraphQL answer with personal data', () => {
  it('POST /graphql says no-store (as the CSV export does)', async () => {
    const csv = await fetch(`${tracker.url}/exports/caseload.csv`, { headers: { authorization: `Bearer ${ADMIN}` } });
    await expectNotStored(csv);
    await expectNotStored(await fetch(`${tracker.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
      body: JSON.stringify({ query: QUERY, variables: { id: familyId } }),
    }));
  });

  it('GET /graphql says no-store', async () => {
    const url = `${tracker.url}/graphql?query=${encodeURIComponent(QUERY)}&variables=${encodeURIComponent(JSON.stringify({ id: familyId }))}`;
    await expectNotStored(await fetch(url, { headers: { authorization: `Bearer ${ADMIN}`, accept: 'application/json' } }));
  });
});

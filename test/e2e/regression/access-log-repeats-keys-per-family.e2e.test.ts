import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../support/async.js';
import { dataOf, issueKey, postGraphQL, registerOrganization } from '../../support/graphql-client.js';
import { startTrackerInProcess, type Tracker } from '../../support/in-process-tracker.js';
import { makeTempDir } from '../../support/temp-dir.js';

/**
 * Regression (issue 17, item 4): a page of families that shows names wrote an access-log entry
 * repeating `{"familyId": ..., "fields": "people"}` for every family (about 68 bytes of event data
 * per family with UUID ids) and projected the viewer and the time again on every family's row.
 * The entry is now one per request with each id once, grouped by fields; the access-log API
 * answers exactly as before.
 */
const ADMIN = 'access-log-compact-admin-0123456789';
const FAMILIES = 12;
const temp = makeTempDir('tracker-access-compact-');
let tracker: Tracker;
let advocate = '';
let administrator = '';
const familyIds: string[] = [];
const gql = (query: string, variables: Record<string, unknown> = {}) => postGraphQL(tracker.url, advocate, query, variables);

/** The stored access-log events: their JSON data, as the store holds it. */
const accessLogEvents = (): Array<{ data: string; metadata: string }> => {
  const db = new Database(join(temp.dir, 'events.sqlite'), { readonly: true });
  try {
    return db.prepare("SELECT data, metadata FROM events WHERE type = 'PersonalDataViewed' ORDER BY position").all() as Array<{ data: string; metadata: string }>;
  } finally {
    db.close();
  }
};

/** The access log as the organisation's administrator reads it (advocates may not). */
const accessLogOf = async (familyId: string) =>
  dataOf(await postGraphQL(tracker.url, administrator, 'query($id: ID!) { familyAccessLog(familyId: $id) { userId organization { id } role fields viewedAt } }', { id: familyId })).familyAccessLog as Array<Record<string, unknown>>;

beforeAll(async () => {
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN, TRACKER_RATE_LIMIT_REQUESTS: '0' });
  await registerOrganization(tracker.url, ADMIN, 'lead');
  advocate = await issueKey(tracker.url, ADMIN, 'lead', 'lead-advocate', 'ADVOCATE');
  administrator = await issueKey(tracker.url, ADMIN, 'lead', 'lead-admin', 'ADMIN');
  for (let i = 0; i < FAMILIES; i += 1) {
    const id = dataOf(await gql('mutation { openFamilyCase(input: { programme: SIJ }) { family { id } } }')).openFamilyCase.family.id as string;
    await gql(`mutation($id: ID!) { registerChild(input: { familyId: $id, childId: "c1", givenName: "Child${String(i)}", birthDate: "2012-03-04", birthDateEstimated: false, nationality: "GT", languages: ["es"], needsInterpreter: false }) { revision } }`, { id });
    familyIds.push(id);
  }
});
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

describe('the access log of a page of families', () => {
  it('is one entry naming each family once, and the access-log API lists the read for every family', async () => {
    const before = accessLogEvents().length;
    const page = dataOf(await gql(`{ families(first: ${String(FAMILIES)}) { edges { node { id children { givenName } } } } }`)).families.edges as Array<{ node: { id: string } }>;
    expect(page).toHaveLength(FAMILIES);

    const written = accessLogEvents().slice(before);
    expect(written).toHaveLength(1);
    const [entry] = written;
    for (const id of familyIds) expect(entry!.data.split(id).length - 1).toBe(1);
    expect(entry!.data).not.toContain('familyId');
    // Each family costs its id, quotes and a comma; the rest is the viewer and the time, once.
    const perFamily = (entry!.data.length - 200) / FAMILIES;
    expect(perFamily).toBeLessThanOrEqual(familyIds[0]!.length + 3);

    await waitUntil('the access log to show the read', async () => (await accessLogOf(familyIds[0]!)).length > 0, 10_000);
    for (const id of familyIds) {
      const log = await accessLogOf(id);
      expect(log).toEqual([{ userId: 'lead-advocate', organization: { id: 'lead' }, role: 'ADVOCATE', fields: 'people', viewedAt: expect.any(String) as string }]);
    }
  });

  it('a request that reads a family twice and its history logs each group of fields once, newest request first, as before', async () => {
    const id = familyIds[1]!;
    await gql('query($id: ID!) { a: family(id: $id) { children { givenName } } b: family(id: $id) { children { givenName } } }', { id });
    const both = await gql('query($id: ID!) { familyHistory(familyId: $id, first: 5) { edges { node { type data } } } family(id: $id) { children { givenName } } }', { id });
    expect(both.errors).toBeUndefined();
    await waitUntil('the access log to show both requests', async () => (await accessLogOf(id)).length >= 4, 10_000);
    expect((await accessLogOf(id)).map((entry) => entry['fields'])).toEqual(['history', 'people', 'people', 'people']);
  });
});

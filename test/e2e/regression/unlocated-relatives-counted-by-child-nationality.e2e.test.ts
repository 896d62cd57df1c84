import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../support/async.js';
import { dataOf, issueKey, postGraphQL, registerOrganization } from '../../support/graphql-client.js';
import { startTrackerInProcess, type Tracker } from '../../support/in-process-tracker.js';
import { makeTempDir } from '../../support/temp-dir.js';

/**
 * Regression (issue 15): `statistics.unlocatedRelatives` counted parents under the *child's*
 * nationality and left out parents nobody had started tracing; there was no list of them and no
 * filter by facility, assigned organisation, programme or deadline. A Honduran child whose father
 * is believed to be in Mexico and whose mother nobody traces yet was counted once, under HN.
 */
const temp = makeTempDir('tracker-unlocated-');
const ADMIN = 'unlocated-admin-key-0123456789abcdef';
let tracker: Tracker;
const keys: Record<string, string> = {};
let familyId = '';
let otherFamily = '';
const IN_20_DAYS = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);

const gql = (key: string, query: string, variables: Record<string, unknown> = {}) => postGraphQL(tracker.url, key, query, variables);
const mutate = async (key: string, name: string, input: Record<string, unknown>) =>
  dataOf(await gql(key, `mutation($input: ${name.charAt(0).toUpperCase()}${name.slice(1)}Input!) { ${name}(input: $input) { family { id } } }`, { input }))[name].family.id as string;
const familyIds = async (key: string, filter: Record<string, unknown>) =>
  (dataOf(await gql(key, 'query($f: FamilyFilter) { families(filter: $f, first: 100) { edges { node { id } } } }', { f: filter })).families.edges as Array<{ node: { id: string } }>).map((e) => e.node.id).sort();
const UNLOCATED = `query($f: UnlocatedRelativeFilter) { unlocatedRelatives(filter: $f) { totalCount edges { node {
  relativeId relationship locationStatus tracingStarted believedCountry monthsSinceSeparation separatedOn tracingOrganization { id } family { id } } } } }`;
const unlocated = async (key: string, filter: Record<string, unknown> = {}) => dataOf(await gql(key, UNLOCATED, { f: filter })).unlocatedRelatives;

beforeAll(async () => {
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: join(temp.dir, 'data'), TRACKER_KEY_DIR: join(temp.dir, 'keys'), TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN, TRACKER_RATE_LIMIT_REQUESTS: '0' });
  for (const org of ['org-us', 'org-hn', 'org-docs']) {
    await registerOrganization(tracker.url, ADMIN, org);
    keys[org] = await issueKey(tracker.url, ADMIN, org, `${org}-advocate`, 'ADVOCATE');
  }
  const us = keys['org-us']!;
  familyId = await mutate(us, 'openFamilyCase', { programme: 'SEPARATED_FAMILY' });
  await mutate(us, 'registerChild', { familyId, childId: 'child', givenName: 'Ana', birthDate: '2014-05-01', nationality: 'HN' });
  await mutate(us, 'addRelative', { familyId, relativeId: 'father', relationship: 'FATHER', givenName: 'Luis', biological: true, vitalStatus: 'ALIVE', adverse: false });
  await mutate(us, 'addRelative', { familyId, relativeId: 'mother', relationship: 'MOTHER', givenName: 'Rosa', biological: true, vitalStatus: 'ALIVE', adverse: false });
  await mutate(us, 'recordSeparation', { familyId, separatedOn: '2018-06-01', cause: 'SEPARATED_AT_BORDER', childIds: ['child'] });
  await mutate(us, 'recordChildDetained', { familyId, childId: 'child', agency: 'ORR', detainedOn: '2018-06-02', facility: 'Casa Padre, Brownsville' });
  await mutate(us, 'giveConsent', { familyId, consentId: 'consent', personId: 'child', purposes: ['tracing'], recipientOrganizationIds: ['org-hn'] });
  await mutate(us, 'referFamily', { familyId, referralId: 'to-hn', toOrganizationId: 'org-hn', purpose: 'tracing', scope: 'DOCUMENTS' });
  await mutate(keys['org-hn']!, 'acceptReferral', { familyId, referralId: 'to-hn' });
  await mutate(us, 'startTracing', { familyId, relativeId: 'father', defenderOrganizationId: 'org-hn', region: 'MX' });
  await mutate(us, 'setDeadline', { familyId, deadlineId: 'response', kind: 'RESPONSE_WINDOW', dueOn: IN_20_DAYS });
  otherFamily = await mutate(us, 'openFamilyCase', { programme: 'SIJ' });
  await waitUntil('the case-file read model to have the tracing', async () => (await unlocated(us, { tracingStarted: true })).totalCount === 1, 20_000);
});
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

describe('relatives not yet found', () => {
  it('statistics count them by the country where each is believed to be, with those nobody has started tracing', async () => {
    const stats = dataOf(await gql(keys['org-us']!, '{ statistics { unlocatedRelatives { country relatives notTraced } } }')).statistics.unlocatedRelatives;
    expect(stats).toEqual([{ country: null, relatives: 1, notTraced: 1 }, { country: 'MX', relatives: 1, notTraced: 0 }]);
  });

  it('lists them with the believed country, separation, months since and the tracing organisation; filters by country, tracing and months', async () => {
    const all = await unlocated(keys['org-us']!);
    expect(all.totalCount).toBe(2);
    expect(all.edges.map((e: { node: unknown }) => e.node)).toContainEqual({
      relativeId: 'father', relationship: 'FATHER', locationStatus: 'TRACING', tracingStarted: true, believedCountry: 'MX',
      monthsSinceSeparation: expect.any(Number) as number, separatedOn: '2018-06-01', tracingOrganization: { id: 'org-hn' }, family: { id: familyId },
    });
    expect((await unlocated(keys['org-us']!, { country: 'MX' })).edges.map((e: { node: { relativeId: string } }) => e.node.relativeId)).toEqual(['father']);
    expect((await unlocated(keys['org-us']!, { tracingStarted: false })).edges.map((e: { node: { relativeId: string } }) => e.node.relativeId)).toEqual(['mother']);
    expect((await unlocated(keys['org-us']!, { monthsSinceSeparationAtLeast: 1200 })).totalCount).toBe(0);
    expect((await unlocated(keys['org-us']!, { programme: 'SIJ' })).totalCount).toBe(0);
  });

  it('below FULL scope the believed country is withheld, in the list, the filter and the counts', async () => {
    const docs = keys['org-hn']!;
    const list = await unlocated(docs);
    expect(list.totalCount).toBe(2);
    expect(list.edges.every((e: { node: { believedCountry: unknown } }) => e.node.believedCountry === null)).toBe(true);
    expect((await unlocated(docs, { country: 'MX' })).totalCount).toBe(0);
    expect(dataOf(await gql(docs, '{ statistics { unlocatedRelatives { country relatives } } }')).statistics.unlocatedRelatives).toEqual([{ country: null, relatives: 2 }]);
    expect((await unlocated(keys['org-docs']!)).totalCount).toBe(0);
  });
});

describe('the advocates\' filters', () => {
  it('by facility (FULL scope only), assigned organisation, a Defender\'s own work list, programme and deadlines within N days', async () => {
    const us = keys['org-us']!;
    expect(await familyIds(us, { facility: 'casa padre' })).toEqual([familyId]);
    expect(await familyIds(us, { facility: 'CASA PADRE, BROWNSVILLE' })).toEqual([familyId]);
    expect(await familyIds(us, { facility: 'Karnes' })).toEqual([]);
    expect(await familyIds(keys['org-hn']!, { facility: 'casa padre' }), 'DOCUMENTS scope: facility is not its to know').toEqual([]);
    expect(await familyIds(us, { assignedOrganizationId: 'org-hn' })).toEqual([familyId]);
    expect(await familyIds(keys['org-hn']!, { assignedToMyOrganization: true })).toEqual([familyId]);
    expect(await familyIds(us, { assignedToMyOrganization: true })).toEqual([]);
    expect(await familyIds(us, { assignedToMyOrganization: false })).toEqual([familyId, otherFamily].sort());
    expect(await familyIds(us, { programme: 'SIJ' })).toEqual([otherFamily]);
    expect(await familyIds(us, { deadlineWithinDays: 30 })).toEqual([familyId]);
    expect(await familyIds(us, { deadlineWithinDays: 10 }), 'FULL: by the day').toEqual([]);
    const tooFar = await gql(us, 'query { families(filter: { deadlineWithinDays: 5000 }) { totalCount } }');
    expect(tooFar.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'deadlineWithinDays' });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextMillisecond, waitUntil } from '../support/async.js';
import { dataOf, issueKey, postGraphQL, registerOrganization } from '../support/graphql-client.js';
import { makeTempDir } from '../support/temp-dir.js';
import { startTrackerInProcess, type Tracker } from '../support/in-process-tracker.js';

/**
 * Auditors over HTTP: a family's history (paged, hash-chained, redacted by scope), the family
 * as known at an instant or a revision, and verification of its chain.
 */
const ADMIN = 'history-admin-key-0123456789abcd';
const temp = makeTempDir('tracker-history-');
let tracker: Tracker;
const keys: Record<string, string> = {};
let familyId = '';
let beforeOpening = '';
let whileSearching = '';

const gql = (key: string, query: string, variables: Record<string, unknown> = {}) => postGraphQL(tracker.url, key, query, variables);
const ok = dataOf;
const issue = (organizationId: string, userId: string, role: string): Promise<string> => issueKey(tracker.url, ADMIN, organizationId, userId, role);

const HISTORY = `query($id: ID!, $first: Int, $after: String) { familyHistory(familyId: $id, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { cursor type revision node { type revision position occurredAt recordedAt actor { userId organizationId role } data hash prevHash } }
} }`;

beforeAll(async () => {
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN });
  for (const id of ['lead-org', 'partner-org', 'audit-org']) {
    await registerOrganization(tracker.url, ADMIN, id);
  }
  keys['lead'] = await issue('lead-org', 'lena', 'ADVOCATE');
  keys['partner'] = await issue('partner-org', 'pablo', 'PARTNER');
  keys['partnerAdvocate'] = await issue('partner-org', 'paula', 'ADVOCATE');
  keys['auditor'] = await issue('audit-org', 'aud', 'AUDITOR');
  keys['stranger'] = await issue('audit-org', 'stan', 'ADVOCATE');
  ok(await gql(ADMIN, 'mutation { appointAuditor(input: { organizationId: "lead-org", auditorOrganizationId: "audit-org" }) { position } }'));

  beforeOpening = new Date().toISOString();
  await nextMillisecond();
  // Not the SIJ programme: there registering the child also sets its SIJ age-out (issue 14, item 7),
  // one more event than the revisions this history counts.
  familyId = ok(await gql(keys['lead'], 'mutation { openFamilyCase(input: { programme: SEPARATED_FAMILY }) { family { id } } }')).openFamilyCase.family.id;
  const record = async (mutation: string) => ok(await gql(keys['lead']!, `mutation($id: ID!) { ${mutation} { revision } }`, { id: familyId }));
  await record('registerChild(input: { familyId: $id, childId: "c", givenName: "Marisol", birthDate: "2010-05-06", nationality: "HN" })');
  await record('addRelative(input: { familyId: $id, relativeId: "father", relationship: FATHER, givenName: "Tomas" })');
  await record('addRelative(input: { familyId: $id, relativeId: "uncle", relationship: UNCLE, givenName: "Brutus", adverse: true })');
  await record('startTracing(input: { familyId: $id, relativeId: "father", defenderOrganizationId: "partner-org", region: "HN" })');
  await nextMillisecond();
  whileSearching = new Date().toISOString();
  await nextMillisecond();
  await record('recordParentLocated(input: { familyId: $id, relativeId: "father", country: "HN", method: PARTNER_NGO, place: "San Pedro Sula" })');
  await record('giveConsent(input: { familyId: $id, consentId: "consent", personId: "c", purposes: ["follow the father"], recipientOrganizationIds: ["partner-org"] })');
  await record('referFamily(input: { familyId: $id, referralId: "ref", toOrganizationId: "partner-org", purpose: "follow the father", scope: STATUS })');
  ok(await gql(keys['partnerAdvocate'], 'mutation($id: ID!) { acceptReferral(input: { familyId: $id, referralId: "ref" }) { revision } }', { id: familyId }));
});
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

describe('familyHistory', () => {
  it('the lead sees every event in order, chained by hash, with actor and times', async () => {
    const history = ok(await gql(keys['lead']!, HISTORY, { id: familyId, first: 500 })).familyHistory;
    expect(history.totalCount).toBe(9);
    const nodes = history.edges.map((edge: { node: any }) => edge.node);
    expect(nodes.map((n: { type: string }) => n.type)).toEqual([
      'FamilyCaseOpened', 'ChildRegistered', 'RelativeAdded', 'RelativeAdded', 'TracingStarted', 'RelativeLocated', 'ConsentGiven', 'FamilyReferred', 'ReferralAccepted',
    ]);
    expect(nodes.map((n: { revision: number }) => n.revision)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(nodes[0].prevHash).toBe('0'.repeat(64));
    for (let i = 1; i < nodes.length; i += 1) expect(nodes[i].prevHash).toBe(nodes[i - 1].hash);
    expect(nodes[1].actor).toEqual({ userId: 'lena', organizationId: 'lead-org', role: 'ADVOCATE' });
    expect(nodes[8].actor).toEqual({ userId: 'paula', organizationId: 'partner-org', role: 'ADVOCATE' });
    expect(nodes[1].data.personal).toMatchObject({ givenName: 'Marisol', birthDate: '2010-05-06' });
    expect(nodes[5].data).toMatchObject({ country: 'HN', personal: { place: 'San Pedro Sula' } });
    // The edge carries the node's fields too.
    expect(history.edges[3]).toMatchObject({ type: 'RelativeAdded', revision: 3 });
  });

  it('pages with cursors, and a bad cursor or page size is BAD_USER_INPUT', async () => {
    const seen: number[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      const history: any = ok(await gql(keys['lead']!, HISTORY, { id: familyId, first: 3, after })).familyHistory;
      seen.push(...history.edges.map((edge: { revision: number }) => edge.revision));
      if (!history.pageInfo.hasNextPage) break;
      after = history.pageInfo.endCursor;
    }
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect((await gql(keys['lead']!, HISTORY, { id: familyId, after: 'bm9wZQ' })).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    expect((await gql(keys['lead']!, HISTORY, { id: familyId, first: 501 })).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('a STATUS partner and an appointed auditor see no names, places, free text or the adverse relative', async () => {
    for (const key of [keys['partner']!, keys['auditor']!]) {
      const nodes = ok(await gql(key, HISTORY, { id: familyId, first: 50 })).familyHistory.edges.map((edge: { node: any }) => edge.node);
      expect(nodes).toHaveLength(9);
      const text = JSON.stringify(nodes);
      for (const secret of ['Marisol', '2010-05-06', 'Tomas', 'Brutus', 'San Pedro Sula', 'follow the father']) expect(text).not.toContain(secret);
      // Ids the lead chose ("c", "father") are replaced by generated ones below DOCUMENTS.
      expect(nodes[1].data).toMatchObject({ childId: 'child#1', nationality: 'HN', redacted: ['personal.givenName', 'personal.birthDate', 'personal.languages'] });
      // The adverse relative's event is a placeholder: neither its type nor its data tells he exists.
      expect(nodes[3]).toMatchObject({ type: 'WITHHELD', data: {} });
      // The day it was located is DOCUMENTS data: STATUS reads only the envelope's month.
      expect(nodes[5].data).toMatchObject({ relativeId: 'relative#1', method: 'PARTNER_NGO', redacted: ['country', 'locatedOn', 'personal.place'] });
      expect(nodes[7].data.redacted).toContain('purpose');
    }
  });

  it('is NOT_FOUND for an organisation without access, exactly as for an unknown id', async () => {
    const foreign = await gql(keys['stranger']!, HISTORY, { id: familyId });
    const unknown = await gql(keys['stranger']!, HISTORY, { id: 'no-such-family' });
    expect(foreign.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
    expect(JSON.stringify(foreign).replaceAll(familyId, 'X')).toBe(JSON.stringify(unknown).replaceAll('no-such-family', 'X'));
  });

  it('a lead reading personal data in the history is in the access log; a STATUS read is not', async () => {
    const LOG = 'query($id: ID!) { familyAccessLog(familyId: $id) { userId fields } }';
    const entries = async () => ok(await gql(keys['auditor']!, LOG, { id: familyId })).familyAccessLog as Array<{ userId: string; fields: string }>;
    await waitUntil("the lead's history read in the access log", async () => (await entries()).some((e) => e.userId === 'lena' && e.fields === 'history'));
    expect(await entries()).toContainEqual({ userId: 'lena', fields: 'history' });
    expect((await entries()).some((e) => e.userId === 'pablo')).toBe(false);
  });
});

describe('family as of an instant or a revision', () => {
  const AS_OF = `query($id: ID!, $asOf: DateTime, $rev: Int) { family(id: $id, asOf: $asOf, atRevision: $rev) {
    status revision knownAt blockers children { givenName } relatives { id locationStatus } referrals { id }
  } }`;

  it('shows what the tracker knew then, through the same status and blockers as today', async () => {
    const now = ok(await gql(keys['lead']!, AS_OF, { id: familyId })).family;
    expect(now).toMatchObject({ status: 'IN_CONTACT', revision: 8, knownAt: null });
    const then = ok(await gql(keys['lead']!, AS_OF, { id: familyId, asOf: whileSearching })).family;
    expect(then).toMatchObject({ status: 'SEARCHING', revision: 4, children: [{ givenName: 'Marisol' }], referrals: [] });
    expect(then.relatives).toContainEqual({ id: 'father', locationStatus: 'TRACING' });
    expect(Date.parse(then.knownAt)).toBeLessThanOrEqual(Date.parse(whileSearching));
    expect(then.blockers.length).toBeGreaterThan(0);
  });

  it('by revision; before the family existed it is null; a negative revision is BAD_USER_INPUT', async () => {
    expect(ok(await gql(keys['lead']!, AS_OF, { id: familyId, rev: 0 })).family).toMatchObject({ status: 'INTAKE', revision: 0, children: [] });
    expect(ok(await gql(keys['lead']!, AS_OF, { id: familyId, asOf: beforeOpening })).family).toBeNull();
    expect((await gql(keys['lead']!, AS_OF, { id: familyId, rev: -1 })).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'atRevision' });
  });

  it('redacts the past like the present, and is null for callers who cannot see the family now', async () => {
    const partner = ok(await gql(keys['partner']!, AS_OF, { id: familyId, asOf: whileSearching })).family;
    expect(partner.children).toEqual([{ givenName: null }]);
    expect(ok(await gql(keys['stranger']!, AS_OF, { id: familyId, asOf: whileSearching })).family).toBeNull();
  });
});

describe('verifyFamilyHistory', () => {
  it('recomputes the chain: ok, with the head hash to record elsewhere', async () => {
    const verification = ok(await gql(keys['auditor']!, 'query($id: ID!) { verifyFamilyHistory(familyId: $id) { familyId ok events brokenAtRevision problem headHash } }', { id: familyId })).verifyFamilyHistory;
    const last = ok(await gql(keys['lead']!, HISTORY, { id: familyId, first: 500 })).familyHistory.edges.at(-1).node.hash;
    expect(verification).toEqual({ familyId, ok: true, events: 9, brokenAtRevision: null, problem: null, headHash: last });
    expect((await gql(keys['stranger']!, 'query($id: ID!) { verifyFamilyHistory(familyId: $id) { ok } }', { id: familyId })).errors?.[0]?.extensions.code).toBe('NOT_FOUND');
  });
});

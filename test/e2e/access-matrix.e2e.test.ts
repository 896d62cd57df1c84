import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL } from '../support/graphql-client.js';
import { makeTempDir } from '../support/temp-dir.js';
import { startTrackerProcess, type TrackerProcess } from '../support/tracker-process.js';

/**
 * The access matrix over HTTP: 4 roles of one organisation x 7 situations of a family (it leads
 * it; referred at STATUS, DOCUMENTS or FULL scope; referral expired; referral revoked; another
 * organisation's family) x (the family, a nested personal field, a mutation).
 */
const ADMIN = 'matrix-admin-key-0123456789abcd';
const temp = makeTempDir('tracker-matrix-');
let tracker: TrackerProcess;
const gql = (key: string, query: string, variables: Record<string, unknown> = {}) => postGraphQL(tracker.url, key, query, variables);

const ROLES = ['ADMIN', 'ADVOCATE', 'AUDITOR', 'PARTNER'] as const;
type Situation = 'own' | 'status' | 'documents' | 'full' | 'expired' | 'revoked' | 'other';
const SITUATIONS: readonly Situation[] = ['own', 'status', 'documents', 'full', 'expired', 'revoked', 'other'];
const keys: Record<string, string> = {};
const families: Partial<Record<Situation, string>> = {};

const issue = async (organizationId: string, userId: string, role: string): Promise<string> =>
  (await gql(ADMIN, 'mutation($o: ID!, $u: ID!, $n: String!, $r: Role!) { issueApiKey(input: { organizationId: $o, userId: $u, userName: $n, role: $r, label: "m" }) { apiKey } }', { o: organizationId, u: userId, n: userId, r: role })).data.issueApiKey.apiKey;

const openFamily = async (key: string): Promise<string> => {
  const id = (await gql(key, 'mutation { openFamilyCase(input: { programme: SIJ }) { family { id } } }')).data.openFamilyCase.family.id as string;
  await gql(key, 'mutation($id: ID!) { registerChild(input: { familyId: $id, childId: "c", givenName: "Canary", birthDate: "2010-01-01", nationality: "HN" }) { revision } }', { id });
  return id;
};

const refer = async (leadKey: string, viewerAdvocateKey: string, familyId: string, scope: string, expiresAt?: string) => {
  const r = await gql(leadKey, 'mutation($id: ID!, $s: AccessScope!, $e: DateTime) { referFamily(input: { familyId: $id, referralId: "ref", toOrganizationId: "viewer", purpose: "m", scope: $s, expiresAt: $e }) { revision } }', { id: familyId, s: scope, e: expiresAt ?? null });
  expect(r.errors).toBeUndefined();
  const a = await gql(viewerAdvocateKey, 'mutation($id: ID!) { acceptReferral(input: { familyId: $id, referralId: "ref" }) { revision } }', { id: familyId });
  expect(a.errors).toBeUndefined();
};

beforeAll(async () => {
  tracker = await startTrackerProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN });
  for (const id of ['lead', 'viewer']) {
    await gql(ADMIN, 'mutation($id: ID!, $n: String!) { registerOrganization(input: { organizationId: $id, name: $n, kind: LEGAL_SERVICE_PROVIDER }) { replayed } }', { id, n: id });
  }
  const lead = await issue('lead', 'lead-advocate', 'ADVOCATE');
  for (const role of ROLES) keys[role] = await issue('viewer', `viewer-${role.toLowerCase()}`, role);
  families.own = await openFamily(keys['ADVOCATE']!);
  for (const [situation, scope] of [['status', 'STATUS'], ['documents', 'DOCUMENTS'], ['full', 'FULL']] as const) {
    families[situation] = await openFamily(lead);
    await refer(lead, keys['ADVOCATE']!, families[situation], scope);
  }
  families.expired = await openFamily(lead);
  await refer(lead, keys['ADVOCATE']!, families.expired, 'FULL', new Date(Date.now() + 1_500).toISOString());
  families.revoked = await openFamily(lead);
  await refer(lead, keys['ADVOCATE']!, families.revoked, 'FULL');
  await gql(lead, 'mutation($id: ID!) { revokeReferral(input: { familyId: $id, referralId: "ref" }) { revision } }', { id: families.revoked });
  families.other = await openFamily(lead);
  await new Promise((resolve) => setTimeout(resolve, 1_600));
});
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

const visible = (s: Situation) => ['own', 'status', 'documents', 'full'].includes(s);
const namesShown = (s: Situation) => ['own', 'documents', 'full'].includes(s);
const mayWrite = (role: string, s: Situation) => (role === 'ADMIN' || role === 'ADVOCATE') && ['own', 'documents', 'full'].includes(s);

const cases = ROLES.flatMap((role) => SITUATIONS.map((situation) => [role, situation] as const));

describe('access matrix', () => {
  it.each(cases)('%s, family %s: visibility, personal fields, lists and writes', async (role, situation) => {
    const key = keys[role]!;
    const id = families[situation]!;
    const read = await gql(key, 'query($id: ID!) { family(id: $id) { id status children { givenName birthDate } } }', { id });
    expect(read.errors).toBeUndefined();
    if (!visible(situation)) {
      expect(read.data.family).toBeNull();
    } else {
      expect(read.data.family.children).toEqual([namesShown(situation) ? { givenName: 'Canary', birthDate: '2010-01-01' } : { givenName: null, birthDate: null }]);
    }
    const listed = (await gql(key, '{ families(first: 100) { edges { node { id } } } }')).data.families.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(listed.includes(id)).toBe(visible(situation));

    const write = await gql(key, 'mutation($id: ID!, $r: ID!) { addRelative(input: { familyId: $id, relativeId: $r, relationship: AUNT, givenName: "X" }) { revision } }', { id, r: `r-${role}` });
    const expected = !visible(situation) ? 'NOT_FOUND' : mayWrite(role, situation) ? undefined : 'FORBIDDEN';
    expect(write.errors?.[0]?.extensions.code).toBe(expected);
    if (!visible(situation)) expect(JSON.stringify(write)).not.toContain('Canary');
  });
});

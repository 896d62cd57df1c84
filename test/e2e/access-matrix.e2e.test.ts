import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueKey, postGraphQL, registerOrganization } from '../support/graphql-client.js';
import { makeTempDir } from '../support/temp-dir.js';
import { startTrackerInProcess, type Tracker } from '../support/in-process-tracker.js';

/**
 * The access matrix over HTTP: 4 roles of one organisation x 9 situations of a family (it leads
 * it; referred at STATUS, DOCUMENTS or FULL scope; referral expired; referral revoked; another
 * organisation's family; led by an organisation that appointed this one as its auditor; granted
 * FULL access) x (the family, a nested personal field, the families list, upcoming deadlines,
 * the history and its verification, the access log, a mutation).
 */
const ADMIN = 'matrix-admin-key-0123456789abcd';
const temp = makeTempDir('tracker-matrix-');
let tracker: Tracker;
const gql = (key: string, query: string, variables: Record<string, unknown> = {}) => postGraphQL(tracker.url, key, query, variables);

const ROLES = ['ADMIN', 'ADVOCATE', 'AUDITOR', 'PARTNER'] as const;
type Situation = 'own' | 'status' | 'documents' | 'full' | 'expired' | 'revoked' | 'other' | 'appointed' | 'granted';
const SITUATIONS: readonly Situation[] = ['own', 'status', 'documents', 'full', 'expired', 'revoked', 'other', 'appointed', 'granted'];
/**
 * The server reads "now" from this clock: the wall clock plus an offset, which the set-up moves
 * past the expiring referral's expiry once everything is in place (no race with a real expiry).
 */
let clockOffsetMs = 0;
const EXPIRES_IN_MS = 3_600_000;
const IN_TEN_DAYS = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
const keys: Record<string, string> = {};
const families: Partial<Record<Situation, string>> = {};

const issue = (organizationId: string, userId: string, role: string): Promise<string> => issueKey(tracker.url, ADMIN, organizationId, userId, role);

const openFamily = async (key: string): Promise<string> => {
  const id = (await gql(key, 'mutation { openFamilyCase(input: { programme: SIJ }) { family { id } } }')).data.openFamilyCase.family.id as string;
  await gql(key, 'mutation($id: ID!) { registerChild(input: { familyId: $id, childId: "c", givenName: "Canary", birthDate: "2010-01-01", nationality: "HN" }) { revision } }', { id });
  await gql(key, 'mutation($id: ID!, $d: Date!) { setDeadline(input: { familyId: $id, deadlineId: "d", kind: HEARING, dueOn: $d }) { revision } }', { id, d: IN_TEN_DAYS });
  // The consent the referrals and grants below need (issue 14, item 3).
  await gql(key, 'mutation($id: ID!) { giveConsent(input: { familyId: $id, consentId: "consent", personId: "c", purposes: ["m", "access"], recipientOrganizationIds: ["viewer"] }) { revision } }', { id });
  return id;
};

const refer = async (leadKey: string, viewerAdvocateKey: string, familyId: string, scope: string, expiresAt?: string) => {
  const r = await gql(leadKey, 'mutation($id: ID!, $s: AccessScope!, $e: DateTime) { referFamily(input: { familyId: $id, referralId: "ref", toOrganizationId: "viewer", purpose: "m", scope: $s, expiresAt: $e }) { revision } }', { id: familyId, s: scope, e: expiresAt ?? null });
  expect(r.errors).toBeUndefined();
  const a = await gql(viewerAdvocateKey, 'mutation($id: ID!) { acceptReferral(input: { familyId: $id, referralId: "ref" }) { revision } }', { id: familyId });
  expect(a.errors).toBeUndefined();
};

beforeAll(async () => {
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN }, { clock: () => new Date(Date.now() + clockOffsetMs) });
  for (const id of ['lead', 'viewer', 'appointing']) {
    await registerOrganization(tracker.url, ADMIN, id);
  }
  const lead = await issue('lead', 'lead-advocate', 'ADVOCATE');
  for (const role of ROLES) keys[role] = await issue('viewer', `viewer-${role.toLowerCase()}`, role);
  families.own = await openFamily(keys['ADVOCATE']!);
  for (const [situation, scope] of [['status', 'STATUS'], ['documents', 'DOCUMENTS'], ['full', 'FULL']] as const) {
    families[situation] = await openFamily(lead);
    await refer(lead, keys['ADVOCATE']!, families[situation], scope);
  }
  families.expired = await openFamily(lead);
  await refer(lead, keys['ADVOCATE']!, families.expired, 'FULL', new Date(Date.now() + EXPIRES_IN_MS).toISOString());
  const beforeExpiry = await gql(keys['ADVOCATE']!, 'query($id: ID!) { family(id: $id) { id } }', { id: families.expired });
  expect(beforeExpiry.data.family).toEqual({ id: families.expired });
  families.revoked = await openFamily(lead);
  await refer(lead, keys['ADVOCATE']!, families.revoked, 'FULL');
  await gql(lead, 'mutation($id: ID!) { revokeReferral(input: { familyId: $id, referralId: "ref" }) { revision } }', { id: families.revoked });
  families.other = await openFamily(lead);
  families.granted = await openFamily(lead);
  const grant = await gql(lead, 'mutation($id: ID!) { grantAccess(input: { familyId: $id, grantId: "g", organizationId: "viewer", scope: FULL }) { revision } }', { id: families.granted });
  expect(grant.errors).toBeUndefined();
  families.appointed = await openFamily(await issue('appointing', 'appointing-advocate', 'ADVOCATE'));
  const appointed = await gql(ADMIN, 'mutation { appointAuditor(input: { organizationId: "appointing", auditorOrganizationId: "viewer" }) { auditorOrganization { id } } }');
  expect(appointed.errors).toBeUndefined();
  clockOffsetMs = EXPIRES_IN_MS + 60_000;
});
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

const MEMBER_VISIBLE: readonly Situation[] = ['own', 'status', 'documents', 'full', 'granted'];
const visible = (role: string, s: Situation) => MEMBER_VISIBLE.includes(s) || (role === 'AUDITOR' && s === 'appointed');
/** Auditors see personal data only through a grant to their organisation. */
const namesShown = (role: string, s: Situation) => (role === 'AUDITOR' ? s === 'granted' : ['own', 'documents', 'full', 'granted'].includes(s));
// A referral at DOCUMENTS scope does document and legal work only; the probe (addRelative) needs FULL.
const mayWrite = (role: string, s: Situation) => (role === 'ADMIN' || role === 'ADVOCATE') && ['own', 'full', 'granted'].includes(s);
// The write policy judges the family's own events: an auditor appointed by the lead has no access there.
const writeHidden = (role: string, s: Situation) => role === 'AUDITOR' && s === 'appointed';
const mayReadAccessLog = (role: string) => role === 'AUDITOR' || role === 'ADMIN';

const cases = ROLES.flatMap((role) => SITUATIONS.map((situation) => [role, situation] as const));

describe('access matrix', () => {
  it.each(cases)('%s, family %s: visibility, personal fields, lists, deadlines, access log and writes', async (role, situation) => {
    const key = keys[role]!;
    const id = families[situation]!;
    const seen = visible(role, situation);
    const read = await gql(key, 'query($id: ID!) { family(id: $id) { id status children { givenName birthDate } } }', { id });
    expect(read.errors).toBeUndefined();
    if (!seen) {
      expect(read.data.family).toBeNull();
    } else {
      expect(read.data.family.children).toEqual([namesShown(role, situation) ? { givenName: 'Canary', birthDate: '2010-01-01' } : { givenName: null, birthDate: null }]);
    }
    const listed = (await gql(key, '{ families(first: 100) { edges { node { id } } } }')).data.families.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(listed.includes(id)).toBe(seen);
    const deadlines = (await gql(key, '{ upcomingDeadlines(withinDays: 30) { familyId } }')).data.upcomingDeadlines.map((d: { familyId: string }) => d.familyId);
    expect(deadlines.includes(id)).toBe(seen);

    const history = await gql(key, 'query($id: ID!) { familyHistory(familyId: $id) { edges { node { type data } } } }', { id });
    if (!seen) {
      expect(history.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
    } else {
      const registered = history.data.familyHistory.edges.find((e: { node: { type: string } }) => e.node.type === 'ChildRegistered').node;
      expect(registered.data.personal?.givenName).toBe(namesShown(role, situation) ? 'Canary' : undefined);
    }
    const verified = await gql(key, 'query($id: ID!) { verifyFamilyHistory(familyId: $id) { ok } }', { id });
    expect(verified.errors?.[0]?.extensions.code ?? verified.data.verifyFamilyHistory.ok).toBe(seen ? true : 'NOT_FOUND');

    const log = await gql(key, 'query($id: ID!) { familyAccessLog(familyId: $id) { userId } }', { id });
    expect(log.errors?.[0]?.extensions.code).toBe(!seen ? 'NOT_FOUND' : mayReadAccessLog(role) ? undefined : 'FORBIDDEN');

    const write = await gql(key, 'mutation($id: ID!, $r: ID!) { addRelative(input: { familyId: $id, relativeId: $r, relationship: AUNT, givenName: "X" }) { revision } }', { id, r: `r-${role}` });
    const expected = !seen || writeHidden(role, situation) ? 'NOT_FOUND' : mayWrite(role, situation) ? undefined : 'FORBIDDEN';
    expect(write.errors?.[0]?.extensions.code).toBe(expected);
    if (!seen) expect(JSON.stringify([read, history, log, write])).not.toContain('Canary');
  });

  it('an auditor dismissed by the appointing organisation loses sight of its families at once', async () => {
    const id = families.appointed!;
    const read = 'query($id: ID!) { family(id: $id) { id } }';
    expect((await gql(keys['AUDITOR']!, read, { id })).data.family).toEqual({ id });
    const dismissed = await gql(ADMIN, 'mutation { dismissAuditor(input: { organizationId: "appointing", auditorOrganizationId: "viewer" }) { position } }');
    expect(dismissed.errors).toBeUndefined();
    expect((await gql(keys['AUDITOR']!, read, { id })).data.family).toBeNull();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, issueKey, postGraphQL } from '../support/graphql-client.js';
import { startWithOrganizations, type OrganizationsOverHttp } from '../support/organizations-over-http.js';

/**
 * Kept answers of `families` and `family` (schema/plugins/response-cache.ts) never widen access
 * and never skip the access log: each case asks the same query text again after the change, so
 * a kept answer that outlived the change would be served.
 */
let t: OrganizationsOverHttp;
let leadAdmin: string;
const MINUTE_MS = 60_000;
const FAMILIES = '{ families(first: 50) { totalCount edges { node { id viewerScope children { givenName } } } } }';
const FAMILY = 'query($id: ID!) { family(id: $id) { id viewerScope children { givenName } } }';
const idsSeenBy = async (org: string): Promise<string[]> =>
  ((await t.query(org, FAMILIES)).families.edges as Array<{ node: { id: string } }>).map((edge) => edge.node.id);

const familyOfLead = async (givenName: string): Promise<string> => {
  const familyId = (await t.ok('lead', 'openFamilyCase', { programme: 'ASYLUM' })).family.id as string;
  await t.ok('lead', 'registerChild', { familyId, childId: 'girl', givenName, birthDate: '2011-04-02', nationality: 'GT' });
  await t.ok('lead', 'giveConsent', { familyId, consentId: 'consent', personId: 'girl', purposes: ['services'], recipientOrganizationIds: ['partner'] });
  return familyId;
};

beforeAll(async () => {
  t = await startWithOrganizations('response-cache', ['lead', 'partner', 'other']);
  leadAdmin = await issueKey(t.tracker.url, 'trk_response-cache_admin_key_0000000000000000000000'.slice(0, 48), 'lead', 'lead-admin', 'ADMIN');
});
afterAll(() => t?.stop());

describe('kept answers of families and family', () => {
  it('a revoked grant takes effect at the next request', async () => {
    const familyId = await familyOfLead('Ana');
    await t.ok('lead', 'grantAccess', { familyId, grantId: 'g', organizationId: 'partner', scope: 'FULL', purpose: 'services' });
    expect(await idsSeenBy('partner')).toContain(familyId);
    expect(await idsSeenBy('partner')).toContain(familyId);
    expect((await t.query('partner', FAMILY, { id: familyId })).family).toMatchObject({ id: familyId, children: [{ givenName: 'Ana' }] });
    await t.ok('lead', 'revokeAccess', { familyId, grantId: 'g' });
    expect(await idsSeenBy('partner')).not.toContain(familyId);
    expect((await t.query('partner', FAMILY, { id: familyId })).family).toBeNull();
  });

  it('an expired grant ends when it expires, with no event in between', async () => {
    const familyId = await familyOfLead('Bea');
    await t.ok('lead', 'grantAccess', { familyId, grantId: 'g', organizationId: 'partner', scope: 'FULL', purpose: 'services', expiresAt: new Date(Date.now() + MINUTE_MS).toISOString() });
    expect((await t.query('partner', FAMILY, { id: familyId })).family).toMatchObject({ id: familyId, viewerScope: 'FULL' });
    expect((await t.query('partner', FAMILY, { id: familyId })).family).toMatchObject({ id: familyId, viewerScope: 'FULL' });
    // Two minutes on: the same day (a new day would not reuse a kept answer anyway) unless run at midnight.
    t.clock.offsetMs = 2 * MINUTE_MS;
    try {
      expect((await t.query('partner', FAMILY, { id: familyId })).family).toBeNull();
      expect(await idsSeenBy('partner')).not.toContain(familyId);
    } finally {
      t.clock.offsetMs = 0;
    }
  });

  it('a change of the family shows at the next request', async () => {
    const familyId = await familyOfLead('Cruz');
    expect((await t.query('lead', FAMILY, { id: familyId })).family.children).toEqual([{ givenName: 'Cruz' }]);
    await t.ok('lead', 'registerChild', { familyId, childId: 'boy', givenName: 'Dario', birthDate: '2013-05-06', nationality: 'GT' });
    expect((await t.query('lead', FAMILY, { id: familyId })).family.children).toEqual([{ givenName: 'Cruz' }, { givenName: 'Dario' }]);
  });

  it('callers of other organisations never share an answer to the same text', async () => {
    const familyId = await familyOfLead('Elena');
    expect(await idsSeenBy('lead')).toContain(familyId);
    expect(await idsSeenBy('other')).toEqual([]);
    expect((await t.query('lead', FAMILY, { id: familyId })).family).toMatchObject({ id: familyId });
    expect((await t.query('other', FAMILY, { id: familyId })).family).toBeNull();
  });

  it('every request answered from a kept answer writes its own access-log entry', async () => {
    const familyId = await familyOfLead('Flor');
    const log = async (): Promise<number> =>
      (dataOf(await postGraphQL(t.tracker.url, leadAdmin, 'query($id: ID!) { familyAccessLog(familyId: $id, first: 500) { userId fields } }', { id: familyId })).familyAccessLog as unknown[]).length;
    const before = await log();
    for (let i = 0; i < 3; i += 1) expect((await t.query('partner', FAMILY, { id: familyId })).family).toBeNull();
    for (let i = 0; i < 3; i += 1) expect((await t.query('lead', FAMILY, { id: familyId })).family.children).toEqual([{ givenName: 'Flor' }]);
    // The partner saw nothing (nothing logged); each of the lead's three reads is logged.
    expect(await log()).toBe(before + 3);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWithOrganizations, type OrganizationsOverHttp } from '../../support/organizations-over-http.js';

/**
 * Regression (issue 14, finding 6c): the read access a former lead kept after a transfer had no
 * expiry, the new lead could not see it and could not end it. It ends 30 days after the transfer
 * took effect unless the transfer said when; the new lead sees it in `sharing` and revokes it.
 */
let t: OrganizationsOverHttp;
const DAY_MS = 86_400_000;
const seen = async (org: string, id: string) => (await t.query(org, 'query($id: ID!) { family(id: $id) { id } }', { id })).family as { id: string } | null;
const transferred = async (): Promise<string> => {
  const familyId = (await t.ok('old-lead', 'openFamilyCase', { programme: 'ASYLUM' })).family.id as string;
  await t.ok('old-lead', 'registerChild', { familyId, childId: 'girl', givenName: 'María', birthDate: '2009-04-02', nationality: 'GT' });
  await t.ok('old-lead', 'giveConsent', { familyId, consentId: 'consent', personId: 'girl', purposes: ['transfer'], recipientOrganizationIds: ['new-lead'] });
  await t.ok('old-lead', 'transferFamily', { familyId, toOrganizationId: 'new-lead', previousLeadKeepsReadAccess: true });
  await t.ok('new-lead', 'acceptTransfer', { familyId });
  return familyId;
};
beforeAll(async () => {
  t = await startWithOrganizations('kept-access', ['old-lead', 'new-lead']);
});
afterAll(() => t?.stop());

describe('regression: a former lead kept read access forever', () => {
  it('ends after the default of 30 days', async () => {
    const familyId = await transferred();
    expect(await seen('old-lead', familyId)).toEqual({ id: familyId });
    t.clock.offsetMs = 31 * DAY_MS;
    expect(await seen('old-lead', familyId)).toBeNull();
    expect(await seen('new-lead', familyId)).toEqual({ id: familyId });
    t.clock.offsetMs = 0;
  });

  it('is visible to the new lead and revocable by it', async () => {
    const familyId = await transferred();
    const sharing = (await t.query('new-lead', 'query($id: ID!) { family(id: $id) { sharing { organization { id } via expiresAt } } }', { id: familyId })).family.sharing;
    expect(sharing).toEqual([{ organization: { id: 'old-lead' }, via: 'FORMER_LEAD', expiresAt: expect.any(String) }]);
    expect((await t.mutate('new-lead', 'revokeFormerLeadAccess', { familyId, organizationId: 'old-lead' })).errors).toBeUndefined();
    expect(await seen('old-lead', familyId)).toBeNull();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWithOrganizations, type OrganizationsOverHttp } from '../../support/organizations-over-http.js';

/**
 * Regression (issue 14, finding 3): referFamily to an organisation outside every consent given,
 * and after the consent was withdrawn, succeeded. Sharing needs a consent in force covering the
 * recipient and the purpose; a withdrawal blocks new sharing, revokes the pending referrals it
 * alone covered, and the family's `sharing` shows the accepted ones it no longer covers.
 */
let t: OrganizationsOverHttp;
let familyId: string;
beforeAll(async () => {
  t = await startWithOrganizations('consent', ['lead', 'covered', 'outside']);
  familyId = (await t.ok('lead', 'openFamilyCase', { programme: 'SEPARATED_FAMILY' })).family.id as string;
  await t.ok('lead', 'registerChild', { familyId, childId: 'boy', givenName: 'José', birthDate: '2010-01-01', nationality: 'HN' });
  await t.ok('lead', 'giveConsent', { familyId, consentId: 'consent', personId: 'boy', purposes: ['tracing'], recipientOrganizationIds: ['covered'] });
});
afterAll(() => t?.stop());

const refer = (referralId: string, toOrganizationId: string, purpose = 'tracing') =>
  t.mutate('lead', 'referFamily', { familyId, referralId, toOrganizationId, purpose, scope: 'STATUS' });

describe('regression: referrals without consent', () => {
  it('refuses a referral to an organisation outside every consent, and for a purpose no consent names', async () => {
    for (const response of [await refer('r-outside', 'outside'), await refer('r-purpose', 'covered', 'fundraising')]) {
      expect(response.errors?.[0]?.extensions.code).toBe('INVALID_TRANSITION');
      expect(response.errors?.[0]?.message).toBe('Cannot share the family (referral): no consent in force covers that organisation for that purpose');
    }
  });

  it('after the withdrawal, refuses a new referral, revokes the pending one and shows the accepted one as no longer covered', async () => {
    expect((await refer('accepted', 'covered')).errors).toBeUndefined();
    expect((await t.mutate('covered', 'acceptReferral', { familyId, referralId: 'accepted' })).errors).toBeUndefined();
    expect((await refer('pending', 'covered')).errors).toBeUndefined();
    expect((await t.mutate('lead', 'withdrawConsent', { familyId, consentId: 'consent' })).errors).toBeUndefined();
    expect((await refer('after', 'covered')).errors?.[0]?.extensions.code).toBe('INVALID_TRANSITION');
    const family = (await t.query('lead', 'query($id: ID!) { family(id: $id) { referrals { id status } sharing { id via status coveredByConsent } } }', { id: familyId })).family;
    expect(family.referrals).toEqual([{ id: 'accepted', status: 'ACCEPTED' }, { id: 'pending', status: 'REVOKED' }]);
    expect(family.sharing).toEqual([{ id: 'accepted', via: 'REFERRAL', status: 'ACCEPTED', coveredByConsent: false }]);
  });
});

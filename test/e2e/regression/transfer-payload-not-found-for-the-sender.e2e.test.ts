import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWithOrganizations, type OrganizationsOverHttp } from '../../support/organizations-over-http.js';

/**
 * Regression (issue 14, finding 6a): after organisation B transferred a family to organisation
 * C, B's transferFamily answered NOT_FOUND although the transfer was stored: the payload re-read
 * the family as B, who no longer saw it. The one who made a change gets its result: each sender
 * along A -> B -> C gets the family back, and so does each receiver that accepts.
 */
let t: OrganizationsOverHttp;
beforeAll(async () => {
  t = await startWithOrganizations('payload', ['org-a', 'org-b', 'org-c']);
});
afterAll(() => t?.stop());

describe('regression: the sender of a transfer got NOT_FOUND', () => {
  it('every transfer along A -> B -> C answers its sender, and every acceptance its receiver, with the family', async () => {
    const familyId = (await t.ok('org-a', 'openFamilyCase', { programme: 'ASYLUM' })).family.id as string;
    await t.ok('org-a', 'registerChild', { familyId, childId: 'girl', givenName: 'María', birthDate: '2009-04-02', nationality: 'GT' });
    await t.ok('org-a', 'giveConsent', { familyId, consentId: 'consent', personId: 'girl', purposes: ['transfer'], recipientOrganizationIds: ['org-b', 'org-c'] });
    for (const [from, to] of [['org-a', 'org-b'], ['org-b', 'org-c']] as const) {
      const sent = await t.mutate(from, 'transferFamily', { familyId, toOrganizationId: to, previousLeadKeepsReadAccess: false });
      expect(sent.errors, `${from} transferring to ${to}`).toBeUndefined();
      expect(sent.data.transferFamily.family).toEqual({ id: familyId, leadOrganization: { id: from } });
      const accepted = await t.mutate(to, 'acceptTransfer', { familyId });
      expect(accepted.errors).toBeUndefined();
      expect(accepted.data.acceptTransfer.family).toEqual({ id: familyId, leadOrganization: { id: to } });
    }
  });
});

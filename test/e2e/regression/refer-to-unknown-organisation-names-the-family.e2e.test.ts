import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWithOrganizations, type OrganizationsOverHttp } from '../../support/organizations-over-http.js';

/**
 * Regression (issue 14, finding 6d): a referral or transfer to an organisation that does not
 * exist was accepted (and a later mistake about it said the family was not found). It is refused
 * with NOT_FOUND naming the organisation's field, never the family, and nothing is written.
 */
let t: OrganizationsOverHttp;
let familyId: string;
beforeAll(async () => {
  t = await startWithOrganizations('unknown-org', ['lead']);
  familyId = (await t.ok('lead', 'openFamilyCase', { programme: 'SEPARATED_FAMILY' })).family.id as string;
  await t.ok('lead', 'registerChild', { familyId, childId: 'boy', givenName: 'José', birthDate: '2010-01-01', nationality: 'HN' });
  await t.ok('lead', 'addRelative', { familyId, relativeId: 'father', relationship: 'FATHER', givenName: 'Oscar' });
  // Consent even names the organisation: the refusal is about its existence.
  await t.ok('lead', 'giveConsent', { familyId, consentId: 'consent', personId: 'boy', purposes: ['tracing', 'transfer', 'access'], recipientOrganizationIds: ['no-such-org'] });
});
afterAll(() => t?.stop());

describe('regression: hand-offs to an organisation that does not exist', () => {
  it.each([
    ['referFamily', { referralId: 'r', toOrganizationId: 'no-such-org', purpose: 'tracing', scope: 'STATUS' }, 'toOrganizationId'],
    ['transferFamily', { toOrganizationId: 'no-such-org' }, 'toOrganizationId'],
    ['grantAccess', { grantId: 'g', organizationId: 'no-such-org', scope: 'STATUS' }, 'organizationId'],
    ['startTracing', { relativeId: 'father', defenderOrganizationId: 'no-such-org' }, 'defenderOrganizationId'],
    ['requestDocument', { documentId: 'd', documentType: 'BIRTH_CERTIFICATE', issuingCountry: 'HN', assignedOrganizationId: 'no-such-org' }, 'assignedOrganizationId'],
  ] as const)('%s is refused, naming the organisation field', async (mutation, input, field) => {
    const before = (await t.query('lead', 'query($id: ID!) { family(id: $id) { revision } }', { id: familyId })).family.revision as number;
    const response = await t.mutate('lead', mutation, { familyId, ...input });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field });
    expect(response.errors?.[0]?.message).toBe('organisation not found');
    expect(JSON.stringify(response.errors)).not.toContain('no-such-org');
    expect((await t.query('lead', 'query($id: ID!) { family(id: $id) { revision } }', { id: familyId })).family.revision).toBe(before);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWithOrganizations, type OrganizationsOverHttp } from '../../support/organizations-over-http.js';

/**
 * Regression (issue 14, finding 5): a family's suspension (suspendService, a stop-work order
 * recorded one family at a time) blocked hand-offs, service of court papers and birth-date
 * corrections. Under a suspension, as under an organisation's stop-work order, unavoidable work
 * goes on (docs/STOP-WORK.md) and any other step needs a recorded reason.
 */
let t: OrganizationsOverHttp;
let familyId: string;
beforeAll(async () => {
  t = await startWithOrganizations('suspension', ['lead', 'unaffected']);
  familyId = (await t.ok('lead', 'openFamilyCase', { programme: 'SIJ' })).family.id as string;
  await t.ok('lead', 'registerChild', { familyId, childId: 'girl', givenName: 'Lupita', birthDate: '2008-01-01', nationality: 'MX' });
  await t.ok('lead', 'addRelative', { familyId, relativeId: 'father', relationship: 'FATHER', givenName: 'Ramón' });
  await t.ok('lead', 'giveConsent', { familyId, consentId: 'consent', personId: 'girl', purposes: ['transfer'], recipientOrganizationIds: ['unaffected'] });
  await t.ok('lead', 'requestDocument', { familyId, documentId: 'papers', documentType: 'COURT_PAPERS', issuingCountry: 'US', assignedOrganizationId: 'lead', needsService: true });
  await t.ok('lead', 'recordDocumentObtained', { familyId, documentId: 'papers' });
  await t.ok('lead', 'suspendService', { familyId, reason: "funder's stop-work order" });
});
afterAll(() => t?.stop());

describe('regression: a suspension blocked unavoidable work', () => {
  it.each([
    ['recordDocumentServed', { documentId: 'papers', servedPersonId: 'father' }],
    ['correctChildBirthDate', { childId: 'girl', birthDate: '2008-01-02' }],
    ['transferFamily', { toOrganizationId: 'unaffected' }],
  ] as const)('%s goes on', async (mutation, input) => {
    expect((await t.mutate('lead', mutation, { familyId, ...input })).errors).toBeUndefined();
  });

  it('other work needs a recorded reason', async () => {
    expect((await t.mutate('lead', 'addRelative', { familyId, relativeId: 'aunt', relationship: 'AUNT', givenName: 'Ana' })).errors?.[0]?.extensions.code).toBe('INVALID_TRANSITION');
    expect((await t.mutate('lead', 'addRelative', { familyId, relativeId: 'aunt', relationship: 'AUNT', givenName: 'Ana', stopWorkReason: 'the only safe caregiver' })).errors).toBeUndefined();
  });
});

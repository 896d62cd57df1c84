import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWithOrganizations, type OrganizationsOverHttp } from '../../support/organizations-over-http.js';

/**
 * Probe (hand-offs, assignments): only the lead shares a family (README "Who sees and changes
 * what", docs/HANDOFFS.md: "whatever was shared with an organisation, even at FULL scope, it
 * cannot share on"), and sharing needs a consent naming the recipient. But a Defender
 * assignment is access: the organisation named in `requestDocument` (DOCUMENT_WORK, open to a
 * DOCUMENTS referral) or `startTracing` (CASE_WORK, open to a FULL referral) then sees the
 * family, its sharing list, and, for tracing, the sought relative's given name. So a partner
 * hands the family on to any registered organisation of its choice, with no consent and without
 * the lead. Expected: the outsider sees nothing (the command refused, or the assignment giving
 * no access when the lead did not make it).
 */
let t: OrganizationsOverHttp;
let familyId: string;
const FAMILY = 'query($id: ID!) { family(id: $id) { id viewerScope assignments { kind subjectId givenName } sharing { organization { id } via } } }';

beforeAll(async () => {
  t = await startWithOrganizations('probe-assign', ['lead', 'docs-partner', 'full-partner', 'outsider-a', 'outsider-b']);
  familyId = (await t.ok('lead', 'openFamilyCase', { programme: 'ASYLUM' })).family.id as string;
  await t.ok('lead', 'registerChild', { familyId, childId: 'girl', givenName: 'Maria', birthDate: '2012-03-04', nationality: 'GT' });
  await t.ok('lead', 'addRelative', { familyId, relativeId: 'mother', relationship: 'MOTHER', givenName: 'Elena' });
  // The consent names the two partners only: neither outsider.
  await t.ok('lead', 'giveConsent', { familyId, consentId: 'consent', personId: 'mother', purposes: ['help'], recipientOrganizationIds: ['docs-partner', 'full-partner'] });
  for (const [org, scope] of [['docs-partner', 'DOCUMENTS'], ['full-partner', 'FULL']] as const) {
    await t.ok('lead', 'referFamily', { familyId, referralId: `to-${org}`, toOrganizationId: org, purpose: 'help', scope });
    await t.ok(org, 'acceptReferral', { familyId, referralId: `to-${org}` });
  }
  expect((await t.query('outsider-a', FAMILY, { id: familyId })).family).toBeNull();
  expect((await t.query('outsider-b', FAMILY, { id: familyId })).family).toBeNull();
}, 60_000);
afterAll(() => t?.stop());

describe('probe: a partner hands the family on through an assignment', () => {
  it('a DOCUMENTS partner naming an outsider in requestDocument gives the outsider no sight of the family', async () => {
    await t.mutate('docs-partner', 'requestDocument', {
      familyId, documentId: 'birth-cert', documentType: 'BIRTH_CERTIFICATE', issuingCountry: 'GT', assignedOrganizationId: 'outsider-a', subjectPersonId: 'girl',
    });
    // Fails on main: the outsider sees the family (STATUS), its assignment and who else holds access.
    expect((await t.query('outsider-a', FAMILY, { id: familyId })).family).toBeNull();
  });

  it('a FULL partner naming an outsider in startTracing gives the outsider neither the family nor the sought person\'s name', async () => {
    await t.mutate('full-partner', 'startTracing', { familyId, relativeId: 'mother', defenderOrganizationId: 'outsider-b' });
    // Fails on main: the outsider sees the family and `assignments` gives it the mother's name, "Elena".
    expect((await t.query('outsider-b', FAMILY, { id: familyId })).family).toBeNull();
  });
});

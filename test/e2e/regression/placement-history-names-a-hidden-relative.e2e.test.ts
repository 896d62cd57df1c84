import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL } from '../../support/graphql-client.js';
import { startWithOrganizations, type OrganizationsOverHttp } from '../../support/organizations-over-http.js';

/**
 * Probe (Child.placementHistory): below FULL, people named in a protection concern's "never
 * disclose to" (and adverse relatives) are withheld entirely: `relatives` leaves them out,
 * history turns every event naming them into WITHHELD. But a RELEASED step of
 * `placementHistory`, which DOCUMENTS scope sees, keeps `relativeId`: the hidden relative's
 * id as chosen (often a name), and the fact that the child was released to someone hidden from
 * the reader. Expected: no placement step names a person the scope may not see.
 */
let t: OrganizationsOverHttp;
let familyId: string;

beforeAll(async () => {
  t = await startWithOrganizations('probe-placement', ['lead', 'docs-partner']);
  familyId = (await t.ok('lead', 'openFamilyCase', { programme: 'ASYLUM' })).family.id as string;
  await t.ok('lead', 'registerChild', { familyId, childId: 'boy', givenName: 'Jose', birthDate: '2011-05-06', nationality: 'HN' });
  await t.ok('lead', 'addRelative', { familyId, relativeId: 'uncle-ramon', relationship: 'UNCLE', givenName: 'Ramon' });
  await t.ok('lead', 'addRelative', { familyId, relativeId: 'aunt', relationship: 'AUNT', givenName: 'Tia' });
  await t.ok('lead', 'recordChildDetained', { familyId, childId: 'boy', agency: 'ORR', detainedOn: '2024-01-16', facility: 'Casa Esperanza' });
  await t.ok('lead', 'recordSafetyAssessment', { familyId, relativeId: 'uncle-ramon', outcome: 'SAFE' });
  await t.ok('lead', 'recordChildReleased', { familyId, childId: 'boy', releasedOn: '2024-02-01', releasedToRelativeId: 'uncle-ramon', placement: 'RELATIVE' });
  // Later the uncle must not learn where the boy is: hidden from every scope below FULL.
  await t.ok('lead', 'recordProtectionConcern', { familyId, concernId: 'concern', kind: 'ABUSE', neverDiscloseTo: ['uncle-ramon'], subjectPersonId: 'boy' });
  await t.ok('lead', 'giveConsent', { familyId, consentId: 'consent', personId: 'boy', purposes: ['access'], recipientOrganizationIds: ['docs-partner'] });
  await t.ok('lead', 'grantAccess', { familyId, grantId: 'docs', organizationId: 'docs-partner', scope: 'DOCUMENTS' });
}, 60_000);
afterAll(() => t?.stop());

describe('probe: a placement step names a relative hidden from the reader', () => {
  it('at DOCUMENTS scope, the relative hidden from relatives and history is not in placementHistory either', async () => {
    const response = await postGraphQL(t.tracker.url, t.keys['docs-partner']!,
      'query($id: ID!) { family(id: $id) { viewerScope relatives { id } children { id placementHistory { change on relativeId } } } }', { id: familyId });
    const family = response.data.family;
    expect(family.viewerScope).toBe('DOCUMENTS');
    expect(family.relatives).toEqual([{ id: 'aunt' }]);
    // Fails on main: [{ change: 'DETAINED', ... }, { change: 'RELEASED', on: '2024-02-01', relativeId: 'uncle-ramon' }].
    expect(JSON.stringify(family.children)).not.toContain('uncle-ramon');
  });
});

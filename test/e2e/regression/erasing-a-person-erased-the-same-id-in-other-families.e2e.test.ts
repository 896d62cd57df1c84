import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueKey } from '../../support/graphql-client.js';
import { startWithOrganizations, type OrganizationsOverHttp } from '../../support/organizations-over-http.js';

/**
 * Person ids are chosen per family ("mother", "girl"), and data keys were named by the person id
 * alone: erasing the mother of one family destroyed the key of every family's "mother", whose
 * names then read as erased everywhere (data lost for people nobody asked to erase).
 */
let t: OrganizationsOverHttp;
const ADMIN = 'trk_erase-same-id_admin_key_0000000000000000000000'.slice(0, 48);
const families: string[] = [];
const FAMILY = 'query($id: ID!) { family(id: $id) { relatives { id givenName erased } children { id givenName erased } } }';

beforeAll(async () => {
  t = await startWithOrganizations('erase-same-id', ['lead']);
  t.keys['lead-admin'] = await issueKey(t.tracker.url, ADMIN, 'lead', 'lead-admin', 'ADMIN');
  for (const [child, mother] of [['Maria', 'Elena'], ['Rosa', 'Carmen']] as const) {
    const familyId = (await t.ok('lead', 'openFamilyCase', { programme: 'ASYLUM' })).family.id as string;
    await t.ok('lead', 'registerChild', { familyId, childId: 'girl', givenName: child, birthDate: '2012-03-04', nationality: 'GT' });
    await t.ok('lead', 'addRelative', { familyId, relativeId: 'mother', relationship: 'MOTHER', givenName: mother });
    families.push(familyId);
  }
}, 60_000);
afterAll(() => t?.stop());

describe('erasing a person of one family', () => {
  it('leaves the people with the same ids in other families as they were', async () => {
    await t.ok('lead-admin', 'eraseSubject', { familyId: families[0], subjectId: 'mother', reason: 'SUBJECT_REQUEST' });
    const erased = (await t.query('lead', FAMILY, { id: families[0] })).family;
    expect(erased.relatives).toEqual([{ id: 'mother', givenName: null, erased: true }]);
    expect(erased.children).toEqual([{ id: 'girl', givenName: 'Maria', erased: false }]);
    const other = (await t.query('lead', FAMILY, { id: families[1] })).family;
    expect(other.relatives).toEqual([{ id: 'mother', givenName: 'Carmen', erased: false }]);
    expect(other.children).toEqual([{ id: 'girl', givenName: 'Rosa', erased: false }]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWithOrganizations, type OrganizationsOverHttp } from '../../support/organizations-over-http.js';

/**
 * Probe (Defender assignments, writes): a Defender assigned a document sees the family at
 * STATUS scope: generated ids (`child#1`), no hidden people at all. Its document steps name
 * people by their real ids (`recordDocumentServed.servedPersonId`,
 * `recordDocumentSigned.signedByPersonId`), decided on the family's full state: an id that
 * exists is recorded, one that does not is NOT_FOUND. So the Defender tests guessed ids
 * ("father", "maria-lopez") of people it may not know of, the adverse father hidden below FULL
 * included, and records that it served him. A DOCUMENTS grant holder, the same steps, gets
 * NOT_FOUND for the hidden father (the write side decides on the family as its scope sees it).
 * Expected: the Defender's answer for the hidden father is the answer for an unknown id, and
 * nothing is recorded.
 */
let t: OrganizationsOverHttp;
let familyId: string;
const revision = async () => (await t.query('lead', 'query($id: ID!) { family(id: $id) { revision } }', { id: familyId })).family.revision as number;

beforeAll(async () => {
  t = await startWithOrganizations('probe-defender-ids', ['lead', 'defender']);
  familyId = (await t.ok('lead', 'openFamilyCase', { programme: 'SIJ' })).family.id as string;
  await t.ok('lead', 'registerChild', { familyId, childId: 'girl', givenName: 'Xiomara', birthDate: '2009-02-02', nationality: 'SV' });
  await t.ok('lead', 'addRelative', { familyId, relativeId: 'father', relationship: 'FATHER', givenName: 'Pedro', adverse: true });
  await t.ok('lead', 'requestDocument', {
    familyId, documentId: 'petition', documentType: 'COURT_PAPERS', issuingCountry: 'US', assignedOrganizationId: 'defender', needsService: true,
  });
  await t.ok('defender', 'recordDocumentObtained', { familyId, documentId: 'petition' });
}, 60_000);
afterAll(() => t?.stop());

describe('probe: a Defender tests person ids through the steps of its document', () => {
  it.each([
    ['recordDocumentServed', 'servedPersonId'],
    ['recordDocumentSigned', 'signedByPersonId'],
  ])('%s answers the hidden father as an unknown person, and records nothing', async (mutation, field) => {
    const relatives = (await t.query('defender', 'query($id: ID!) { family(id: $id) { viewerScope relatives { id } } }', { id: familyId })).family;
    expect(relatives).toEqual({ viewerScope: 'STATUS', relatives: [] });
    const before = await revision();
    const unknown = await t.mutate('defender', mutation, { familyId, documentId: 'petition', [field]: 'nobody' });
    expect(unknown.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND', field });
    const hidden = await t.mutate('defender', mutation, { familyId, documentId: 'petition', [field]: 'father' });
    // Fails on main: the step naming the hidden father is recorded.
    expect(hidden.errors?.[0]?.extensions).toEqual(unknown.errors?.[0]?.extensions);
    expect(await revision()).toBe(before);
  });
});

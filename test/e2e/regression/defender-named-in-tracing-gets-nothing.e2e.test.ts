import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWithOrganizations, type OrganizationsOverHttp } from '../../support/organizations-over-http.js';

/**
 * Regression (issue 14, finding 6e): the Defender organisation named in startTracing or
 * requestDocument got nothing (it could neither see the family nor record the work) and the
 * name was not checked. It now holds a scoped assignment: it sees the family at STATUS scope,
 * its own work in `assignments` (the real ids it records against, the sought person's given
 * name), and records that work only.
 */
let t: OrganizationsOverHttp;
let familyId: string;
const FAMILY = 'query($id: ID!) { family(id: $id) { id children { givenName } relatives { id givenName } assignments { kind subjectId relationship givenName documentType status } } }';
beforeAll(async () => {
  t = await startWithOrganizations('defender', ['lead', 'defender']);
  familyId = (await t.ok('lead', 'openFamilyCase', { programme: 'DETENTION' })).family.id as string;
  await t.ok('lead', 'registerChild', { familyId, childId: 'boy', givenName: 'Kevin', birthDate: '2012-01-01', nationality: 'HN' });
  await t.ok('lead', 'addRelative', { familyId, relativeId: 'father', relationship: 'FATHER', givenName: 'Oscar' });
  await t.ok('lead', 'addRelative', { familyId, relativeId: 'mother', relationship: 'MOTHER', givenName: 'Marta' });
  await t.ok('lead', 'startTracing', { familyId, relativeId: 'father', defenderOrganizationId: 'defender' });
  await t.ok('lead', 'requestDocument', { familyId, documentId: 'id-card', documentType: 'IDENTITY_DOCUMENT', issuingCountry: 'HN', assignedOrganizationId: 'defender' });
});
afterAll(() => t?.stop());

describe('regression: the Defender named in tracing got nothing', () => {
  it('sees the family at STATUS scope, and its own assignments with what it needs to do them', async () => {
    const family = (await t.query('defender', FAMILY, { id: familyId })).family;
    expect(family.children).toEqual([{ givenName: null }]);
    expect(family.relatives).toEqual([{ id: 'relative#1', givenName: null }, { id: 'relative#2', givenName: null }]);
    expect(family.assignments).toEqual([
      { kind: 'TRACING', subjectId: 'father', relationship: 'FATHER', givenName: 'Oscar', documentType: null, status: 'TRACING' },
      { kind: 'DOCUMENT', subjectId: 'id-card', relationship: null, givenName: null, documentType: 'IDENTITY_DOCUMENT', status: 'REQUESTED' },
    ]);
    expect((await t.query('lead', FAMILY, { id: familyId })).family.assignments).toEqual([]);
  });

  it('records the tracing of that person and the steps of that document, and nothing else', async () => {
    expect((await t.mutate('defender', 'recordContactAttempt', { familyId, relativeId: 'father', channel: 'PHONE', result: 'REACHED' })).errors).toBeUndefined();
    expect((await t.mutate('defender', 'recordParentLocated', { familyId, relativeId: 'father', country: 'HN', method: 'FIELD_VISIT' })).errors).toBeUndefined();
    expect((await t.mutate('defender', 'recordDocumentObtained', { familyId, documentId: 'id-card' })).errors).toBeUndefined();
    for (const [mutation, input] of [
      ['recordContactAttempt', { relativeId: 'mother', channel: 'PHONE', result: 'REACHED' }],
      ['recordDocumentFiled', { documentId: 'id-card' }],
      ['addRelative', { relativeId: 'aunt', relationship: 'AUNT', givenName: 'Ana' }],
    ] as const) {
      expect((await t.mutate('defender', mutation, { familyId, ...input })).errors?.[0]?.extensions.code, mutation).toBe('FORBIDDEN');
    }
    const family = (await t.query('lead', 'query($id: ID!) { family(id: $id) { relatives { id locationStatus } documents { id status } } }', { id: familyId })).family;
    expect(family.relatives).toContainEqual({ id: 'father', locationStatus: 'LOCATED' });
    expect(family.documents).toEqual([{ id: 'id-card', status: 'OBTAINED' }]);
  });

  it('a Defender that does not exist is refused, naming the field', async () => {
    const response = await t.mutate('lead', 'startTracing', { familyId, relativeId: 'mother', defenderOrganizationId: 'nobody' });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'defenderOrganizationId' });
  });
});

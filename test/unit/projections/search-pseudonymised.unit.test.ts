import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PLAIN_FIELDS, pseudonymisedData } from '../../../projections/search/search-projection.js';
import { personRef, termHasher } from '../../../projections/search/search-terms.js';

/**
 * The search index folds events pseudonymised, deny by default: a string stays as written only
 * in a field listed in PLAIN_FIELDS; every other string, in a field no list names (a new one
 * included), nested or in an array, becomes a keyed hash, the same text always the same hash.
 */
const hash = termHasher(randomBytes(32));
const word = (text: string): string => String(hash('word', text));

/** Every string of a value with the field it is under. */
const strings = (value: unknown, field = ''): Array<[string, string]> => {
  if (typeof value === 'string') return [[field, value]];
  if (Array.isArray(value)) return value.flatMap((element) => strings(element, field));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, inner]) => strings(inner, key));
  return [];
};

describe('the search index pseudonymisation', () => {
  it('hashes a string field it has never heard of, nested or in a list, and keeps listed ones', () => {
    const data = pseudonymisedData('DocumentRequested', {
      documentId: 'doc-of-juana', documentType: 'BIRTH_CERTIFICATE', assignedOrganizationId: 'org-b', issuingCountry: 'GT',
      futureNote: 'Freetextcanary', futureList: ['Listcanary'], futureObject: { note: 'Nestedcanary', organizationId: 'org-c', count: 3 },
    }, 'fam-1', hash);
    expect(JSON.stringify(data).toLowerCase()).not.toContain('canary');
    expect(JSON.stringify(data)).not.toContain('juana');
    expect(data).toEqual({
      documentId: word('doc-of-juana'), documentType: 'BIRTH_CERTIFICATE', assignedOrganizationId: 'org-b', issuingCountry: 'GT',
      futureNote: word('Freetextcanary'), futureList: [word('Listcanary')], futureObject: { note: word('Nestedcanary'), organizationId: 'org-c', count: 3 },
    });
  });

  it('every string it keeps is under a listed field; person ids become person refs, personal values blanks', () => {
    const data = pseudonymisedData('RelativeAdded', {
      relativeId: 'mama-juana', relationship: 'MOTHER', adverse: false, biological: true, vitalStatus: 'ALIVE',
      personal: { subjectId: 'mama-juana', givenName: 'Juana', phone: '+52 55 1234 5678' },
    }, 'fam-1', hash);
    const ref = String(personRef(hash, 'fam-1', 'mama-juana'));
    expect(data).toEqual({ relativeId: ref, relationship: 'MOTHER', adverse: false, biological: true, vitalStatus: 'ALIVE', personal: { subjectId: ref, givenName: '', phone: '' } });
    for (const [field, text] of strings(data)) expect(PLAIN_FIELDS.has(field) || text === '' || text === ref, `${field}`).toBe(true);
  });

  it('keeps a reason only where it is a code; a separation place list names children by ref', () => {
    expect(pseudonymisedData('FamilyCaseClosed', { reason: 'WITHDRAWN' }, 'fam-1', hash)).toEqual({ reason: 'WITHDRAWN' });
    expect(pseudonymisedData('SomeFutureEvent', { reason: 'Because of Juana' }, 'fam-1', hash)).toEqual({ reason: word('Because of Juana') });
    const places = pseudonymisedData('SeparationRecorded', { places: [{ childId: 'c1', personal: { subjectId: 'c1', place: 'Tapachula' } }] }, 'fam-1', hash);
    const ref = String(personRef(hash, 'fam-1', 'c1'));
    expect(places).toEqual({ places: [{ childId: ref, personal: { subjectId: ref, place: '' } }] });
  });
});

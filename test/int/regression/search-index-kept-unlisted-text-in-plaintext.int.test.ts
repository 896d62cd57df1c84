import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Projector } from '../../../projections/projector.js';
import { openSearchIndexFile } from '../../../projections/search/search-index-file.js';
import { createSearchProjection } from '../../../projections/search/search-projection.js';
import { termHasher } from '../../../projections/search/search-terms.js';
import { command, country, date } from '../../support/family-fixtures.js';
import { openFamilyHarness, type FamilyHarness } from '../../support/family-harness.js';

/**
 * Regression (issue 17 review leftover, search index privacy): the search index pseudonymised a
 * listed set of free-word fields (purposes, purpose, reference, language) and kept every other
 * string of an event as written, so text in a field nobody listed reached `search_families` in
 * plaintext: every id a client chooses (document, matter, consent ids, which may hold a name:
 * only person ids were hashed) and any new free-text field. Now only listed fields stay
 * plain (PLAIN_FIELDS): the rest are keyed hashes. Real event store, real index file, real
 * command handler.
 */
let h: FamilyHarness;
const key = randomBytes(32);
const T0 = { issuedAt: '2024-01-01T10:00:00.000Z', occurredAt: '2024-01-01T10:00:00.000Z' };

beforeEach(() => {
  h = openFamilyHarness();
});
afterEach(async () => {
  await h.close();
});

const indexText = async (): Promise<string> => {
  const file = join(h.file, '..', 'search-index.sqlite');
  const db = openSearchIndexFile(file, key);
  const projector = new Projector(h.store, db, [createSearchProjection(termHasher(key))]);
  await projector.catchUp();
  await projector.stop();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return readFileSync(file).toString('latin1').toLowerCase();
};

describe('the search index file', () => {
  it('holds no text of a field not listed as plain: ids chosen by the client', async () => {
    await h.execute(command('OpenFamilyCase', { familyId: 'fam-1', leadOrganizationId: 'org-a', programme: 'SIJ', actor: { userId: 'u', organizationId: 'org-a', role: 'ADVOCATE' }, ...T0 }));
    await h.execute(command('RegisterChild', { familyId: 'fam-1', childId: 'c1', givenName: 'Ana', birthDate: date('2010-03-01'), birthDateEstimated: false, nationality: country('GT'), languages: [], needsInterpreter: false, ...T0 }));
    await h.execute(command('OpenLegalMatter', { familyId: 'fam-1', matterId: 'matter-juanacanary', matterType: 'SIJ', childId: 'c1', jurisdiction: 'US-NY', ...T0 }));
    await h.organizations('org-b');
    await h.execute(command('RequestDocument', {
      familyId: 'fam-1', documentId: 'doc-juanacanary', documentType: 'BIRTH_CERTIFICATE', issuingCountry: country('GT'), assignedOrganizationId: 'org-b',
      subjectPersonId: 'c1', needsLegalisation: false, needsTranslation: false, needsService: false, ...T0,
    }));
    const text = await indexText();
    for (const canary of ['juanacanary']) expect(text.includes(canary), canary).toBe(false);
    // The check can fail: what may stay plain is there (the family's server-made id, organisation ids, a code).
    for (const plain of ['fam-1', 'org-a', 'org-b', 'birth_certificate']) expect(text.includes(plain), plain).toBe(true);
  });
});

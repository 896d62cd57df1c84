import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Projector } from '../../../projections/projector.js';
import { openSearchIndexFile } from '../../../projections/search/search-index-file.js';
import { createSearchProjection } from '../../../projections/search/search-projection.js';
import { termHasher } from '../../../projections/search/search-terms.js';
import { command, country, date, PARTNER } from '../../support/family-fixtures.js';
import { openFamilyHarness, type FamilyHarness } from '../../support/family-harness.js';

/**
 * The search projection writes a family's postings proportionally to the change (a new, ended or
 * re-dated access; people who gained terms; everything only when the hidden people change) and
 * keeps folded states between batches. Its rows must be those a rebuild from the first event
 * writes: one batch per command here (each path taken), then a fresh index over the same store.
 */
let h: FamilyHarness;
const key = randomBytes(32);
const hash = termHasher(key);
const at = (iso: string) => ({ issuedAt: iso, occurredAt: iso });
const T0 = at('2024-01-01T10:00:00.000Z');
const opened: Array<{ db: Database.Database; projector: Projector }> = [];

const openIndex = (name: string) => {
  const db = openSearchIndexFile(join(h.file, '..', name), key);
  const projector = new Projector(h.store, db, [createSearchProjection(hash)]);
  opened.push({ db, projector });
  return { db, projector };
};

/** Every row of the index but the folded states, people named by family and ref (keys are the index's own). */
const rowsOf = (db: Database.Database) => ({
  people: db.prepare('SELECT family_id, person_ref, person_kind FROM search_people ORDER BY 1, 2').safeIntegers(true).all(),
  terms: db.prepare('SELECT p.family_id, p.person_ref, t.term, t.match FROM search_terms t JOIN search_people p USING (person_key) ORDER BY 1, 2, 3, 4').safeIntegers(true).all(),
  postings: db.prepare(`SELECT s.organization_id, s.audience, s.term, s.match, p.family_id, p.person_ref, s.expires_at
    FROM search_postings s JOIN search_people p USING (person_key) ORDER BY 1, 2, 3, 4, 5, 6`).safeIntegers(true).all(),
});

beforeEach(() => {
  h = openFamilyHarness();
});
afterEach(async () => {
  for (const { db, projector } of opened.splice(0)) {
    await projector.stop();
    db.close();
  }
  await h.close();
});

describe('search postings written batch by batch', () => {
  it('equal those of a rebuild after access is referred, accepted, granted, re-dated, revoked, and people are added, hidden and erased', async () => {
    const live = openIndex('live.sqlite');
    const step = async (type: Parameters<typeof command>[0], fields: Record<string, unknown>) => {
      await h.execute(command(type, { familyId: 'fam-1', ...T0, ...fields }));
      await live.projector.catchUp();
    };
    await h.organizations('org-b', 'org-d');
    await step('OpenFamilyCase', { leadOrganizationId: 'org-a', programme: 'SEPARATED_FAMILY', actor: { userId: 'u', organizationId: 'org-a', role: 'ADVOCATE' } });
    await step('RegisterChild', { childId: 'c1', givenName: 'Xiomara', familyName: 'González', birthDate: date('2010-03-01'), birthDateEstimated: false, nationality: country('GT'), languages: [], needsInterpreter: false });
    await step('AddRelative', { relativeId: 'r1', relationship: 'FATHER', givenName: 'José', familyName: 'Hernández', phone: '+52 55 1234 5678', biological: true, vitalStatus: 'ALIVE', adverse: false });
    await step('GiveConsent', { consentId: 'consent', personId: 'c1', purposes: ['tracing', 'access'], recipientOrganizationIds: ['org-b', 'org-d'] });
    await step('ReferFamily', { referralId: 'ref-1', toOrganizationId: 'org-b', purpose: 'tracing', scope: 'DOCUMENTS', ...at('2024-01-02T00:00:00.000Z') });
    await step('AcceptReferral', { referralId: 'ref-1', actor: PARTNER, ...at('2024-01-03T00:00:00.000Z') });
    await step('GrantAccess', { grantId: 'g-1', organizationId: 'org-d', scope: 'DOCUMENTS', expiresAt: '2024-05-01T00:00:00.000Z' });
    // A second grant to the same organisation with a later expiry: the same postings, re-dated.
    await step('GrantAccess', { grantId: 'g-2', organizationId: 'org-d', scope: 'DOCUMENTS', expiresAt: '2024-09-01T00:00:00.000Z' });
    await step('RecordIdentifier', { personId: 'c1', kind: 'A_NUMBER', value: 'A-209-876-543' });
    await step('AddRelative', { relativeId: 'r2', relationship: 'UNCLE', givenName: 'Adverso', familyName: 'González', biological: true, vitalStatus: 'ALIVE', adverse: true });
    await step('RevokeAccess', { grantId: 'g-2' });
    await step('RevokeReferral', { referralId: 'ref-1', ...at('2024-01-04T00:00:00.000Z') });
    await step('EraseSubject', { subjectId: 'r1', reason: 'SUBJECT_REQUEST', actor: { userId: 'admin', organizationId: 'org-a', role: 'ADMIN' } });
    const rebuilt = openIndex('rebuilt.sqlite');
    await rebuilt.projector.catchUp();
    const liveRows = rowsOf(live.db);
    // The check can fail: the family's people have postings at several organisations, expiries included.
    expect(new Set(liveRows.postings.map((row) => (row as { organization_id: string }).organization_id))).toEqual(new Set(['org-a', 'org-d']));
    expect(liveRows.postings.some((row) => (row as { expires_at: string | null }).expires_at === '2024-05-01T00:00:00.000Z')).toBe(true);
    expect(liveRows).toEqual(rowsOf(rebuilt.db));
  });
});

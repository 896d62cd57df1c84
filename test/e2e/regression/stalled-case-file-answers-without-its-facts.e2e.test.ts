import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, eventually, rawGraphQL } from '../../support/raw-http.js';
import { startWithOrganizations, type OrganizationsOverHttp } from '../../support/organizations-over-http.js';

/**
 * The read-model guard answered 503 only while the organisations or families projection could
 * not answer: with the case file stalled (or building a new version), the API went on answering
 * families whose case-file facts (identifiers, contact attempts, consents...) were frozen or
 * missing, as if current. Now the case file is guarded like them. The stall is made the only
 * way the API does not allow: one of its tables taken away behind the projector's back.
 */
let t: OrganizationsOverHttp;
let familyId: string;

beforeAll(async () => {
  t = await startWithOrganizations('stalled-casefile', ['lead']);
  familyId = (await t.ok('lead', 'openFamilyCase', { programme: 'ASYLUM' })).family.id as string;
  await t.ok('lead', 'registerChild', { familyId, childId: 'girl', givenName: 'Maria', birthDate: '2012-03-04', nationality: 'GT' });
}, 60_000);
afterAll(() => t?.stop());

describe('a stalled case file', () => {
  it('makes the API answer UNAVAILABLE (503) instead of families with frozen facts', async () => {
    const db = new Database(join(t.dataDir, 'read-models.sqlite'));
    try {
      const { version } = db.prepare("SELECT version FROM projection_checkpoints WHERE name = 'casefile' AND active = 1").get() as { version: number };
      // Its rows are written with INSERT OR REPLACE: the table taken away is what makes the next event fail.
      db.exec(`DROP VIEW casefile_identifiers; ALTER TABLE casefile_identifiers__v${String(version)} RENAME TO planted_away`);
    } finally {
      db.close();
    }
    const recorded = await rawGraphQL(t.tracker.url, t.keys['lead'], 'mutation($input: RecordIdentifierInput!) { recordIdentifier(input: $input) { revision } }',
      { input: { familyId, personId: 'girl', kind: 'A_NUMBER', value: 'A123456789' } });
    // The write stands; the case file never gets past it.
    expect(codeOf(recorded)).toBe('UNAVAILABLE');
    const read = await eventually(10_000, 'the projector to record the stall', async () => {
      const answer = await rawGraphQL(t.tracker.url, t.keys['lead'], 'query($id: ID!) { family(id: $id) { id children { givenName } } }', { id: familyId });
      return answer.status === 503 ? answer : undefined;
    });
    expect(codeOf(read)).toBe('UNAVAILABLE');
    expect(read.body.data?.['family'] ?? null).toBeNull();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWithOrganizations, type OrganizationsOverHttp } from '../../support/organizations-over-http.js';

/**
 * Probe (possible duplicates): an organisation that sees another organisation's family at
 * STATUS scope (a STATUS referral here; a Defender assignment or a pending referral would do)
 * sees only generated ids there (`child#1`): client-chosen ids may carry names. But
 * `decidePossibleDuplicate` on its own family checks `otherPersonId` against the other
 * family's real ids (schema/resolvers/duplicates.ts, checkOtherPersonVisible): a real id is
 * recorded, an unknown one is NOT_FOUND. That is an oracle on the other family's person ids
 * (guess "maria-lopez"), and a decision recorded about a person the caller cannot see by that
 * id. Duplicates are only offered from DOCUMENTS scope up (search), so deciding on one seen at
 * STATUS has no use. Expected: a real id answers exactly as an unknown one, nothing recorded.
 */
let t: OrganizationsOverHttp;
let theirs: string;
let mine: string;

beforeAll(async () => {
  t = await startWithOrganizations('probe-dup-status', ['their-lead', 'status-reader']);
  theirs = (await t.ok('their-lead', 'openFamilyCase', { programme: 'ASYLUM' })).family.id as string;
  await t.ok('their-lead', 'registerChild', { familyId: theirs, childId: 'maria-lopez', givenName: 'Maria', familyName: 'Lopez', birthDate: '2012-03-04', nationality: 'GT' });
  await t.ok('their-lead', 'giveConsent', { familyId: theirs, consentId: 'consent', personId: 'maria-lopez', purposes: ['status'], recipientOrganizationIds: ['status-reader'] });
  await t.ok('their-lead', 'referFamily', { familyId: theirs, referralId: 'status-only', toOrganizationId: 'status-reader', purpose: 'status', scope: 'STATUS' });
  await t.ok('status-reader', 'acceptReferral', { familyId: theirs, referralId: 'status-only' });
  mine = (await t.ok('status-reader', 'openFamilyCase', { programme: 'ASYLUM' })).family.id as string;
  await t.ok('status-reader', 'registerChild', { familyId: mine, childId: 'mine', givenName: 'Ana', birthDate: '2013-01-01', nationality: 'GT' });
}, 60_000);
afterAll(() => t?.stop());

describe('probe: decidePossibleDuplicate against a family seen at STATUS scope', () => {
  it('answers a real person id of that family exactly as an unknown one, and records nothing', async () => {
    const seen = (await t.query('status-reader', 'query($id: ID!) { family(id: $id) { viewerScope children { id } } }', { id: theirs })).family;
    expect(seen).toEqual({ viewerScope: 'STATUS', children: [{ id: 'child#1' }] });
    const decide = (otherPersonId: string) =>
      t.mutate('status-reader', 'decidePossibleDuplicate', { familyId: mine, personId: 'mine', otherFamilyId: theirs, otherPersonId, samePerson: false }, 'revision');
    const unknown = await decide('nobody-here');
    expect(unknown.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
    const real = await decide('maria-lopez');
    // Fails on main: the real id is accepted (data, no error) while the unknown one is NOT_FOUND.
    expect(real.errors?.[0]?.extensions).toEqual(unknown.errors?.[0]?.extensions);
    expect((await t.query('status-reader', 'query($id: ID!) { family(id: $id) { revision } }', { id: mine })).family.revision).toBe(1);
  });
});

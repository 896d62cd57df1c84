import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL } from '../../support/graphql-client.js';
import { startWithOrganizations, type OrganizationsOverHttp } from '../../support/organizations-over-http.js';

/**
 * Probe (possible duplicates, history, export): the lead of family A, who also sees family B
 * (a FULL referral from B's lead), decides that a child of A is the same person as a child of
 * B. `PossibleDuplicateDecided` in A's stream keeps `otherFamilyId` and `otherPersonId` as
 * written, and the allowlist shows both at FULL. So every FULL reader of A (a FULL grant, a
 * former lead keeping read access) reads B's id and B's client-chosen person id (here the
 * child's name) although B does not exist for them (`family(B)` is null). Expected: the other
 * family and person are shown only to readers who may see them (else withheld, as fields
 * the scope does not show).
 */
let t: OrganizationsOverHttp;
let a: string;
let b: string;

beforeAll(async () => {
  t = await startWithOrganizations('probe-dup-history', ['a-lead', 'b-lead', 'a-reader']);
  b = (await t.ok('b-lead', 'openFamilyCase', { programme: 'ASYLUM' })).family.id as string;
  await t.ok('b-lead', 'registerChild', { familyId: b, childId: 'jose-perez', givenName: 'Jose', familyName: 'Perez', birthDate: '2011-05-06', nationality: 'HN' });
  await t.ok('b-lead', 'giveConsent', { familyId: b, consentId: 'consent', personId: 'jose-perez', purposes: ['help'], recipientOrganizationIds: ['a-lead'] });
  await t.ok('b-lead', 'referFamily', { familyId: b, referralId: 'to-a', toOrganizationId: 'a-lead', purpose: 'help', scope: 'FULL' });
  await t.ok('a-lead', 'acceptReferral', { familyId: b, referralId: 'to-a' });

  a = (await t.ok('a-lead', 'openFamilyCase', { programme: 'ASYLUM' })).family.id as string;
  await t.ok('a-lead', 'registerChild', { familyId: a, childId: 'boy', givenName: 'Jose', familyName: 'Perez', birthDate: '2011-05-06', nationality: 'HN' });
  await t.ok('a-lead', 'decidePossibleDuplicate', { familyId: a, personId: 'boy', otherFamilyId: b, otherPersonId: 'jose-perez', samePerson: true });
  await t.ok('a-lead', 'giveConsent', { familyId: a, consentId: 'consent', personId: 'boy', purposes: ['access'], recipientOrganizationIds: ['a-reader'] });
  await t.ok('a-lead', 'grantAccess', { familyId: a, grantId: 'full', organizationId: 'a-reader', scope: 'FULL' });
}, 60_000);
afterAll(() => t?.stop());

describe("probe: a duplicate decision in A's history names family B to readers who cannot see B", () => {
  it("A's FULL reader, for whom B does not exist, reads neither B's id nor its person id", async () => {
    expect((await t.query('a-reader', 'query($id: ID!) { family(id: $id) { id } }', { id: b })).family).toBeNull();
    const response = await postGraphQL(t.tracker.url, t.keys['a-reader']!, 'query($id: ID!) { familyHistory(familyId: $id, first: 50) { edges { node { type data } } } }', { id: a });
    const text = JSON.stringify(response);
    expect(text).toContain('PossibleDuplicateDecided');
    // Fails on main: data is { otherFamilyId: <B's id>, otherPersonId: "jose-perez", ... }.
    expect(text).not.toContain(b);
    expect(text).not.toContain('jose-perez');
  });
});

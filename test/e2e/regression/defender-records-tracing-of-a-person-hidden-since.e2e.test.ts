import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWithOrganizations, type OrganizationsOverHttp } from '../../support/organizations-over-http.js';

/**
 * Probe (Defender assignments, writes): the lead assigns the tracing of the mother to a
 * Defender, then records a protection concern naming the mother in "never disclose to". From
 * then on she is hidden below FULL: the Defender's `assignments` drops her (docs/HANDOFFS.md: "a
 * person hidden from STATUS scope is never shown in an assignment"), and a DOCUMENTS partner's
 * tracing step about a hidden relative is NOT_FOUND, as for an unknown id. But the Defender
 * still records contact attempts with her and her location (access-policy.ts assignedWork
 * looks at the assignment only, not at who is hidden). Expected: refused exactly as a step about
 * a relative it was not assigned (FORBIDDEN, the same for an unknown id), nothing recorded.
 */
let t: OrganizationsOverHttp;
let familyId: string;
const revision = async () => (await t.query('lead', 'query($id: ID!) { family(id: $id) { revision } }', { id: familyId })).family.revision as number;

beforeAll(async () => {
  t = await startWithOrganizations('probe-defender-hidden', ['lead', 'defender']);
  familyId = (await t.ok('lead', 'openFamilyCase', { programme: 'ASYLUM' })).family.id as string;
  await t.ok('lead', 'registerChild', { familyId, childId: 'kid', givenName: 'Lucia', birthDate: '2010-02-02', nationality: 'SV' });
  await t.ok('lead', 'addRelative', { familyId, relativeId: 'mom', relationship: 'MOTHER', givenName: 'Carmen' });
  await t.ok('lead', 'startTracing', { familyId, relativeId: 'mom', defenderOrganizationId: 'defender' });
  await t.ok('lead', 'recordProtectionConcern', { familyId, concernId: 'concern', kind: 'ABUSE', neverDiscloseTo: ['mom'], subjectPersonId: 'kid' });
}, 60_000);
afterAll(() => t?.stop());

describe('probe: a Defender keeps tracing a person hidden from it since the assignment', () => {
  it('its tracing steps about the now hidden relative are refused like a step about an unknown relative, and change nothing', async () => {
    // Its only work was on the mother: it no longer sees the family at all (docs/HANDOFFS.md).
    expect((await t.query('defender', 'query($id: ID!) { family(id: $id) { assignments { subjectId } } }', { id: familyId })).family?.assignments ?? []).toEqual([]);
    const before = await revision();
    const unknown = await t.mutate('defender', 'recordContactAttempt', { familyId, relativeId: 'nobody', channel: 'PHONE', result: 'NO_ANSWER' });
    const hidden = await t.mutate('defender', 'recordContactAttempt', { familyId, relativeId: 'mom', channel: 'PHONE', result: 'NO_ANSWER' });
    const located = await t.mutate('defender', 'recordParentLocated', { familyId, relativeId: 'mom', country: 'SV', method: 'PHONE' });
    // Fails on main: both steps about the hidden mother are recorded.
    expect(hidden.errors?.[0]?.extensions).toEqual(unknown.errors?.[0]?.extensions);
    expect(located.errors?.[0]?.extensions).toEqual(unknown.errors?.[0]?.extensions);
    expect(await revision()).toBe(before);
  });
});

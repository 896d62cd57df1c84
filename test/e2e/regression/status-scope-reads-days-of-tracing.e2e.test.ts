import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL } from '../../support/graphql-client.js';
import { startWithOrganizations, type OrganizationsOverHttp } from '../../support/organizations-over-http.js';

/**
 * Probe (STATUS scope, dates): README: a STATUS reader gets "deadlines by kind and calendar
 * month only; no names, dates or locations", and history instants "as the first instant of their
 * month". Yet the day tracing started is shown to STATUS as recorded, in four places: history
 * data (`TracingStarted.startedOn`, allowlisted `everyone`), the timeline sentence built from
 * it, `Relative.notLocatedSince` and `unlocatedRelatives.notLocatedSince`; the envelope of the
 * same event says only the month. (`RelativeLocated.locatedOn` is `everyone` too, with the
 * comment that "every scope sees [occurredAt] in the envelope", no longer true at STATUS.)
 * Expected: the month at most, as for the envelope.
 */
let t: OrganizationsOverHttp;
let familyId: string;
/** A day in the middle of last month: never the first, so a month-precise instant never contains it. */
const startedOn = (() => {
  const day = new Date();
  day.setUTCDate(1);
  day.setUTCDate(day.getUTCDate() - 14);
  return day.toISOString().slice(0, 10);
})();

beforeAll(async () => {
  t = await startWithOrganizations('probe-days', ['lead', 'status-partner', 'defender']);
  familyId = (await t.ok('lead', 'openFamilyCase', { programme: 'ASYLUM' })).family.id as string;
  await t.ok('lead', 'registerChild', { familyId, childId: 'kid', givenName: 'Lucia', birthDate: '2010-02-02', nationality: 'SV' });
  await t.ok('lead', 'addRelative', { familyId, relativeId: 'mom', relationship: 'MOTHER', givenName: 'Carmen' });
  await t.ok('lead', 'startTracing', { familyId, relativeId: 'mom', defenderOrganizationId: 'defender', occurredAt: `${startedOn}T10:00:00Z` });
  await t.ok('lead', 'giveConsent', { familyId, consentId: 'consent', personId: 'kid', purposes: ['access'], recipientOrganizationIds: ['status-partner'] });
  await t.ok('lead', 'grantAccess', { familyId, grantId: 'status', organizationId: 'status-partner', scope: 'STATUS' });
}, 60_000);
afterAll(() => t?.stop());

describe('probe: STATUS scope reads the day tracing started', () => {
  it.each(['status-partner', 'defender'])('%s sees that day nowhere', async (reader) => {
    const response = await postGraphQL(t.tracker.url, t.keys[reader]!, `query($id: ID!) {
      family(id: $id) { viewerScope relatives { notLocatedSince } timeline { edges { node { type occurredOn sentence } } } }
      familyHistory(familyId: $id, first: 50) { edges { node { type occurredAt data } } }
      unlocatedRelatives { edges { node { notLocatedSince } } }
    }`, { id: familyId });
    expect(response.data.family.viewerScope).toBe('STATUS');
    const tracing = response.data.familyHistory.edges.find((edge: { node: { type: string } }) => edge.node.type === 'TracingStarted').node;
    expect(tracing.occurredAt).toBe(`${startedOn.slice(0, 7)}-01T00:00:00.000Z`);
    // Fails on main: startedOn, notLocatedSince (twice) and the sentence "Started tracing relative#1 on <day>" carry the day.
    expect(JSON.stringify(response.data)).not.toContain(startedOn);
  });
});

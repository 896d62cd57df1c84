import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWithOrganizations, type OrganizationsOverHttp } from '../../support/organizations-over-http.js';

/**
 * `family(id, atRevision:)` shows the family as of that revision, but its `timeline` read the
 * stream to its end: the past family listed steps recorded after the point it was shown at.
 */
let t: OrganizationsOverHttp;
let familyId: string;

beforeAll(async () => {
  t = await startWithOrganizations('past-timeline', ['lead']);
  familyId = (await t.ok('lead', 'openFamilyCase', { programme: 'ASYLUM' })).family.id as string;
  await t.ok('lead', 'registerChild', { familyId, childId: 'girl', givenName: 'Maria', birthDate: '2012-03-04', nationality: 'GT' });
  await t.ok('lead', 'addRelative', { familyId, relativeId: 'mother', relationship: 'MOTHER', givenName: 'Elena' });
  await t.ok('lead', 'startTracing', { familyId, relativeId: 'mother', defenderOrganizationId: 'lead' });
}, 60_000);
afterAll(() => t?.stop());

describe('the timeline of a family shown as of a past revision', () => {
  it('ends at that revision, and counts only up to it', async () => {
    const read = await t.query('lead', `query($id: ID!) {
      now: family(id: $id) { revision timeline { totalCount edges { node { revision } } } }
      past: family(id: $id, atRevision: 1) { revision timeline { totalCount edges { node { revision } } } }
    }`, { id: familyId });
    expect(read.now.timeline.edges.length).toBe(read.now.revision + 1);
    expect(read.past.revision).toBe(1);
    expect(read.past.timeline.edges.map((edge: { node: { revision: number } }) => edge.node.revision)).toEqual([0, 1]);
    expect(read.past.timeline.totalCount).toBe(2);
  });
});

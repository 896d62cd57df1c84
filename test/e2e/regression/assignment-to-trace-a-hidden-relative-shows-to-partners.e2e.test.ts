import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf } from '../../support/graphql-client.js';
import { referAndAccept, startProbeWorld, type ProbeWorld } from '../../support/probe-world.js';

/**
 * Finding (s5-probe), severity HIGH: when the lead starts tracing a relative hidden below FULL
 * (an adverse father, say, to serve him papers), a STATUS partner reads in `Family.sharing` an
 * ASSIGNMENT to the Defender doing it, and `families(filter: { assignedOrganizationId })`
 * matches the family (and the caseload export names it in `assignedDefenders`), although no
 * person it may see is traced: it learns that a hidden person
 * exists, is being looked for, and by whom.
 * Rule: issue 12 item 3 and ARCHITECTURE "Access" (figures on the family as the reader may see
 * it: hidden people and what is recorded about them are dropped before anything is computed);
 * docs/HANDOFFS.md ("A person hidden from STATUS scope is never shown in an assignment").
 *
 * Two families differ only in whether the hidden father is traced (in the other, a consent is
 * recorded instead: an event STATUS sees as WITHHELD, so both histories look alike).
 */
let world: ProbeWorld;
let traced: string;
let control: string;

const openFamily = async (traceTheHiddenFather: boolean): Promise<string> => {
  const id = (await world.ok('lead', 'openFamilyCase', { programme: 'SEPARATED_FAMILY' })).family.id as string;
  await world.ok('lead', 'registerChild', { familyId: id, childId: 'girl', givenName: 'Lupita', birthDate: '2010-05-04', nationality: 'MX' });
  await world.ok('lead', 'addRelative', { familyId: id, relativeId: 'mother', relationship: 'MOTHER', givenName: 'Rosa' });
  await world.ok('lead', 'addRelative', { familyId: id, relativeId: 'father', relationship: 'FATHER', givenName: 'Abuser', adverse: true });
  if (traceTheHiddenFather) await world.ok('lead', 'startTracing', { familyId: id, relativeId: 'father', defenderOrganizationId: 'defender' });
  else await world.ok('lead', 'giveConsent', { familyId: id, consentId: 'other', personId: 'mother', purposes: ['records'], recipientOrganizationIds: ['lead'] });
  await referAndAccept(world, id, 'mother', 'partner', 'STATUS');
  return id;
};

const SEEN = `query($id: ID!) { family(id: $id) {
  status revision blockers relatives { id relationship locationStatus } assignments { __typename }
  sharing { via scope status organization { id } }
} familyHistory(familyId: $id) { edges { node { type revision } } } }`;

beforeAll(async () => {
  world = await startProbeWorld(['lead', 'partner', 'defender']);
  traced = await openFamily(true);
  control = await openFamily(false);
});
afterAll(async () => world?.stop());

describe('an assignment to trace a person hidden from STATUS', () => {
  it('the two families read the same to the STATUS partner apart from sharing (the setup is fair)', async () => {
    const a = dataOf(await world.gql(world.keys['partner']!, SEEN, { id: traced }));
    const b = dataOf(await world.gql(world.keys['partner']!, SEEN, { id: control }));
    const withoutSharing = (seen: any) => ({ ...seen, family: { ...seen.family, sharing: undefined } });
    expect(withoutSharing(a)).toEqual(withoutSharing(b));
  });

  it('is not listed in Family.sharing for a STATUS partner', async () => {
    const sharingOf = async (id: string) => dataOf(await world.gql(world.keys['partner']!, SEEN, { id })).family.sharing;
    expect(await sharingOf(traced)).toEqual(await sharingOf(control));
  });

  it('does not make the family match families(filter: { assignedOrganizationId }) for a STATUS partner', async () => {
    const matched = dataOf(await world.gql(world.keys['partner']!, 'query { families(filter: { assignedOrganizationId: "defender" }) { edges { node { id } } } }'))
      .families.edges.map((edge: { node: { id: string } }) => edge.node.id);
    // Whatever the filter answers, it must not tell the two families apart.
    expect(matched.includes(traced)).toBe(matched.includes(control));
  });

  it("does not name the Defender in the STATUS partner's caseload export (assignedDefenders)", async () => {
    const response = await fetch(`${world.tracker.url}/exports/caseload.csv`, { headers: { authorization: `Bearer ${world.keys['partner']!}` } });
    expect(response.status).toBe(200);
    const [header, ...rows] = (await response.text()).replace(/^\uFEFF/, '').trim().split('\n');
    const column = header!.split(',').indexOf('assignedDefenders');
    expect(column).toBeGreaterThan(-1);
    const cell = (id: string) => rows.find((row) => row.startsWith(id))?.split(',')[column];
    expect(cell(traced)).toBe(cell(control));
  });

  it('gives the Defender, whose only work is on the hidden person, no sight of the family (it has nothing it may do there)', async () => {
    // Its tracing steps on the hidden father are refused (docs/HANDOFFS.md), its assignments list is empty.
    const seen = dataOf(await world.gql(world.keys['defender']!, 'query($id: ID!) { family(id: $id) { id viewerScope assignments { __typename } } }', { id: traced })).family;
    expect(seen).toBeNull();
  });
});

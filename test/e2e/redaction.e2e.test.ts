import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL } from '../support/graphql-client.js';
import { makeTempDir } from '../support/temp-dir.js';
import { loadDemo, startTrackerInProcess, type Tracker } from '../support/in-process-tracker.js';

/**
 * What each scope may see of a family's people, over HTTP, with the demo's referrals:
 * Defensores de Puebla hold FULL referrals, Defensores de Centroamérica a DOCUMENTS referral
 * (children in detention) and a STATUS referral (deported parent).
 */
const temp = makeTempDir('tracker-redaction-');
let tracker: Tracker;
const keys: Record<string, string> = {};

const PEOPLE = `{ families(first: 10) { edges { node {
  programme children { givenName birthDate placement custody } relatives { givenName relationship adverse locatedCountry locationStatus } blockers
} } } }`;
type Node = { programme: string; children: Array<Record<string, unknown>>; relatives: Array<Record<string, unknown>>; blockers: string[] };
const familiesOf = async (key: string): Promise<Node[]> =>
  ((await postGraphQL(tracker.url, key, PEOPLE)).data.families.edges as Array<{ node: Node }>).map((edge) => edge.node);

beforeAll(async () => {
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir });
  Object.assign(keys, await loadDemo(temp.dir, async (demoKeys) => (await familiesOf(demoKeys['Defensores de Centroamérica']!)).length >= 2));
});
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

/** The consent a referral needs (issue 14, item 3): recorded by the lead before it refers. */
const consent = async (key: string, familyId: string, consentId: string, personId: string, purpose: string, organizationId: string) => {
  const given = await postGraphQL(tracker.url, key, 'mutation($id: ID!, $c: ID!, $p: ID!, $purpose: String!, $org: ID!) { giveConsent(input: { familyId: $id, consentId: $c, personId: $p, purposes: [$purpose], recipientOrganizationIds: [$org] }) { revision } }',
    { id: familyId, c: consentId, p: personId, purpose, org: organizationId });
  expect(given.errors).toBeUndefined();
};

describe('redaction by scope', () => {
  it('a STATUS-scope organisation cannot change the family: FORBIDDEN', async () => {
    const us = keys['Legal Aid of New York']!;
    const id = ((await postGraphQL(tracker.url, us, '{ families(first: 10) { edges { node { id programme } } } }')).data.families.edges as Array<{ node: { id: string; programme: string } }>)
      .find((e) => e.node.programme === 'TRAFFICKING_REUNIFICATION')!.node.id;
    await consent(us, id, 'consent-watch', 'mother-ines', 'watch', 'demo-nc-legal');
    await postGraphQL(tracker.url, us, 'mutation($id: ID!) { referFamily(input: { familyId: $id, referralId: "status-only", toOrganizationId: "demo-nc-legal", purpose: "watch", scope: STATUS }) { revision } }', { id });
    const nc = keys['North Carolina Immigrant Legal Services']!;
    await postGraphQL(tracker.url, nc, 'mutation($id: ID!) { acceptReferral(input: { familyId: $id, referralId: "status-only" }) { revision } }', { id });
    const attempt = await postGraphQL(tracker.url, nc, 'mutation($id: ID!) { recordFollowUp(input: { familyId: $id, childId: "child-sofia" }) { revision } }', { id });
    expect(attempt.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
  });

  it('STATUS scope: status and blockers, but no names, birth dates or locations', async () => {
    const us = keys['Legal Aid of New York']!;
    const deportedId = ((await postGraphQL(tracker.url, us, '{ families(first: 10) { edges { node { id programme } } } }')).data.families.edges as Array<{ node: { id: string; programme: string } }>)
      .find((e) => e.node.programme === 'SEPARATED_FAMILY')!.node.id;
    await consent(us, deportedId, 'consent-monitoring', 'child-jose', 'monitoring', 'demo-nc-legal');
    await postGraphQL(tracker.url, us, 'mutation($id: ID!) { referFamily(input: { familyId: $id, referralId: "watch", toOrganizationId: "demo-nc-legal", purpose: "monitoring", scope: STATUS }) { revision } }', { id: deportedId });
    const nc = keys['North Carolina Immigrant Legal Services']!;
    expect((await postGraphQL(tracker.url, nc, 'mutation($id: ID!) { acceptReferral(input: { familyId: $id, referralId: "watch" }) { revision } }', { id: deportedId })).errors).toBeUndefined();
    const deported = (await familiesOf(nc)).find((family) => family.programme === 'SEPARATED_FAMILY')!;
    expect(deported.children).toEqual([{ givenName: null, birthDate: null, placement: null, custody: null }]);
    expect(deported.relatives.map((r) => r.givenName)).toEqual([null, null]);
    expect(deported.blockers).toContain('father unreachable');
    expect(JSON.stringify(deported)).not.toMatch(/José|Oscar|Gloria/);
  });

  it('DOCUMENTS scope: names and birth dates, nothing about where anyone is', async () => {
    const ca = await familiesOf(keys['Defensores de Centroamérica']!);
    const detention = ca.find((family) => family.programme === 'DETENTION')!;
    expect(detention.children.map((c) => c.givenName).sort()).toEqual(['Kevin', 'Luis']);
    expect(detention.children.every((c) => c.placement === null && c.custody === null)).toBe(true);
    const mother = detention.relatives.find((r) => r.relationship === 'MOTHER')!;
    expect(mother).toMatchObject({ givenName: 'Marta', locationStatus: 'IN_CONTACT', locatedCountry: null });
  });

  it('FULL scope sees everything, including a relative marked never to be told; lower scopes never see that relative', async () => {
    const mx = await familiesOf(keys['Defensores de Puebla']!);
    const custody = mx.find((family) => family.programme === 'TRAFFICKING_REUNIFICATION')!;
    expect(custody.relatives.find((r) => r.adverse)).toMatchObject({ givenName: 'Trafficker family' });

    const us = await familiesOf(keys['Legal Aid of New York']!);
    const detentionForLead = us.find((family) => family.programme === 'DETENTION')!;
    expect(detentionForLead.children.every((c) => c.custody === 'DETAINED')).toBe(true);

    // The lead sees the adverse father of the age-out case; so does its FULL-scope defender.
    const ageOutForLead = us.find((family) => family.programme === 'SIJ')!;
    expect(ageOutForLead.relatives.some((r) => r.adverse)).toBe(true);
    expect(mx.find((family) => family.programme === 'SIJ')!.relatives.some((r) => r.adverse)).toBe(true);
  });

  it('a pending referral shows the receiving organisation the status only', async () => {
    const us = keys['Legal Aid of New York']!;
    const ids = ((await postGraphQL(tracker.url, us, '{ families(first: 10, filter: { status: [LEGAL_PROCESS] }) { edges { node { id programme } } } }')).data.families.edges as Array<{ node: { id: string; programme: string } }>);
    const custodyId = ids.find((e) => e.node.programme === 'TRAFFICKING_REUNIFICATION')!.node.id;
    await consent(us, custodyId, 'consent-advice', 'mother-ines', 'advice', 'demo-ca-defenders');
    const referred = await postGraphQL(tracker.url, us, 'mutation($id: ID!) { referFamily(input: { familyId: $id, referralId: "pending-ca", toOrganizationId: "demo-ca-defenders", purpose: "advice", scope: FULL }) { revision } }', { id: custodyId });
    expect(referred.errors).toBeUndefined();
    const seen = (await postGraphQL(tracker.url, keys['Defensores de Centroamérica']!, `query($id: ID!) { family(id: $id) { status children { givenName } relatives { givenName adverse } } }`, { id: custodyId })).data.family;
    expect(seen.status).toBe('LEGAL_PROCESS');
    expect(seen.children).toEqual([{ givenName: null }]);
    expect(seen.relatives.some((r: { adverse: boolean }) => r.adverse)).toBe(false);
  });
});


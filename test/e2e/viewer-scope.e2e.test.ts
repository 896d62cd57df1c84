import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, postGraphQL } from '../support/graphql-client.js';
import { loadDemo, startTrackerInProcess, type Tracker } from '../support/in-process-tracker.js';
import { makeTempDir } from '../support/temp-dir.js';

/**
 * Family.viewerScope and viewerCanWrite (added for the web app, issue 16): what the caller may
 * see of each family and whether it may record steps, so a client can tell "withheld" from
 * "none". With the demo: the lead sees FULL and writes, except the family it transferred
 * (keeping read access); Defensores de Centroamérica hold a
 * DOCUMENTS referral (they write); a STATUS referral reads only.
 */
const temp = makeTempDir('tracker-viewer-scope-');
let tracker: Tracker;
let keys: Record<string, string>;
const SCOPES = '{ families(first: 10) { edges { node { programme viewerScope viewerCanWrite } } } }';

beforeAll(async () => {
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir });
  keys = await loadDemo(temp.dir, async (demo) => (await postGraphQL(tracker.url, demo['Legal Aid of New York']!, SCOPES)).data?.families.edges.length === 5);
});
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

const scopesOf = async (key: string): Promise<Record<string, [string, boolean]>> =>
  Object.fromEntries(dataOf(await postGraphQL(tracker.url, key, SCOPES)).families.edges.map(({ node }: any) => [node.programme, [node.viewerScope, node.viewerCanWrite]]));

describe("the caller's scope on each family", () => {
  it('the lead: FULL and may write; after a transfer that kept read access: FULL, read only; a DOCUMENTS referral: DOCUMENTS and may write', async () => {
    expect(await scopesOf(keys['Legal Aid of New York']!)).toEqual({
      SIJ: ['FULL', true], ASYLUM: ['FULL', false], TRAFFICKING_REUNIFICATION: ['FULL', true], DETENTION: ['FULL', true], SEPARATED_FAMILY: ['FULL', true],
    });
    expect(await scopesOf(keys['Defensores de Centroamérica']!)).toEqual({ DETENTION: ['DOCUMENTS', true], SEPARATED_FAMILY: ['DOCUMENTS', true] });
  });

  it('a STATUS referral: STATUS and read only', async () => {
    const us = keys['Legal Aid of New York']!;
    const id = dataOf(await postGraphQL(tracker.url, us, '{ families(first: 10) { edges { node { id programme } } } }')).families.edges.find(({ node }: any) => node.programme === 'SEPARATED_FAMILY').node.id;
    dataOf(await postGraphQL(tracker.url, us, 'mutation($id: ID!) { giveConsent(input: { familyId: $id, consentId: "consent-monitoring", personId: "child-jose", purposes: ["monitoring"], recipientOrganizationIds: ["demo-nc-legal"] }) { revision } }', { id }));
    dataOf(await postGraphQL(tracker.url, us, 'mutation($id: ID!) { referFamily(input: { familyId: $id, referralId: "watch", toOrganizationId: "demo-nc-legal", purpose: "monitoring", scope: STATUS }) { revision } }', { id }));
    const nc = keys['North Carolina Immigrant Legal Services']!;
    dataOf(await postGraphQL(tracker.url, nc, 'mutation($id: ID!) { acceptReferral(input: { familyId: $id, referralId: "watch" }) { revision } }', { id }));
    expect((await scopesOf(nc)).SEPARATED_FAMILY).toEqual(['STATUS', false]);
  });
});

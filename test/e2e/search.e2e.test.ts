import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../support/async.js';
import { dataOf, issueKey, postGraphQL, registerOrganization } from '../support/graphql-client.js';
import { startTrackerInProcess, type Tracker } from '../support/in-process-tracker.js';
import { makeTempDir } from '../support/temp-dir.js';

/** `search` over HTTP (issue 15): the tracker in-process, its real index file and key directory. */
const temp = makeTempDir('tracker-search-');
const dataDir = join(temp.dir, 'data');
const keyDir = join(temp.dir, 'keys');
const ADMIN = 'search-admin-key-0123456789abcdef';
let tracker: Tracker;
const keys: Record<string, string> = {};

const gql = (key: string, query: string, variables: Record<string, unknown> = {}) => postGraphQL(tracker.url, key, query, variables);
const mutate = async (key: string, name: string, input: Record<string, unknown>) =>
  dataOf(await gql(key, `mutation($input: ${name.charAt(0).toUpperCase()}${name.slice(1)}Input!) { ${name}(input: $input) { family { id } } }`, { input }))[name].family.id as string;

const SEARCH = `query($t: String!, $first: Int, $after: String) { search(text: $t, first: $first, after: $after) {
  edges { cursor node { personId personKind displayName matchedOn family { id } } } pageInfo { hasNextPage endCursor } } }`;
const search = async (key: string, text: string, first = 20, after?: string) => dataOf(await gql(key, SEARCH, { t: text, first, after })).search;
const hits = async (key: string, text: string) => ((await search(key, text)).edges as Array<{ node: { personId: string; family: { id: string } } }>).map((e) => `${e.node.family.id}/${e.node.personId}`);

let target = '';
beforeAll(async () => {
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: dataDir, TRACKER_KEY_DIR: keyDir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN, TRACKER_RATE_LIMIT_REQUESTS: '0' });
  for (const org of ['org-us', 'org-mx', 'org-other']) {
    await registerOrganization(tracker.url, ADMIN, org);
    keys[org] = await issueKey(tracker.url, ADMIN, org, `${org}-advocate`, 'ADVOCATE');
  }
  target = await mutate(keys['org-us']!, 'openFamilyCase', { programme: 'SEPARATED_FAMILY' });
  await mutate(keys['org-us']!, 'registerChild', { familyId: target, childId: 'xiomara', givenName: 'Xiomara', familyName: 'Canarygonzález Hernández', birthDate: '2010-03-01', nationality: 'GT' });
  await mutate(keys['org-us']!, 'addRelative', { familyId: target, relativeId: 'father', relationship: 'FATHER', givenName: 'José', familyName: 'Hernández', phone: '+502 5512 3498', biological: true, vitalStatus: 'ALIVE', adverse: false });
  await mutate(keys['org-us']!, 'recordIdentifier', { familyId: target, personId: 'xiomara', kind: 'A_NUMBER', value: 'A-209-876-543' });
  for (let i = 0; i < 4; i += 1) {
    const other = await mutate(keys['org-us']!, 'openFamilyCase', { programme: 'SIJ' });
    await mutate(keys['org-us']!, 'registerChild', { familyId: other, childId: 'child', givenName: 'Hernandez', birthDate: '2011-01-01', nationality: 'HN' });
  }
  await mutate(keys['org-us']!, 'giveConsent', { familyId: target, consentId: 'consent', personId: 'xiomara', purposes: ['tracing'], recipientOrganizationIds: ['org-mx'] });
  await mutate(keys['org-us']!, 'referFamily', { familyId: target, referralId: 'to-mx', toOrganizationId: 'org-mx', purpose: 'tracing', scope: 'DOCUMENTS' });
  await mutate(keys['org-mx']!, 'acceptReferral', { familyId: target, referralId: 'to-mx' });
  await waitUntil('the search index to have the five families', async () => (await hits(keys['org-us']!, 'Hernandez')).length === 6, 20_000);
  await waitUntil('the search index to have the referral', async () => (await hits(keys['org-mx']!, 'Xiomara')).length === 1, 20_000);
});
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

describe('search over HTTP', () => {
  it('finds a child by a misspelt Spanish name, by an A-number with and without dashes, and a relative by phone', async () => {
    const [misspelt] = (await search(keys['org-us']!, 'Ernandes Xiomarra')).edges;
    expect(misspelt.node).toEqual({ personId: 'xiomara', personKind: 'CHILD', displayName: 'Xiomara', matchedOn: ['NAME_PHONETIC'], family: { id: target } });
    for (const text of ['A-209-876-543', 'A209876543']) {
      expect((await search(keys['org-us']!, text)).edges.map((e: { node: unknown }) => e.node), text).toEqual([{ personId: 'xiomara', personKind: 'CHILD', displayName: 'Xiomara', matchedOn: ['IDENTIFIER'], family: { id: target } }]);
    }
    expect(await hits(keys['org-us']!, '(502) 5512-3498')).toEqual([`${target}/father`]);
    expect(await hits(keys['org-us']!, '+502 55123498')).toEqual([`${target}/father`]);
  });

  it('pages through every hit once, closest first', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 10; page += 1) {
      const result = await search(keys['org-us']!, 'hernández', 2, after);
      seen.push(...result.edges.map((e: { node: { personId: string; family: { id: string } } }) => `${e.node.family.id}/${e.node.personId}`));
      if (!result.pageInfo.hasNextPage) break;
      after = result.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
    expect(seen).toContain(`${target}/xiomara`);
  });

  it('never finds a person the caller may not see: another organisation nothing; a DOCUMENTS referral names but no identifier or phone', async () => {
    for (const text of ['Xiomara', 'Hernandez', 'A-209-876-543', '+502 5512 3498']) expect(await hits(keys['org-other']!, text), text).toEqual([]);
    expect((await hits(keys['org-mx']!, 'Hernandez')).sort()).toEqual([`${target}/father`, `${target}/xiomara`].sort());
    expect(await hits(keys['org-mx']!, 'A-209-876-543')).toEqual([]);
    expect(await hits(keys['org-mx']!, '+502 5512 3498')).toEqual([]);
  });

  it('refuses a page size out of range and a cursor it did not make, naming the field', async () => {
    const tooMany = await gql(keys['org-us']!, SEARCH, { t: 'x', first: 51 });
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const forged = await gql(keys['org-us']!, SEARCH, { t: 'x', after: 'bm90LWEtY3Vyc29y' });
    expect(forged.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('Family.timeline: one sentence per event, in Spanish by Accept-Language or the argument, with the organisation and day', async () => {
    const query = `query($id: ID!, $l: String) { family(id: $id) { timeline(first: 3, language: $l) { totalCount edges { node { type sentence language occurredOn recordedBy { id } } } } } }`;
    const spanish = await fetch(`${tracker.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${keys['org-us']!}`, 'accept-language': 'es-MX,es;q=0.9,en;q=0.5' },
      body: JSON.stringify({ query, variables: { id: target } }),
    }).then((response) => response.json() as Promise<{ data: { family: { timeline: { totalCount: number; edges: Array<{ node: Record<string, unknown> }> } } } }>);
    const entries = spanish.data.family.timeline.edges.map((e) => e.node);
    expect(entries[0]).toMatchObject({ type: 'FamilyCaseOpened', sentence: 'Abrió el caso (familia separada).', language: 'es', recordedBy: { id: 'org-us' } });
    expect(entries[1]).toMatchObject({ type: 'ChildRegistered', sentence: 'Registró al niño o niña xiomara (Xiomara), nacionalidad GT.' });
    expect(spanish.data.family.timeline.totalCount).toBeGreaterThanOrEqual(6);
    const english = dataOf(await gql(keys['org-us']!, query, { id: target, l: 'en' })).family.timeline.edges[2].node;
    expect(english).toMatchObject({ type: 'RelativeAdded', sentence: 'Added relative father (José), father.', language: 'en' });
    const wrong = await gql(keys['org-us']!, query, { id: target, l: 'fr' });
    expect(wrong.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'language' });
  });

  it('the index file holds none of the names, the A-number or the phone number; the key sits outside the data directory, 0600', async () => {
    const indexFiles = readdirSync(dataDir).filter((name) => name.startsWith('search-index.sqlite'));
    expect(indexFiles).toContain('search-index.sqlite');
    const bytes = Buffer.concat(indexFiles.map((name) => readFileSync(join(dataDir, name)))).toString('latin1').toLowerCase();
    for (const canary of ['canarygonz', 'xiomara', 'hernandez', 'hernández', '209876543', '209-876-543', '55123498']) expect(bytes.includes(canary), canary).toBe(false);
    // The same scan finds what is there: the family's id.
    expect(bytes.includes(target.toLowerCase())).toBe(true);
    const { statSync } = await import('node:fs');
    expect(statSync(join(keyDir, 'search-index.key')).mode & 0o777).toBe(0o600);
  });
});

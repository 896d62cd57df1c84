import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../support/temp-dir.js';
import { loadDemo, startTrackerInProcess, type Tracker } from '../support/in-process-tracker.js';

/**
 * The advocates' queries over HTTP: the tracker runs as `npm start` does; `npm run demo` loads
 * the five case patterns from another process, which the server picks up by polling.
 */
let tracker: Tracker;
const keys: Record<string, string> = {};
const temp = makeTempDir('tracker-queries-');

const query = async (key: string | undefined, source: string, variables: Record<string, unknown> = {}) => {
  const response = await fetch(`${tracker.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query: source, variables }),
  });
  return (await response.json()) as { data?: Record<string, any>; errors?: Array<{ message: string; extensions: Record<string, unknown> }> };
};

const familyIds = async (key: string, filter: Record<string, unknown> = {}) =>
  ((await query(key, 'query($f: FamilyFilter) { families(filter: $f, first: 100) { edges { node { id } } } }', { f: filter })).data?.['families'].edges as Array<{ node: { id: string } }>).map((e) => e.node.id);

beforeAll(async () => {
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: 'queries-admin-key-0123456789abcdef' });
  Object.assign(keys, await loadDemo(temp.dir, async (demoKeys) => (await familyIds(demoKeys['Legal Aid of New York']!)).length >= 5));
});
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

describe('advocates query families over HTTP', () => {
  it('each organisation sees the families it leads, was referred (accepted) or kept after a transfer', async () => {
    expect(Object.keys(keys)).toHaveLength(4);
    expect(await familyIds(keys['Legal Aid of New York']!)).toHaveLength(5);
    expect(await familyIds(keys['Defensores de Puebla']!)).toHaveLength(2);
    expect(await familyIds(keys['North Carolina Immigrant Legal Services']!)).toHaveLength(1);
    expect(await familyIds(keys['Defensores de Centroamérica']!)).toHaveLength(2);
  });

  it('another organisation\'s family is null through family(id), exactly like an unknown id', async () => {
    const mxFamilies = await familyIds(keys['Defensores de Puebla']!);
    const [visibleToMx] = mxFamilies;
    const hidden = (await familyIds(keys['Legal Aid of New York']!)).find((id) => !mxFamilies.includes(id))!;
    const asMx = (id: string) => query(keys['Defensores de Puebla'], 'query($id: ID!) { family(id: $id) { id status } }', { id });
    expect(await asMx(hidden)).toEqual({ data: { family: null } });
    expect(await asMx('00000000-0000-0000-0000-000000000000')).toEqual({ data: { family: null } });
    expect((await asMx(visibleToMx!)).data?.['family']).toMatchObject({ id: visibleToMx });
  });

  it('shows a family with its status, blockers, next deadline and nested people and documents', async () => {
    const result = await query(keys['Defensores de Puebla'], `{ families(first: 1, filter: { status: [LEGAL_PROCESS] }) { edges { node {
      status blockers nextDeadline { kind daysLeft } leadOrganization { name }
      children { givenName nationality } relatives { relationship adverse locationStatus }
      documents { documentType status legalised } legalMatters { matterType status } referrals { status scope toOrganization { name } }
    } } } }`);
    const family = result.data?.['families'].edges[0].node;
    expect(family).toMatchObject({
      status: 'LEGAL_PROCESS',
      blockers: ['passport requested, not yet obtained', 'birth certificate awaiting certified translation', 'hearing in 9 days'],
      nextDeadline: { kind: 'HEARING', daysLeft: 9 },
      leadOrganization: { name: 'Legal Aid of New York (demo)' },
      children: [{ givenName: 'Sofía', nationality: 'MX' }],
      legalMatters: [{ matterType: 'MEXICAN_CUSTODY', status: 'HEARING_SCHEDULED' }],
      referrals: [{ status: 'ACCEPTED', scope: 'FULL', toOrganization: { name: 'Defensores de Puebla (demo)' } }],
    });
    expect(family.documents).toContainEqual({ documentType: 'BIRTH_CERTIFICATE', status: 'OBTAINED', legalised: true });
  });

  it('filters by status, country, unlocated relatives and ageing out', async () => {
    const us = keys['Legal Aid of New York']!;
    expect(await familyIds(us, { status: ['SEARCHING'] })).toHaveLength(2);
    expect(await familyIds(us, { country: 'NI' })).toHaveLength(1);
    expect(await familyIds(us, { hasUnlocatedRelative: true })).toHaveLength(2);
    expect(await familyIds(us, { agingOutWithinDays: 60 })).toHaveLength(1);
    expect(await familyIds(us, { agingOutWithinDays: 10 })).toHaveLength(0);
    expect(await familyIds(us, { updatedSince: '2999-01-01T00:00:00Z' })).toHaveLength(0);
  });

  it('pages with opaque cursors, without gaps or repeats', async () => {
    const us = keys['Legal Aid of New York']!;
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page += 1) {
      const result = await query(us, 'query($after: String) { families(first: 2, after: $after) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }', { after });
      const connection = result.data?.['families'];
      expect(connection.totalCount).toBe(5);
      seen.push(...connection.edges.map((e: { node: { id: string } }) => e.node.id));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(await familyIds(us));
  });

  it('answers bad arguments with BAD_USER_INPUT naming the field, never a 500', async () => {
    const us = keys['Legal Aid of New York']!;
    const cases: Array<[string, string]> = [
      ['{ families(first: 0) { totalCount } }', 'first'],
      ['{ families(first: 101) { totalCount } }', 'first'],
      ['{ families(after: "garbage") { totalCount } }', 'after'],
      ['{ upcomingDeadlines(withinDays: -1) { id } }', 'withinDays'],
      ['{ families(filter: { updatedSince: "2024-02-30T00:00:00Z" }) { totalCount } }', 'updatedSince'],
    ];
    for (const [source, field] of cases) {
      const result = await query(us, source);
      expect(result.errors?.[0]?.extensions, source).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });

  it('lists upcoming deadlines, statistics and caseload', async () => {
    const us = keys['Legal Aid of New York']!;
    const result = await query(us, `{
      upcomingDeadlines(withinDays: 60) { kind daysLeft }
      statistics { familiesByStatusAndCountry { status country families } unlocatedRelatives { country monthsSinceSeparation relatives } }
      caseload { organization { id } status families }
    }`);
    expect(result.data?.['upcomingDeadlines']).toEqual([
      { kind: 'HEARING', daysLeft: 9 }, { kind: 'ASYLUM_ONE_YEAR', daysLeft: 20 }, { kind: 'SIJ_AGE_OUT', daysLeft: 44 },
    ]);
    // By the country where each relative is believed to be, with the relatives nobody has started tracing (country unknown).
    expect(result.data?.['statistics'].unlocatedRelatives).toEqual([
      { country: null, monthsSinceSeparation: null, relatives: 3 },
      { country: null, monthsSinceSeparation: 7, relatives: 1 },
      { country: 'HN', monthsSinceSeparation: 72, relatives: 2 },
      { country: 'MX', monthsSinceSeparation: null, relatives: 1 },
    ]);
    expect(result.data?.['caseload']).toContainEqual({ organization: { id: 'demo-nc-legal' }, status: 'READY_TO_REUNIFY', families: 1 });
  });
});

import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../support/async.js';
import { dataOf, issueKey, postGraphQL, registerOrganization } from '../support/graphql-client.js';
import { startTrackerInProcess, type Tracker } from '../support/in-process-tracker.js';
import { makeTempDir } from '../support/temp-dir.js';

/**
 * The CSV exports (issue 15, item 8) over HTTP, on a real server on loopback: a STATUS partner's
 * caseload has no names, the lead's has them, every family once across pages, formula-looking
 * cells neutralised, and each export is in the access log before the response has ended.
 */
const temp = makeTempDir('tracker-exports-');
const ADMIN = 'exports-admin-key-0123456789abcdef';
let tracker: Tracker;
const keys: Record<string, string> = {};
let shared = '';
let formula = '';
/** More than one page of the export (100 families). */
const EMPTY_FAMILIES = 101;

const gql = (key: string, query: string, variables: Record<string, unknown> = {}) => postGraphQL(tracker.url, key, query, variables);
const mutate = async (key: string, name: string, input: Record<string, unknown>) =>
  dataOf(await gql(key, `mutation($input: ${name.charAt(0).toUpperCase()}${name.slice(1)}Input!) { ${name}(input: $input) { family { id } } }`, { input }))[name].family.id as string;

const download = (path: string, key?: string) => fetch(`${tracker.url}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
const rowsOf = (text: string) => parse<Record<string, string>>(text, { columns: true, bom: true });

/** The access-log entries in the event store, as stored: what was durable when a response ended. */
const accessLogEntries = (): Array<{ viewer: { userId: string }; families: Record<string, string[]> }> => {
  const db = new Database(join(temp.dir, 'events.sqlite'), { readonly: true });
  try {
    return (db.prepare("SELECT data FROM events WHERE type = 'PersonalDataViewed' ORDER BY position").all() as Array<{ data: string }>).map((row) => JSON.parse(row.data));
  } finally {
    db.close();
  }
};

beforeAll(async () => {
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN, TRACKER_RATE_LIMIT_REQUESTS: '0' });
  await registerOrganization(tracker.url, ADMIN, 'lead');
  await registerOrganization(tracker.url, ADMIN, 'partner');
  await registerOrganization(tracker.url, ADMIN, 'defenders', 'DEFENDER');
  keys['lead'] = await issueKey(tracker.url, ADMIN, 'lead', 'lead-advocate', 'ADVOCATE');
  keys['lead-admin'] = await issueKey(tracker.url, ADMIN, 'lead', 'lead-admin', 'ADMIN');
  keys['partner'] = await issueKey(tracker.url, ADMIN, 'partner', 'partner-advocate', 'ADVOCATE');
  const lead = keys['lead'];

  shared = await mutate(lead, 'openFamilyCase', { programme: 'SEPARATED_FAMILY' });
  await mutate(lead, 'registerChild', { familyId: shared, childId: 'child-1', givenName: 'Canaryzoë', familyName: 'Canaryapellido', birthDate: '2012-03-04', nationality: 'HN' });
  await mutate(lead, 'addRelative', { familyId: shared, relativeId: 'father', relationship: 'FATHER', givenName: 'Canaryfather', biological: true, vitalStatus: 'ALIVE', adverse: false });
  await mutate(lead, 'giveConsent', { familyId: shared, consentId: 'consent', personId: 'child-1', purposes: ['monitoring', 'tracing'], recipientOrganizationIds: ['partner', 'defenders'] });
  await mutate(lead, 'startTracing', { familyId: shared, relativeId: 'father', defenderOrganizationId: 'defenders', region: 'HN' });
  await mutate(lead, 'referFamily', { familyId: shared, referralId: 'watch', toOrganizationId: 'partner', purpose: 'monitoring', scope: 'STATUS' });
  await mutate(keys['partner'], 'acceptReferral', { familyId: shared, referralId: 'watch' });

  formula = await mutate(lead, 'openFamilyCase', { programme: 'SIJ' });
  await mutate(lead, 'registerChild', { familyId: formula, childId: 'child-1', givenName: '=HYPERLINK("http://attacker.example/","Open")', birthDate: '2011-01-01', nationality: 'GT' });
  for (let i = 0; i < EMPTY_FAMILIES; i += 1) await mutate(lead, 'openFamilyCase', { programme: 'DETENTION' });
}, 120_000);
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

describe('GET /exports/caseload.csv', () => {
  it("a STATUS partner's export has its family's progress and no names", async () => {
    const response = await download('/exports/caseload.csv', keys['partner']);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const text = await response.text();
    const rows = rowsOf(text);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      familyId: shared, viewerScope: 'STATUS', programme: 'SEPARATED_FAMILY', leadOrganizationId: 'lead',
      children: '1', childStatuses: 'child#1 SEARCHING', childNames: '', relatives: '1', unlocatedRelatives: '1', assignedDefenders: 'defenders',
    });
    expect(text).not.toMatch(/Canary/i);
    expect(text).not.toContain('child-1');
  });

  it("the lead's export has the names, every family once across pages, and formula-looking cells neutralised", async () => {
    const response = await download('/exports/caseload.csv', keys['lead']);
    expect(response.status).toBe(200);
    const rows = rowsOf(await response.text());
    expect(rows).toHaveLength(EMPTY_FAMILIES + 2);
    expect(new Set(rows.map((row) => row['familyId'])).size).toBe(rows.length);
    expect(rows.find((row) => row['familyId'] === shared)).toMatchObject({ viewerScope: 'FULL', childNames: 'Canaryzoë', childStatuses: 'child-1 SEARCHING', sharedWith: 'partner' });
    expect(rows.find((row) => row['familyId'] === formula)?.['childNames']).toBe(`'=HYPERLINK("http://attacker.example/","Open")`);
  });

  it('?language=es gives the blockers in Spanish; another language is 400 BAD_USER_INPUT before any row', async () => {
    const rows = rowsOf(await (await download('/exports/caseload.csv?language=es', keys['partner'])).text());
    expect(rows[0]?.['blockers']).toMatch(/^padre sin localizar desde /);
    const refused = await download('/exports/caseload.csv?language=xx', keys['partner']);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]?.extensions.code).toBe('BAD_USER_INPUT');
  });

  it('is in the access log before the response has ended: who, which families, which fields', async () => {
    const before = accessLogEntries().length;
    const response = await download('/exports/caseload.csv', keys['partner']);
    await response.text();
    const written = accessLogEntries().slice(before);
    expect(written).toEqual([expect.objectContaining({ viewer: expect.objectContaining({ userId: 'partner-advocate' }), families: { 'export:caseload:STATUS': [shared] } })]);
    // And the lead's administrator reads it in the family's access log.
    await waitUntil('the access log to list the export', async () => {
      const log = dataOf(await gql(keys['lead-admin']!, 'query($id: ID!) { familyAccessLog(familyId: $id) { userId fields } }', { id: shared })).familyAccessLog as Array<{ userId: string; fields: string }>;
      return log.some((entry) => entry.userId === 'partner-advocate' && entry.fields === 'export:caseload:STATUS');
    });
  });

  it('without a key: 401, no CSV, nothing logged', async () => {
    const before = accessLogEntries().length;
    const response = await download('/exports/caseload.csv');
    expect(response.status).toBe(401);
    expect(((await response.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect(accessLogEntries()).toHaveLength(before);
  });
});

describe('GET /exports/statistics.csv', () => {
  it('counts what the caller may see, one count per row, and logs the families counted', async () => {
    const before = accessLogEntries().length;
    const partner = rowsOf(await (await download('/exports/statistics.csv', keys['partner'])).text());
    expect(partner).toEqual([
      { measure: 'families', status: 'SEARCHING', country: 'HN', monthsSinceSeparation: '', count: '1' },
      { measure: 'unlocatedRelatives', status: '', country: '', monthsSinceSeparation: '', count: '1' },
      { measure: 'unlocatedRelativesNotTraced', status: '', country: '', monthsSinceSeparation: '', count: '0' },
    ]);
    expect(accessLogEntries().slice(before)).toEqual([expect.objectContaining({ families: { 'export:statistics': [shared] } })]);

    const lead = rowsOf(await (await download('/exports/statistics.csv', keys['lead'])).text());
    const families = lead.filter((row) => row['measure'] === 'families').reduce((sum, row) => sum + Number(row['count']), 0);
    expect(families).toBe(EMPTY_FAMILIES + 2);
    expect(lead.find((row) => row['measure'] === 'unlocatedRelatives')).toMatchObject({ country: 'HN', count: '1' });
  });
});

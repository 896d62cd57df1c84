import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, issueKey, postGraphQL, registerOrganization, type GraphQLResponse } from '../support/graphql-client.js';
import { makeTempDir } from '../support/temp-dir.js';
import { startTrackerInProcess, type Tracker } from '../support/in-process-tracker.js';

/**
 * Tenant isolation probed from the outside, the way an attacker holding a valid key of another
 * organisation would: guessed and real foreign ids, aliases, fragments, batched requests, keys
 * of revoked users and deactivated organisations. The tracker runs at debug log level and its
 * whole output is scanned for the canary names at the end: personal data never reaches a log
 * line or an error message.
 */
const ADMIN = 'isolation-admin-key-0123456789ab';
const CHILD = 'Zyxcanary';
const FATHER = 'Qwertcanary';
const PLACE = 'Xylocanaryville';
const CANARIES = [CHILD, FATHER, PLACE];
const temp = makeTempDir('tracker-isolation-');
let tracker: Tracker;
const keys: Record<string, string> = {};
let foreignFamily = '';
let ownFamily = '';

const gql = (key: string, query: string, variables: Record<string, unknown> = {}) => postGraphQL(tracker.url, key, query, variables);
const ok = dataOf;
const issue = (organizationId: string, userId: string, role: string): Promise<string> => issueKey(tracker.url, ADMIN, organizationId, userId, role);

/** The same response for two ids once each id is replaced by a placeholder. */
const normalised = (response: unknown, id: string): string => JSON.stringify(response).replaceAll(id, '<id>');

beforeAll(async () => {
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN, LOG_LEVEL: 'debug' });
  for (const id of ['victim-org', 'attacker-org']) {
    await registerOrganization(tracker.url, ADMIN, id);
  }
  keys['victim'] = await issue('victim-org', 'victim-advocate', 'ADVOCATE');
  keys['attacker'] = await issue('attacker-org', 'attacker-advocate', 'ADVOCATE');
  keys['attackerAdmin'] = await issue('attacker-org', 'attacker-admin', 'ADMIN');
  keys['attackerAuditor'] = await issue('attacker-org', 'attacker-auditor', 'AUDITOR');
  foreignFamily = ok(await gql(keys['victim'], 'mutation { openFamilyCase(input: { programme: TRAFFICKING_REUNIFICATION }) { family { id } } }')).openFamilyCase.family.id;
  ok(await gql(keys['victim'], `mutation($id: ID!) {
    registerChild(input: { familyId: $id, childId: "c", givenName: "${CHILD}", birthDate: "2012-03-04", nationality: "MX" }) { revision }
  }`, { id: foreignFamily }));
  ok(await gql(keys['victim'], `mutation($id: ID!) {
    addRelative(input: { familyId: $id, relativeId: "f", relationship: FATHER, givenName: "${FATHER}" }) { revision }
  }`, { id: foreignFamily }));
  ok(await gql(keys['victim'], 'mutation($id: ID!) { startTracing(input: { familyId: $id, relativeId: "f", defenderOrganizationId: "victim-org" }) { revision } }', { id: foreignFamily }));
  ok(await gql(keys['victim'], `mutation($id: ID!) {
    recordParentLocated(input: { familyId: $id, relativeId: "f", country: "MX", method: PARTNER_NGO, place: "${PLACE}" }) { revision }
  }`, { id: foreignFamily }));
  ownFamily = ok(await gql(keys['attacker'], 'mutation { openFamilyCase(input: { programme: SIJ }) { family { id } } }')).openFamilyCase.family.id;
});
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

/** Every way to name one family: the family, its history of reads, and writes to it. */
const PROBES = {
  family: 'query($id: ID!) { family(id: $id) { id status children { givenName } relatives { givenName locatedCountry } } }',
  accessLog: 'query($id: ID!) { familyAccessLog(familyId: $id) { userId } }',
  addRelative: 'mutation($id: ID!) { addRelative(input: { familyId: $id, relativeId: "x", relationship: AUNT, givenName: "Ann" }) { revision } }',
  startTracing: 'mutation($id: ID!) { startTracing(input: { familyId: $id, relativeId: "f", defenderOrganizationId: "victim-org" }) { revision } }',
  referFamily: 'mutation($id: ID!) { referFamily(input: { familyId: $id, referralId: "r", toOrganizationId: "attacker-org", purpose: "p", scope: FULL }) { revision } }',
  acceptReferral: 'mutation($id: ID!) { acceptReferral(input: { familyId: $id, referralId: "r" }) { revision } }',
  closeFamilyCase: 'mutation($id: ID!) { closeFamilyCase(input: { familyId: $id, reason: WITHDRAWN }) { revision } }',
} as const;

describe('ID guessing', () => {
  it.each(Object.entries(PROBES))('%s: another organisation\'s real id and a random id give the identical response', async (_name, query) => {
    for (const key of [keys['attacker']!, keys['attackerAdmin']!, keys['attackerAuditor']!]) {
      const randomId = randomUUID();
      const foreign = await gql(key, query, { id: foreignFamily });
      const guessed = await gql(key, query, { id: randomId });
      expect(normalised(foreign, foreignFamily)).toBe(normalised(guessed, randomId));
      expect(JSON.stringify(foreign)).not.toMatch(new RegExp(CANARIES.join('|')));
    }
  });

  it('the foreign family is never written to by any of those attempts', async () => {
    const family = ok(await gql(keys['victim']!, 'query($id: ID!) { family(id: $id) { revision status relatives { id } } }', { id: foreignFamily })).family;
    expect(family).toEqual({ revision: 4, status: 'IN_CONTACT', relatives: [{ id: 'f' }] });
  });
});

describe('aliases, fragments and batches cannot reach a forbidden node', () => {
  it('aliases: a visible and a foreign family in one request; only the visible one resolves', async () => {
    const data = ok(await gql(keys['attacker']!, `query($own: ID!, $foreign: ID!) {
      mine: family(id: $own) { id }
      theirs: family(id: $foreign) { id children { givenName } }
      again: family(id: $foreign) { relatives { givenName } }
    }`, { own: ownFamily, foreign: foreignFamily }));
    expect(data).toEqual({ mine: { id: ownFamily }, theirs: null, again: null });
  });

  it('fragments and inline fragments on the family type resolve nothing foreign', async () => {
    const data = ok(await gql(keys['attacker']!, `query($foreign: ID!) {
      a: family(id: $foreign) { ...People }
      b: family(id: $foreign) { ... on Family { children { givenName } } }
      families(first: 100) { edges { node { ...People } } }
    }
    fragment People on Family { id children { givenName } relatives { givenName } }`, { foreign: foreignFamily }));
    expect(data.a).toBeNull();
    expect(data.b).toBeNull();
    expect(data.families.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([ownFamily]);
  });

  it('a batched request (a JSON array of operations) is refused as a whole, without a 5xx', async () => {
    const response = await fetch(`${tracker.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${keys['attacker']!}` },
      body: JSON.stringify([
        { query: '{ viewer { userId } }' },
        { query: 'query($id: ID!) { family(id: $id) { children { givenName } } }', variables: { id: foreignFamily } },
      ]),
    });
    const body = await response.text();
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(body).not.toMatch(new RegExp(CANARIES.join('|')));
  });

  it('lists, counts, statistics and deadlines of another organisation stay out', async () => {
    const data = ok(await gql(keys['attackerAuditor']!, `{
      families(first: 100) { totalCount edges { node { id } } }
      statistics { familiesByStatusAndCountry { families } unlocatedRelatives { relatives } }
      caseload { organization { id } families }
    }`));
    expect(data.families.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([ownFamily]);
    expect(data.families.totalCount).toBe(1);
    expect(data.statistics.familiesByStatusAndCountry.reduce((n: number, row: { families: number }) => n + row.families, 0)).toBe(1);
    expect(data.caseload).toEqual([{ organization: { id: 'attacker-org' }, families: 1 }]);
  });
});

describe('keys', () => {
  it('a key of a deactivated organisation fails on its next request; the organisation takes no new keys', async () => {
    ok(await gql(ADMIN, 'mutation { registerOrganization(input: { organizationId: "closing-org", name: "Closing", kind: PARTNER_NGO }) { replayed } }'));
    const key = await issue('closing-org', 'closing-partner', 'PARTNER');
    expect(ok(await gql(key, '{ viewer { userId } }')).viewer).toEqual({ userId: 'closing-partner' });
    ok(await gql(ADMIN, 'mutation { deactivateOrganization(input: { organizationId: "closing-org", reason: "programme ended" }) { position } }'));
    expect((await gql(key, '{ viewer { userId } }')).errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    const again = await gql(ADMIN, 'mutation { issueApiKey(input: { organizationId: "closing-org", userId: "u", userName: "u", role: ADMIN, label: "x" }) { apiKey } }');
    expect(again.errors?.[0]?.extensions.code).toBe('INVALID_TRANSITION');
  });

  it('only the system administrator deactivates organisations; unknown organisations are NOT_FOUND', async () => {
    const byOrgAdmin = await gql(keys['attackerAdmin']!, 'mutation { deactivateOrganization(input: { organizationId: "victim-org", reason: "x" }) { position } }');
    expect(byOrgAdmin.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    const unknown = await gql(ADMIN, 'mutation { deactivateOrganization(input: { organizationId: "no-such-org", reason: "x" }) { position } }');
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'organizationId' });
    expect(ok(await gql(keys['victim']!, '{ viewer { userId } }')).viewer.userId).toBe('victim-advocate');
  });

  it('unknown, malformed and missing keys are UNAUTHENTICATED with HTTP 401', async () => {
    for (const authorization of ['Bearer trk_' + 'a'.repeat(43), 'Bearer nonsense', 'Basic dXNlcjpwYXNz', '']) {
      const response = await fetch(`${tracker.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({ query: '{ viewer { userId } }' }),
      });
      expect(response.status).toBe(401);
      expect(((await response.json()) as GraphQLResponse).errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    }
  });
});

describe('personal data in errors and logs', () => {
  it('errors about a request that carries personal data do not repeat it', async () => {
    const attempts = [
      // A name where a date belongs, as a literal and as a variable.
      [`mutation($id: ID!) { registerChild(input: { familyId: $id, childId: "d", givenName: "x", birthDate: "${CHILD}", nationality: "MX" }) { revision } }`, { id: ownFamily }],
      ['mutation($input: RegisterChildInput!) { registerChild(input: $input) { revision } }', { input: { familyId: ownFamily, childId: 'd', givenName: 'x', birthDate: CHILD, nationality: 'MX' } }],
      // A name where a country belongs, and a name where an enum belongs.
      [`mutation($id: ID!) { recordParentLocated(input: { familyId: $id, relativeId: "f", country: "${PLACE}", method: PARTNER_NGO }) { revision } }`, { id: ownFamily }],
      ['mutation($input: AddRelativeInput!) { addRelative(input: $input) { revision } }', { input: { familyId: ownFamily, relativeId: 'z', relationship: FATHER, givenName: 'x' } }],
      // A name where a number belongs; a duplicate child with a name; a future birth date.
      ['query($n: Int) { families(first: $n) { totalCount } }', { n: CHILD }],
      [`mutation($id: ID!) { registerChild(input: { familyId: $id, childId: "c2", givenName: "${CHILD}", birthDate: "2999-01-01", nationality: "MX" }) { revision } }`, { id: ownFamily }],
      // Malformed GraphQL around a name: unterminated, and a name left unquoted.
      [`{ family(id: "${CHILD}") { id `, {}],
      [`{ family(id: ${CHILD}) { id } }`, {}],
    ] as const;
    for (const [query, variables] of attempts) {
      const response = await gql(keys['attacker']!, query, variables);
      expect(response.errors?.length, query).toBeGreaterThan(0);
      expect(JSON.stringify(response.errors), query).not.toMatch(new RegExp(CANARIES.join('|')));
    }
  });

  it('the whole log of this server, at debug level, never names a canary', () => {
    const output = tracker.output();
    expect(output.length).toBeGreaterThan(1_000);
    for (const canary of CANARIES) expect(output).not.toContain(canary);
  });
});

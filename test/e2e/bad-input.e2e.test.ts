import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../support/temp-dir.js';
import { startTrackerInProcess, type Tracker } from '../support/in-process-tracker.js';

/**
 * The bad-input battery: every request is answered with a GraphQL error and a code, never a
 * 500, and the event store is unchanged afterwards.
 */
const KEY = 'bad-input-admin-key-0123456789';
const temp = makeTempDir('tracker-bad-input-');
let tracker: Tracker;
let familyId = '';

const post = async (body: string, contentType = 'application/json', method = 'POST') => {
  const response = await fetch(`${tracker.url}/graphql${method === 'GET' ? `?${body}` : ''}`, {
    method,
    headers: { authorization: `Bearer ${KEY}`, ...(method === 'POST' ? { 'content-type': contentType } : {}) },
    ...(method === 'POST' ? { body } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as { errors?: Array<{ extensions?: { code?: string; field?: string } }> } };
};

const mutation = (name: string, input: string) => JSON.stringify({ query: `mutation { ${name}(input: { ${input} }) { revision } }` });

const storedEvents = (): number => {
  const db = new Database(join(temp.dir, 'events.sqlite'), { readonly: true });
  const { n } = db.prepare('SELECT count(*) AS n FROM events').get() as { n: number };
  db.close();
  return n;
};

beforeAll(async () => {
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: KEY });
  const opened = await post(JSON.stringify({ query: 'mutation { openFamilyCase(input: { programme: SIJ }) { family { id } } }' }));
  familyId = (opened.body as { data: { openFamilyCase: { family: { id: string } } } }).data.openFamilyCase.family.id;
  await post(mutation('registerChild', `familyId: "${familyId}", childId: "c1", givenName: "Ana", birthDate: "2010-01-01", nationality: "HN"`));
});
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

const child = (fields: string) => mutation('registerChild', `familyId: "${familyId}", childId: "c2", givenName: "Bo", nationality: "HN", ${fields}`);

describe('bad input changes nothing and is never a 500', () => {
  const cases: Array<[string, () => Promise<{ status: number; body: { errors?: Array<{ extensions?: { code?: string } }> } }>, string]> = [
    ['impossible date 2024-02-30', () => post(child('birthDate: "2024-02-30"')), 'BAD_USER_INPUT'],
    ['29 February of a common year', () => post(child('birthDate: "2023-02-29"')), 'BAD_USER_INPUT'],
    ['unpadded date 2024-1-5', () => post(child('birthDate: "2024-1-5"')), 'BAD_USER_INPUT'],
    ['birth date in the future', () => post(child('birthDate: "2999-01-01"')), 'BAD_USER_INPUT'],
    ['unknown country', () => post(mutation('registerChild', `familyId: "${familyId}", childId: "c2", givenName: "Bo", nationality: "XX", birthDate: "2010-01-01"`)), 'BAD_USER_INPUT'],
    ['step out of order', () => post(mutation('recordChildReleased', `familyId: "${familyId}", childId: "c1", releasedOn: "2024-01-01", placement: SPONSOR`)), 'INVALID_TRANSITION'],
    ['unknown child', () => post(mutation('recordChildDetained', `familyId: "${familyId}", childId: "ghost", agency: ORR, detainedOn: "2024-01-01"`)), 'NOT_FOUND'],
    ['unknown family', () => post(mutation('recordChildDetained', 'familyId: "ffffffff-ffff-8fff-ffff-ffffffffffff", childId: "c1", agency: ORR, detainedOn: "2024-01-01"')), 'NOT_FOUND'],
    ['10,000-element list', () => post(child(`birthDate: "2010-01-01", languages: [${Array.from({ length: 10_000 }, () => '"es"').join(',')}]`)), 'QUERY_TOO_COMPLEX'],
    ['a 1 MB string', () => post(JSON.stringify({ query: `mutation($name: String!) { registerChild(input: { familyId: "${familyId}", childId: "c2", givenName: $name, nationality: "HN", birthDate: "2010-01-01" }) { revision } }`, variables: { name: 'x'.repeat(1_000_000) } })), 'BAD_USER_INPUT'],
    ['a body over 1 MiB', () => post(JSON.stringify({ query: '{ viewer { userId } }', variables: { padding: 'x'.repeat(1_100_000) } })), 'BAD_REQUEST'],
    ['a query 50 levels deep', () => post(JSON.stringify({ query: `{ ${'viewer { organization { '.repeat(25)}id${' } }'.repeat(25)} }` })), 'QUERY_TOO_COMPLEX'],
    ['1,000 aliases', () => post(JSON.stringify({ query: `{ ${Array.from({ length: 1000 }, (_, i) => `a${String(i)}: viewer { userId }`).join(' ')} }` })), 'QUERY_TOO_COMPLEX'],
    ['malformed JSON', () => post('{"query": "{ viewer { userId } }'), 'BAD_REQUEST'],
    ['wrong content type', () => post('{ viewer { userId } }', 'text/plain'), 'BAD_REQUEST'],
    ['a mutation over GET', () => post(`query=${encodeURIComponent('mutation { openFamilyCase(input: { programme: SIJ }) { revision } }')}`, '', 'GET'), 'BAD_REQUEST'],
    ['malformed GraphQL', () => post(JSON.stringify({ query: 'mutation { openFamilyCase(' })), 'GRAPHQL_PARSE_FAILED'],
  ];

  it.each([
    ['a bad Date literal', `mutation { registerChild(input: { familyId: "f", childId: "c", givenName: "A", birthDate: "2024-02-30", nationality: "HN" }) { revision } }`, {}, 'birthDate'],
    ['a bad Date variable', 'mutation($i: RegisterChildInput!) { registerChild(input: $i) { revision } }', { i: { familyId: 'f', childId: 'c', givenName: 'A', birthDate: '2024-02-30', nationality: 'HN' } }, 'birthDate'],
    ['a bad CountryCode literal', `mutation { registerChild(input: { familyId: "f", childId: "c", givenName: "A", birthDate: "2020-01-01", nationality: "XX" }) { revision } }`, {}, 'nationality'],
    ['a bad DateTime filter', '{ families(filter: { updatedSince: "2024-13-01T00:00:00Z" }) { totalCount } }', {}, 'updatedSince'],
  ])('%s names the input field', async (_name, query, variables, field) => {
    const { body } = await post(JSON.stringify({ query, variables }));
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it.each(cases)('%s', async (_name, send, code) => {
    const before = storedEvents();
    const { status, body } = await send();
    expect(status).toBeLessThan(500);
    expect(body.errors?.[0]?.extensions?.code).toBe(code);
    expect(storedEvents()).toBe(before);
  });
});

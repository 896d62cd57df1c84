import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, issueKey, postGraphQL, registerOrganization, type GraphQLResponse } from '../support/graphql-client.js';
import { startTrackerInProcess, type Tracker } from '../support/in-process-tracker.js';
import { makeTempDir } from '../support/temp-dir.js';

/**
 * Blockers and status labels in Spanish over HTTP (issue 15, item 3): `blockers(language: "es")`
 * and `statusLabel(language:)` on Family and Child; `blockers` without an argument stays English
 * whatever Accept-Language says (the API's contract), `statusLabel` follows Accept-Language.
 */
const temp = makeTempDir('tracker-labels-');
const ADMIN = 'labels-admin-key-0123456789abcdef';
let tracker: Tracker;
let key = '';
let familyId = '';

const gql = (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  fetch(`${tracker.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers },
    body: JSON.stringify({ query, variables }),
  }).then((response) => response.json() as Promise<GraphQLResponse>);
const mutate = async (name: string, input: Record<string, unknown>) =>
  dataOf(await postGraphQL(tracker.url, key, `mutation($input: ${name.charAt(0).toUpperCase()}${name.slice(1)}Input!) { ${name}(input: $input) { family { id } } }`, { input }))[name].family.id as string;

beforeAll(async () => {
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN, TRACKER_RATE_LIMIT_REQUESTS: '0' });
  await registerOrganization(tracker.url, ADMIN, 'lead');
  await registerOrganization(tracker.url, ADMIN, 'defenders', 'DEFENDER');
  key = await issueKey(tracker.url, ADMIN, 'lead', 'lead-advocate', 'ADVOCATE');
  familyId = await mutate('openFamilyCase', { programme: 'SEPARATED_FAMILY' });
  await mutate('registerChild', { familyId, childId: 'ana', givenName: 'Ana', birthDate: '2012-03-04', nationality: 'HN' });
  await mutate('addRelative', { familyId, relativeId: 'father', relationship: 'FATHER', givenName: 'Oscar', biological: true, vitalStatus: 'ALIVE', adverse: false });
  await mutate('giveConsent', { familyId, consentId: 'consent', personId: 'ana', purposes: ['tracing'], recipientOrganizationIds: ['defenders'] });
  await mutate('startTracing', { familyId, relativeId: 'father', defenderOrganizationId: 'defenders', region: 'HN' });
});
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

const LABELS = `query($id: ID!, $l: String) { family(id: $id) {
  status blockers es: blockers(language: $l) statusLabel esLabel: statusLabel(language: $l)
  children { blockers es: blockers(language: $l) statusLabel(language: $l) }
} }`;

describe('blockers and status labels in Spanish', () => {
  it('are Spanish with language "es"; the old fields stay English even with Accept-Language: es', async () => {
    const family = dataOf(await gql(LABELS, { id: familyId, l: 'es' }, { 'accept-language': 'es-MX,es;q=0.9' })).family;
    expect(family.status).toBe('SEARCHING');
    expect(family.blockers).toEqual([expect.stringMatching(/^father not located since \d{4}-\d{2}-\d{2}$/)]);
    expect(family.es).toEqual([expect.stringMatching(/^padre sin localizar desde \d{4}-\d{2}-\d{2}$/)]);
    expect(family.esLabel).toBe('En búsqueda');
    // No argument: Accept-Language chooses the label's language.
    expect(family.statusLabel).toBe('En búsqueda');
    expect(family.children).toEqual([{ blockers: family.blockers, es: family.es, statusLabel: 'En búsqueda' }]);
  });

  it('English labels without Accept-Language or with language "en"', async () => {
    const family = dataOf(await gql(LABELS, { id: familyId, l: 'en' })).family;
    expect(family).toMatchObject({ statusLabel: 'Searching', esLabel: 'Searching' });
    expect(family.es).toEqual(family.blockers);
  });

  it('another language is BAD_USER_INPUT naming language, without repeating it', async () => {
    const response = await gql(LABELS, { id: familyId, l: 'Canaryfrançais' });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'language' });
    expect(JSON.stringify(response)).not.toContain('Canary');
  });
});

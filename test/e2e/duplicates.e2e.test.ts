import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../support/async.js';
import { dataOf, issueKey, postGraphQL, registerOrganization } from '../support/graphql-client.js';
import { startTrackerInProcess, type Tracker } from '../support/in-process-tracker.js';
import { makeTempDir } from '../support/temp-dir.js';

/**
 * Possible duplicates (issue 15 item 6): two families with the same child used to be accepted
 * without a word. Registering a child, a relative or an identifier now returns the people the
 * caller may see who may be the same, with the reasons; deciding is a command and an event, and a
 * pair decided as not the same person is not offered again.
 */
const temp = makeTempDir('tracker-duplicates-');
const ADMIN = 'duplicates-admin-key-0123456789abcdef';
let tracker: Tracker;
const keys: Record<string, string> = {};
let first = '';

const gql = (key: string, query: string, variables: Record<string, unknown> = {}) => postGraphQL(tracker.url, key, query, variables);
const mutate = async (key: string, name: string, input: Record<string, unknown>) =>
  dataOf(await gql(key, `mutation($input: ${name.charAt(0).toUpperCase()}${name.slice(1)}Input!) { ${name}(input: $input) {
    family { id } possibleDuplicates { personId personKind displayName reasons family { id } } } }`, { input }))[name] as { family: { id: string }; possibleDuplicates: unknown[] };
const findable = async (key: string, text: string) => (dataOf(await gql(key, 'query($t: String!) { search(text: $t) { edges { node { personId } } } }', { t: text })).search.edges as unknown[]).length;

beforeAll(async () => {
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: join(temp.dir, 'data'), TRACKER_KEY_DIR: join(temp.dir, 'keys'), TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN, TRACKER_RATE_LIMIT_REQUESTS: '0' });
  for (const org of ['org-us', 'org-other']) {
    await registerOrganization(tracker.url, ADMIN, org);
    keys[org] = await issueKey(tracker.url, ADMIN, org, `${org}-advocate`, 'ADVOCATE');
  }
  first = (await mutate(keys['org-us']!, 'openFamilyCase', { programme: 'SEPARATED_FAMILY' })).family.id;
  await mutate(keys['org-us']!, 'registerChild', { familyId: first, childId: 'kevin', givenName: 'Kevin', familyName: 'Ramírez Soto', birthDate: '2015-02-03', nationality: 'HN' });
  await mutate(keys['org-us']!, 'recordIdentifier', { familyId: first, personId: 'kevin', kind: 'A_NUMBER', value: 'A-111-222-333' });
  await mutate(keys['org-us']!, 'addRelative', { familyId: first, relativeId: 'papa', relationship: 'FATHER', givenName: 'Óscar', familyName: 'Ramírez', phone: '+504 9876 5432' });
  await waitUntil('the first family to be in the search index', async () => (await findable(keys['org-us']!, 'A111222333')) === 1 && (await findable(keys['org-us']!, 'Oscar Ramirez')) === 1, 20_000);
});
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

describe('possible duplicates', () => {
  it('registering the same child again offers the first, by name and birth date; by identifier; a relative by phone', async () => {
    const second = (await mutate(keys['org-us']!, 'openFamilyCase', { programme: 'SIJ' })).family.id;
    const child = await mutate(keys['org-us']!, 'registerChild', { familyId: second, childId: 'k2', givenName: 'kevin', familyName: 'Soto Ramirez', birthDate: '2015-02-03', nationality: 'HN' });
    expect(child.possibleDuplicates).toEqual([{ personId: 'kevin', personKind: 'CHILD', displayName: 'Kevin', reasons: ['SAME_NAME', 'SAME_BIRTH_DATE'], family: { id: first } }]);
    const otherBirthDate = await mutate(keys['org-us']!, 'registerChild', { familyId: second, childId: 'k3', givenName: 'Kevin', familyName: 'Ramírez Soto', birthDate: '2016-02-03', nationality: 'HN' });
    expect(otherBirthDate.possibleDuplicates).toEqual([]);
    const byIdentifier = await mutate(keys['org-us']!, 'recordIdentifier', { familyId: second, personId: 'k3', kind: 'A_NUMBER', value: 'A111222333' });
    expect(byIdentifier.possibleDuplicates).toMatchObject([{ personId: 'kevin', reasons: ['SAME_IDENTIFIER'] }]);
    const byPhone = await mutate(keys['org-us']!, 'addRelative', { familyId: second, relativeId: 'dad', relationship: 'STEPFATHER', givenName: 'Oscar', familyName: 'Ramirez', phone: '98765432' });
    expect(byPhone.possibleDuplicates).toMatchObject([{ personId: 'papa', reasons: ['SAME_PHONE'] }]);
    const unrelated = await mutate(keys['org-us']!, 'addRelative', { familyId: second, relativeId: 'aunt', relationship: 'AUNT', givenName: 'Nidia' });
    expect(unrelated.possibleDuplicates).toEqual([]);
  });

  it('another organisation is offered nobody it may not see', async () => {
    const theirs = (await mutate(keys['org-other']!, 'openFamilyCase', { programme: 'SIJ' })).family.id;
    const child = await mutate(keys['org-other']!, 'registerChild', { familyId: theirs, childId: 'k', givenName: 'Kevin', familyName: 'Ramírez Soto', birthDate: '2015-02-03', nationality: 'HN' });
    expect(child.possibleDuplicates).toEqual([]);
    const decided = await gql(keys['org-other']!, `mutation { decidePossibleDuplicate(input: { familyId: "${theirs}", personId: "k", otherFamilyId: "${first}", otherPersonId: "kevin", samePerson: true }) { revision } }`);
    expect(decided.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'otherFamilyId' });
  });

  it('a pair decided as not the same person is kept as an event and not offered again', async () => {
    const third = (await mutate(keys['org-us']!, 'openFamilyCase', { programme: 'ASYLUM' })).family.id;
    const offered = await mutate(keys['org-us']!, 'registerChild', { familyId: third, childId: 'kev', givenName: 'Kevin', familyName: 'Ramírez', birthDate: '2015-02-03', nationality: 'HN' });
    const ids = (list: unknown[]) => (list as Array<{ personId: string; family: { id: string } }>).map((d) => `${d.family.id === first ? 'first' : 'other'}/${d.personId}`).sort();
    expect(ids(offered.possibleDuplicates)).toEqual(['first/kevin', 'other/k2']);
    const decided = await gql(keys['org-us']!, `mutation { decidePossibleDuplicate(input: { familyId: "${third}", personId: "kev", otherFamilyId: "${first}", otherPersonId: "kevin", samePerson: false, reason: "different mother" }) { revision } }`);
    expect(decided.errors).toBeUndefined();
    const history = dataOf(await gql(keys['org-us']!, `{ familyHistory(familyId: "${third}") { edges { node { type } } } }`));
    expect(JSON.stringify(history)).toContain('PossibleDuplicateDecided');
    // The same child's A-number: the first family's Kevin (decided: not the same) is not offered again, k3 (same A-number) is.
    const again = await mutate(keys['org-us']!, 'recordIdentifier', { familyId: third, personId: 'kev', kind: 'A_NUMBER', value: 'A-111-222-333' });
    expect(ids(again.possibleDuplicates)).toEqual(['other/k3']);
  });
});

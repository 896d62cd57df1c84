import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, postGraphQL, type GraphQLResponse } from '../../support/graphql-client.js';
import { startTrackerInProcess, type Tracker } from '../../support/in-process-tracker.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { mutateOk } from '../../support/probe-support.js';

/**
 * Regression (issue 13): a separation's place was one `personal` part sealed under the FIRST
 * child's key, so erasing that child erased the place for the siblings separated with them,
 * and erasing a sibling took nothing. Now SeparationRecorded (version 2) keeps one sealed copy
 * per child (`places`): each erasure takes exactly that child's copy; the place stays readable
 * while one copy does.
 */
const KEY = 'separation-place-admin-key-0123456789';
const PLACE = 'Placecanary bridge at Piedras Negras';
const temp = makeTempDir('tracker-separation-place-');
const dataDir = join(temp.dir, 'data');
const env = { TRACKER_DATA_DIR: dataDir, TRACKER_KEY_DIR: join(temp.dir, 'keys'), TRACKER_BOOTSTRAP_ADMIN_KEY: KEY };
let tracker: Tracker;
let familyId = '';

const ask = (query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse> => postGraphQL(tracker.url, KEY, query, variables);
const ok = (name: string, input: Record<string, unknown>, selection = 'revision') => mutateOk(tracker.url, KEY, name, input, selection);
const separationPlace = async (): Promise<unknown> =>
  (dataOf(await ask('query($id: ID!) { family(id: $id) { separations { place childIds } } }', { id: familyId })).family.separations as Array<{ place: unknown }>)[0]?.place;
const historyPlaces = async (): Promise<unknown> =>
  (dataOf(await ask('query($id: ID!) { familyHistory(familyId: $id, first: 100) { edges { node { type data } } } }', { id: familyId })).familyHistory.edges as Array<{ node: { type: string; data: Record<string, unknown> } }>)
    .find(({ node }) => node.type === 'SeparationRecorded')?.node.data['places'];

beforeAll(async () => {
  tracker = await startTrackerInProcess(env);
  familyId = (await ok('openFamilyCase', { programme: 'SEPARATED_FAMILY' }, 'family { id }')).family.id;
  for (const [name, input] of [
    ['registerChild', { childId: 'first', givenName: 'Ana', birthDate: '2012-03-03', nationality: 'HN' }],
    ['registerChild', { childId: 'sibling', givenName: 'Beto', birthDate: '2014-04-04', nationality: 'HN' }],
    ['recordSeparation', { separatedOn: '2023-01-15', cause: 'SEPARATED_AT_BORDER', childIds: ['first', 'sibling'], place: PLACE }],
  ] as const) await ok(name, { familyId, ...input });
}, 60_000);
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

describe('each child holds their own copy of the separation place (regression)', () => {
  it('before any erasure: the place reads, once per child in the history, and is in no data file', async () => {
    await expect.poll(separationPlace, { timeout: 10_000 }).toBe(PLACE);
    expect(await historyPlaces()).toEqual([
      { childId: 'first', personal: { subjectId: 'first', place: PLACE } },
      { childId: 'sibling', personal: { subjectId: 'sibling', place: PLACE } },
    ]);
    const files = readdirSync(dataDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    expect(files.filter((entry) => readFileSync(join(entry.parentPath, entry.name)).includes('Placecanary')).map((entry) => entry.name)).toEqual([]);
  });

  it('erasing the first child leaves the sibling the place', async () => {
    await ok('eraseSubject', { familyId, subjectId: 'first', reason: 'SUBJECT_REQUEST' });
    expect(await historyPlaces()).toEqual([
      { childId: 'first', personal: { subjectId: 'first', erased: true } },
      { childId: 'sibling', personal: { subjectId: 'sibling', place: PLACE } },
    ]);
    await expect.poll(separationPlace, { timeout: 10_000 }).toBe(PLACE);
  });

  it('erasing the sibling too takes the last copy: the place is unknown', async () => {
    await ok('eraseSubject', { familyId, subjectId: 'sibling', reason: 'SUBJECT_REQUEST' });
    expect(await historyPlaces()).toEqual([
      { childId: 'first', personal: { subjectId: 'first', erased: true } },
      { childId: 'sibling', personal: { subjectId: 'sibling', erased: true } },
    ]);
    await expect.poll(separationPlace, { timeout: 10_000 }).toBeNull();
  });
});

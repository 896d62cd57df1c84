import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../support/async.js';
import { dataOf, postGraphQL } from '../../support/graphql-client.js';
import { startTrackerInProcess, type Tracker } from '../../support/in-process-tracker.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { filesHolding, mutateOk } from '../../support/probe-support.js';

/**
 * Regression (found by a probe; issue 13 item 3, data at rest; low): the search index is documented as holding keyed
 * hashes, never names or text (README "Search", issue 13: "The search index ... holds keyed
 * hashes, never names"). It also keeps a folded family state per family (`search_families`),
 * and in it each consent's purposes, free text as the lead wrote it, in plaintext:
 * search-index.sqlite is a third file (beside events and read models) holding the family's free
 * text, copied by `tracker backup`, and it keeps the purposes of a person after their erasure.
 */
const ADMIN = 'probe-search-purposes-admin-key-0123';
const PURPOSE = 'Purposecanary reunite with Marisol in Tegucigalpa';
const temp = makeTempDir('tracker-probe-search-purposes-');
let tracker: Tracker;

beforeAll(async () => {
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN });
  const familyId = (await mutateOk(tracker.url, ADMIN, 'openFamilyCase', { programme: 'SEPARATED_FAMILY' })).family.id as string;
  await mutateOk(tracker.url, ADMIN, 'addRelative', { familyId, relativeId: 'mother', relationship: 'MOTHER', givenName: 'Searchcanarymother' });
  await mutateOk(tracker.url, ADMIN, 'giveConsent', { familyId, consentId: 'k', personId: 'mother', purposes: [PURPOSE], recipientOrganizationIds: ['system'] });
  await mutateOk(tracker.url, ADMIN, 'eraseSubject', { familyId, subjectId: 'mother', reason: 'SUBJECT_REQUEST' });
  const search = async () => dataOf(await postGraphQL(tracker.url, ADMIN, '{ search(text: "Searchcanarymother") { edges { node { personId } } } }')).search.edges as unknown[];
  // The search projector has applied the erasure (the person is no longer found).
  await waitUntil('the search index to apply the erasure', async () => (await postGraphQL(tracker.url, ADMIN, '{ search(text: "Searchcanarymother") { edges { node { personId } } } }')).errors === undefined && (await search()).length === 0, 20_000);
  await tracker.stop();
}, 60_000);
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

describe('the search index file', () => {
  it('holds no name of the family (keyed hashes: this holds)', () => {
    expect(filesHolding(temp.dir, 'Searchcanarymother')).toEqual([]);
  });

  it("holds no free text of the family either (a consent's purposes)", () => {
    expect(filesHolding(temp.dir, 'Purposecanary').filter((name) => name.startsWith('search-index'))).toEqual([]);
  });
});

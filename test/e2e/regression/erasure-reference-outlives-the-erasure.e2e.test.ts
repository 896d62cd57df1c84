import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, postGraphQL } from '../../support/graphql-client.js';
import { startTrackerInProcess, type Tracker } from '../../support/in-process-tracker.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { filesHolding, mutateOk } from '../../support/probe-support.js';

/**
 * Regression (found by a probe; issue 13 item 4: "Erasure and hold are events and carry no personal data themselves";
 * low): `eraseSubject`'s and `placeLegalHold`'s `reference` is checked only as an id (letters,
 * digits, dashes, at most 64), so the request's own wording ("Xiomara-Quintero-request", a
 * docket number such as "2024-CV-0012345", which docs/ERASURE.md itself says public records tie
 * to a name) is accepted and kept in plaintext in the SubjectErased event, the one record
 * that can never be erased, and shown to FULL readers of the history.
 */
const ADMIN = 'probe-erasure-reference-admin-key-0123';
const NAME_AS_REFERENCE = 'Xiomara-Refcanary-request';
const DOCKET = '2024-CV-0012345-Docketcanary';
const temp = makeTempDir('tracker-probe-erasure-reference-');
let tracker: Tracker;
let familyId = '';

beforeAll(async () => {
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN });
  familyId = (await mutateOk(tracker.url, ADMIN, 'openFamilyCase', { programme: 'SEPARATED_FAMILY' })).family.id as string;
  await mutateOk(tracker.url, ADMIN, 'registerChild', { familyId, childId: 'c1', givenName: 'Xiomara', familyName: 'Quintero', birthDate: '2011-05-05', nationality: 'HN' });
  await mutateOk(tracker.url, ADMIN, 'registerChild', { familyId, childId: 'c2', givenName: 'Other', birthDate: '2012-05-05', nationality: 'HN' });
}, 60_000);
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

describe("an erasure's reference", () => {
  // Decided: the reference is the organisation's own record of the request, shown to FULL
  // readers of the history as before; what changed is that it is sealed at rest (under the
  // case subject, not the person's key, so the erasure does not take it).
  it("an erasure's reference is kept in no file", async () => {
    dataOf(await postGraphQL(tracker.url, ADMIN, 'mutation($i: EraseSubjectInput!) { eraseSubject(input: $i) { revision } }', { i: { familyId, subjectId: 'c1', reason: 'SUBJECT_REQUEST', reference: NAME_AS_REFERENCE } }));
    const history = dataOf(await postGraphQL(tracker.url, ADMIN, 'query($id: ID!) { familyHistory(familyId: $id, first: 100) { edges { node { type data } } } }', { id: familyId }));
    expect(JSON.stringify(history)).toContain(NAME_AS_REFERENCE);
  });

  it("a docket number as a hold's reference is not kept in a file", async () => {
    await postGraphQL(tracker.url, ADMIN, 'mutation($i: PlaceLegalHoldInput!) { placeLegalHold(input: $i) { revision } }', { i: { familyId, holdId: 'h1', reason: 'COURT_ORDER', reference: DOCKET } });
    await tracker.stop();
    expect(filesHolding(temp.dir, 'Docketcanary')).toEqual([]);
    expect(filesHolding(temp.dir, 'Refcanary')).toEqual([]);
  });
});

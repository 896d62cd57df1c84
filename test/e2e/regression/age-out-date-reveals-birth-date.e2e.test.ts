import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, postGraphQL } from '../../support/graphql-client.js';
import { startTrackerInProcess, type Tracker } from '../../support/in-process-tracker.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { filesHolding, mutateOk } from '../../support/probe-support.js';

/**
 * Regression (issue 13, the last item): an SIJ age-out deadline is the birth date plus the age
 * limit (18 or 21) minus a day, so its `dueOn`/`previousDueOn` in DeadlineSet/DeadlineRecomputed
 * and in the read models' deadline rows and columns (family_deadlines.due_on, next_deadline_on,
 * earliest_age_out_on, casefile_deadlines.previous_due_on, the families snapshot) told the
 * child's birth date in plaintext, and outlived the child's erasure, while the birth date itself
 * was sealed under the child's key. Now the dates sit under the child's `personal` (family events
 * version 5) and are sealed in the read models; filters open them in SQL (families_day).
 */
const ADMIN = 'age-out-reveals-birth-date-admin-key-01';
const BIRTH_DATE = '2009-08-14';
/** Limit 18 while the state is unknown, then 21 once the SIJ matter opens in US-NY. */
const FIRST_AGE_OUT = '2027-08-13';
const AGE_OUT = '2030-08-13';
const ERASED_BIRTH_DATE = '2010-03-09';
const ERASED_AGE_OUT = '2028-03-08';
const temp = makeTempDir('tracker-age-out-birth-date-');
let tracker: Tracker;
let familyId = '';

const deadlinesQuery = 'query($id: ID!) { family(id: $id) { deadlines { id kind status dueOn daysLeft dueMonth monthsLeft } nextDeadline { id } blockers } }';
const familiesMatching = async (filter: Record<string, unknown>): Promise<string[]> =>
  (dataOf(await postGraphQL(tracker.url, ADMIN, 'query($f: FamilyFilter) { families(filter: $f, first: 50) { edges { node { id } } } }', { f: filter }))
    .families.edges as Array<{ node: { id: string } }>).map((edge) => edge.node.id);

beforeAll(async () => {
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN });
  familyId = (await mutateOk(tracker.url, ADMIN, 'openFamilyCase', { programme: 'SIJ' })).family.id as string;
  await mutateOk(tracker.url, ADMIN, 'registerChild', { familyId, childId: 'c1', givenName: 'Agecanary', birthDate: BIRTH_DATE, nationality: 'HN' });
  await mutateOk(tracker.url, ADMIN, 'openLegalMatter', { familyId, matterId: 'sij', matterType: 'SIJ', childId: 'c1', jurisdiction: 'US-NY' });
  await mutateOk(tracker.url, ADMIN, 'registerChild', { familyId, childId: 'c2', givenName: 'Erasedcanary', birthDate: ERASED_BIRTH_DATE, nationality: 'HN' });
}, 60_000);
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

describe('an age-out date tells the birth date', () => {
  it('the lead (FULL) still reads the day, and the filters and upcomingDeadlines open the sealed days', async () => {
    const family = dataOf(await postGraphQL(tracker.url, ADMIN, deadlinesQuery, { id: familyId })).family;
    const byId = new Map((family.deadlines as Array<{ id: string; dueOn: string | null }>).map((deadline) => [deadline.id, deadline.dueOn]));
    expect(byId.get('c1-sij-age-out')).toBe(AGE_OUT);
    expect(byId.get('c2-sij-age-out')).toBe(ERASED_AGE_OUT);
    expect(family.nextDeadline.id).toBe('c2-sij-age-out');
    expect(await familiesMatching({ agingOutWithinDays: 3650 })).toEqual([familyId]);
    expect(await familiesMatching({ deadlineWithinDays: 3650 })).toEqual([familyId]);
    expect(await familiesMatching({ agingOutWithinDays: 10 })).toEqual([]);
    const upcoming = dataOf(await postGraphQL(tracker.url, ADMIN, '{ upcomingDeadlines(withinDays: 3650) { id dueOn } }')).upcomingDeadlines;
    expect(upcoming).toEqual([{ id: 'c2-sij-age-out', dueOn: ERASED_AGE_OUT }, { id: 'c1-sij-age-out', dueOn: AGE_OUT }]);
  });

  it("after the child's erasure the deadline shows its kind and status without dates; blockers, nextDeadline and the filters skip it", async () => {
    await mutateOk(tracker.url, ADMIN, 'eraseSubject', { familyId, subjectId: 'c2', reason: 'SUBJECT_REQUEST' }, 'revision');
    const family = dataOf(await postGraphQL(tracker.url, ADMIN, deadlinesQuery, { id: familyId })).family;
    expect(family.deadlines.find((deadline: { id: string }) => deadline.id === 'c2-sij-age-out'))
      .toEqual({ id: 'c2-sij-age-out', kind: 'SIJ_AGE_OUT', status: 'OPEN', dueOn: null, daysLeft: null, dueMonth: null, monthsLeft: null });
    expect(family.nextDeadline.id).toBe('c1-sij-age-out');
    expect(JSON.stringify(family.blockers)).not.toContain('2028');
    const upcoming = dataOf(await postGraphQL(tracker.url, ADMIN, '{ upcomingDeadlines(withinDays: 3650) { id dueOn } }')).upcomingDeadlines;
    expect(upcoming).toEqual([{ id: 'c1-sij-age-out', dueOn: AGE_OUT }]);
    // A later command recomputes the family's deadlines: the erased child's age-out does not fail it.
    await mutateOk(tracker.url, ADMIN, 'addRelative', { familyId, relativeId: 'r1', relationship: 'AUNT', givenName: 'Tia', biological: true, vitalStatus: 'ALIVE' });
  });

  it('no file holds the age-out dates or the birth dates (events, read models, WAL)', async () => {
    await tracker.stop();
    for (const value of [AGE_OUT, FIRST_AGE_OUT, BIRTH_DATE, ERASED_AGE_OUT, ERASED_BIRTH_DATE]) expect(filesHolding(temp.dir, value), value).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, issueKey, postGraphQL, registerOrganization } from '../../support/graphql-client.js';
import { startTrackerInProcess, type Tracker } from '../../support/in-process-tracker.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { mutateOk } from '../../support/probe-support.js';

/**
 * Regression (found by a probe; partner at STATUS scope; derived personal data): STATUS may not read a child's birth
 * date (Child.birthDate is null), but the SIJ age-out deadline is the birth date plus the age
 * limit (21 in US-NY) minus a day, and STATUS is shown its month (`deadlines`, `nextDeadline`,
 * `upcomingDeadlines`: dueMonth "2030-08" for a child born 2009-08-14), and can narrow it with
 * `families(filter: { agingOutWithinDays })`: the child's month and year of birth (one of two,
 * 18 or 21). DOCUMENTS, which does read the birth date, is shown no age-out at all.
 */
const ADMIN = 'probe-age-out-admin-key-0123456789abc';
const BIRTH_DATE = '2009-08-14';
const temp = makeTempDir('tracker-probe-age-out-');
let tracker: Tracker;
const keys: Record<string, string> = {};
let familyId = '';

beforeAll(async () => {
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN, TRACKER_RATE_LIMIT_REQUESTS: '0' });
  for (const organizationId of ['lead', 'status']) {
    await registerOrganization(tracker.url, ADMIN, organizationId);
    keys[organizationId] = await issueKey(tracker.url, ADMIN, organizationId, `${organizationId}-advocate`, 'ADVOCATE');
  }
  const lead = keys['lead']!;
  familyId = (await mutateOk(tracker.url, lead, 'openFamilyCase', { programme: 'SIJ' })).family.id as string;
  await mutateOk(tracker.url, lead, 'registerChild', { familyId, childId: 'c1', givenName: 'Ageoutcanary', birthDate: BIRTH_DATE, nationality: 'HN' });
  await mutateOk(tracker.url, lead, 'openLegalMatter', { familyId, matterId: 'sij', matterType: 'SIJ', childId: 'c1', jurisdiction: 'US-NY' });
  await mutateOk(tracker.url, lead, 'giveConsent', { familyId, consentId: 'k', personId: 'c1', purposes: ['access'], recipientOrganizationIds: ['status'] });
  await mutateOk(tracker.url, lead, 'grantAccess', { familyId, grantId: 'g', organizationId: 'status', scope: 'STATUS' });
}, 60_000);
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

/** The months an age limit of 18 or 21 puts the age-out in, for this birth date. */
const AGE_OUT_MONTHS = [18, 21].map((limit) => `${String(Number(BIRTH_DATE.slice(0, 4)) + limit)}-${BIRTH_DATE.slice(5, 7)}`);

describe('a STATUS partner and an SIJ age-out', () => {
  it('reads no birth date, and no month derived from it', async () => {
    const view = dataOf(await postGraphQL(tracker.url, keys['status']!, 'query($id: ID!) { family(id: $id) { viewerScope children { birthDate } deadlines { kind dueOn dueMonth } nextDeadline { kind dueMonth } } upcomingDeadlines(withinDays: 3650) { kind dueMonth } }', { id: familyId }));
    expect(view.family.viewerScope).toBe('STATUS');
    expect(view.family.children).toEqual([{ birthDate: null }]);
    const shown = JSON.stringify(view);
    expect(AGE_OUT_MONTHS.filter((month) => shown.includes(month))).toEqual([]);
  });

  it('cannot narrow the age-out month down with families(filter: { agingOutWithinDays })', async () => {
    const matches = async (days: number) =>
      (dataOf(await postGraphQL(tracker.url, keys['status']!, 'query($d: Int!) { families(filter: { agingOutWithinDays: $d }) { edges { node { id } } } }', { d: days })).families.edges as unknown[]).length;
    const answers = new Set<number>();
    for (let days = 0; days <= 3650; days += 30) answers.add(await matches(days));
    // One answer whatever the window: the filter tells nothing about when the child ages out.
    expect([...answers]).toHaveLength(1);
  });
});

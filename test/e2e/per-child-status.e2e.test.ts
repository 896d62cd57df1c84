import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutationName } from '../../schema/mutations/family-mutation-specs.js';
import { addDays, addYears, dateOf } from '../../services/shared/calendar-date.js';
import { dataOf, issueKey, postGraphQL, registerOrganization } from '../support/graphql-client.js';
import { makeTempDir } from '../support/temp-dir.js';
import { startTrackerInProcess, type Tracker } from '../support/in-process-tracker.js';

/**
 * Issue 14, items 1 and 7, over HTTP with each organisation's own key: siblings held in
 * different facilities (one released, the other still detained and the father not located),
 * a girl whose parents are dead reunified with her aunt, and an SIJ-programme child twenty
 * days before turning 18. Dates are relative to today.
 */
const ADMIN = 'per-child-admin-key-0123456789abcd';
const LEAD = 'pcs-legal';
const PARTNER = 'pcs-partner';
const DEFENDERS = 'pcs-defenders';
const temp = makeTempDir('tracker-per-child-');
let tracker: Tracker;
const keys = new Map<string, string>();
const today = dateOf(new Date().toISOString());
const ago = (days: number) => addDays(today, -days);

const gql = (org: string, query: string, variables: Record<string, unknown> = {}) => postGraphQL(tracker.url, keys.get(org) ?? '', query, variables);

/** Runs one family command as its mutation; returns the family id. */
const run = async (org: string, type: string, input: Record<string, unknown>): Promise<string> => {
  const result = await gql(org, `mutation($input: ${type}Input!) { ${mutationName(type)}(input: $input) { family { id } } }`, { input });
  expect(result.errors, type).toBeUndefined();
  return result.data[mutationName(type)].family.id as string;
};

const FAMILY = `query($id: ID!) { family(id: $id) {
  status blockers deadlines { id kind dueOn status }
  children { id status blockers placement placementHistory { change on placement agency relativeId country facility } }
} }`;
const family = async (org: string, id: string) => dataOf(await gql(org, FAMILY, { id })).family;

beforeAll(async () => {
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN });
  for (const org of [LEAD, PARTNER, DEFENDERS]) {
    await registerOrganization(tracker.url, ADMIN, org);
    keys.set(org, await issueKey(tracker.url, ADMIN, org, `${org}-advocate`, 'ADVOCATE'));
  }
});
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

describe('status per child (issue 14, item 1)', () => {
  it('siblings in different facilities: one released to a sponsor, the other still detained: the family is not READY_TO_REUNIFY', async () => {
    const id = await run(LEAD, 'OpenFamilyCase', { programme: 'DETENTION' });
    await run(LEAD, 'RegisterChild', { familyId: id, childId: 'ana', givenName: 'Ana', birthDate: addYears(today, -10), nationality: 'HN' });
    await run(LEAD, 'RegisterChild', { familyId: id, childId: 'beto', givenName: 'Beto', birthDate: addYears(today, -13), nationality: 'HN' });
    await run(LEAD, 'AddRelative', { familyId: id, relativeId: 'father', relationship: 'FATHER', givenName: 'Pedro', biological: true, vitalStatus: 'ALIVE', adverse: false });
    await run(LEAD, 'RecordSeparation', { familyId: id, separatedOn: ago(60), cause: 'SEPARATED_AT_BORDER', childIds: ['ana', 'beto'] });
    await run(LEAD, 'RecordChildDetained', { familyId: id, childId: 'ana', agency: 'ORR', detainedOn: ago(60), facility: 'Canary Shelter Texas' });
    await run(LEAD, 'RecordChildDetained', { familyId: id, childId: 'beto', agency: 'ORR', detainedOn: ago(59), facility: 'Canary Shelter Arizona' });
    await run(LEAD, 'StartTracing', { familyId: id, relativeId: 'father', defenderOrganizationId: DEFENDERS });
    await run(LEAD, 'RecordChildTransferred', { familyId: id, childId: 'beto', transferredOn: ago(30), facility: 'Canary Shelter Illinois' });
    await run(LEAD, 'RecordChildReleased', { familyId: id, childId: 'ana', releasedOn: ago(5), placement: 'SPONSOR' });

    const seen = await family(LEAD, id);
    expect(seen.status).toBe('SEARCHING');
    expect(seen.blockers).toEqual([`child 2: still detained since ${ago(59)}, transferred on ${ago(30)}`, `father not located since ${today}`]);
    const [ana, beto] = seen.children;
    expect(ana).toMatchObject({ id: 'ana', status: 'READY_TO_REUNIFY', placement: 'SPONSOR', blockers: [`father not located since ${today}`] });
    expect(ana.placementHistory.map((step: { change: string }) => step.change)).toEqual(['DETAINED', 'RELEASED']);
    expect(beto).toMatchObject({ id: 'beto', status: 'SEARCHING', placement: 'ORR_SHELTER', blockers: [`still detained since ${ago(59)}, transferred on ${ago(30)}`, `father not located since ${today}`] });
    expect(beto.placementHistory).toEqual([
      { change: 'DETAINED', on: ago(59), placement: 'ORR_SHELTER', agency: 'ORR', relativeId: null, country: null, facility: 'Canary Shelter Arizona' },
      { change: 'TRANSFERRED', on: ago(30), placement: 'ORR_SHELTER', agency: null, relativeId: null, country: null, facility: 'Canary Shelter Illinois' },
    ]);

    // A partner with STATUS scope (a referral not yet answered) sees statuses and blockers, never
    // where a child is held nor the dates of custody steps (DOCUMENTS data): the same sentences without them.
    // The consent both referrals need (issue 14, item 3).
    await run(LEAD, 'GiveConsent', { familyId: id, consentId: 'consent', personId: 'father', purposes: ['status updates', 'documents'], recipientOrganizationIds: [PARTNER, DEFENDERS] });
    await run(LEAD, 'ReferFamily', { familyId: id, referralId: 'status-only', toOrganizationId: PARTNER, purpose: 'status updates', scope: 'STATUS' });
    const partner = await family(PARTNER, id);
    expect(partner.status).toBe('SEARCHING');
    expect(partner.blockers).toEqual(['child 2: still detained, transferred', `father not located since ${today}`]);
    expect(partner.children[1].blockers).toEqual(['still detained, transferred', `father not located since ${today}`]);
    expect(partner.children.map((child: { status: string; placementHistory: unknown; placement: unknown }) => [child.status, child.placementHistory, child.placement])).toEqual([
      ['READY_TO_REUNIFY', null, null], ['SEARCHING', null, null],
    ]);
    expect(JSON.stringify(partner)).not.toMatch(/Canary|Ana|Beto|Pedro/);

    // DOCUMENTS scope: the dated sentences, and each custody step's kind and date, never the placement, agency or facility.
    await run(LEAD, 'ReferFamily', { familyId: id, referralId: 'documents', toOrganizationId: DEFENDERS, purpose: 'documents', scope: 'DOCUMENTS' });
    dataOf(await gql(DEFENDERS, 'mutation($id: ID!) { acceptReferral(input: { familyId: $id, referralId: "documents" }) { revision } }', { id }));
    const documents = await family(DEFENDERS, id);
    expect(documents.blockers).toEqual(seen.blockers);
    expect(documents.children[1].placementHistory).toEqual([
      { change: 'DETAINED', on: ago(59), placement: null, agency: null, relativeId: null, country: null, facility: null },
      { change: 'TRANSFERRED', on: ago(30), placement: null, agency: null, relativeId: null, country: null, facility: null },
    ]);
    expect(JSON.stringify(documents)).not.toMatch(/Canary|ORR/);
  });

  it('parents deceased: the child needs a caregiver found and assessed, then a placement decision, and is reunified with her aunt', async () => {
    const id = await run(LEAD, 'OpenFamilyCase', { programme: 'SEPARATED_FAMILY' });
    await run(LEAD, 'RegisterChild', { familyId: id, childId: 'girl', givenName: 'Rosa', birthDate: addYears(today, -15), nationality: 'SV' });
    await run(LEAD, 'AddRelative', { familyId: id, relativeId: 'mother', relationship: 'MOTHER', givenName: 'Ana', biological: true, vitalStatus: 'DECEASED', adverse: false });
    await run(LEAD, 'AddRelative', { familyId: id, relativeId: 'father', relationship: 'FATHER', givenName: 'Jose', biological: true, vitalStatus: 'DECEASED', adverse: false });
    let seen = await family(LEAD, id);
    expect(seen).toMatchObject({ status: 'SEARCHING', blockers: ['no parent available (deceased or adverse): another caregiver to be found and assessed'] });
    // No parent available is a ground for SIJ: the age-out is computed (state unknown: limit 18).
    expect(seen.deadlines).toEqual([{ id: 'girl-sij-age-out', kind: 'SIJ_AGE_OUT', dueOn: addDays(addYears(addYears(today, -15), 18), -1), status: 'OPEN' }]);

    await run(LEAD, 'AddRelative', { familyId: id, relativeId: 'aunt', relationship: 'AUNT', givenName: 'Marta', biological: true, vitalStatus: 'ALIVE', adverse: false });
    await run(LEAD, 'RecordChildDetained', { familyId: id, childId: 'girl', agency: 'ORR', detainedOn: ago(300), facility: 'Shelter in another state' });
    seen = await family(LEAD, id);
    expect(seen).toMatchObject({ status: 'IN_CONTACT', blockers: [`still detained since ${ago(300)}`, 'no parent available: aunt to be assessed as caregiver (safety assessment)'] });

    await run(LEAD, 'RecordSafetyAssessment', { familyId: id, relativeId: 'aunt', outcome: 'SAFE' });
    expect((await family(LEAD, id)).blockers).toEqual([`still detained since ${ago(300)}`, 'no parent available: placement decision needed (aunt assessed)']);

    await run(LEAD, 'RecordChildReleased', { familyId: id, childId: 'girl', releasedOn: ago(1), releasedToRelativeId: 'aunt', placement: 'RELATIVE' });
    expect(await family(LEAD, id)).toMatchObject({ status: 'READY_TO_REUNIFY', blockers: [] });
    await run(LEAD, 'RecordReunification', { familyId: id, childId: 'girl', relativeId: 'aunt', reunifiedOn: today, country: 'US' });
    seen = await family(LEAD, id);
    expect(seen.status).toBe('REUNIFIED');
    expect(seen.children[0]).toMatchObject({ status: 'REUNIFIED', placement: 'RELATIVE' });
    expect(seen.children[0].placementHistory.map((step: { change: string; relativeId: string | null }) => [step.change, step.relativeId])).toEqual([
      ['DETAINED', null], ['RELEASED', 'aunt'], ['REUNIFIED', 'aunt'],
    ]);
  });
});

describe('deadlines from facts (issue 14, item 7)', () => {
  it('an SIJ-programme child twenty days before turning 18 has the age-out deadline and blocker as soon as she is registered', async () => {
    const id = await run(LEAD, 'OpenFamilyCase', { programme: 'SIJ' });
    await run(LEAD, 'RegisterChild', { familyId: id, childId: 'teen', givenName: 'Luz', birthDate: addDays(addYears(today, -18), 20), nationality: 'MX' });
    const seen = await family(LEAD, id);
    expect(seen.deadlines).toEqual([{ id: 'teen-sij-age-out', kind: 'SIJ_AGE_OUT', dueOn: addDays(today, 19), status: 'OPEN' }]);
    expect(seen.blockers).toEqual(['SIJ age-out in 19 days']);
    expect(seen.children[0].blockers).toEqual(['SIJ age-out in 19 days']);
  });
});

describe('the deadline horizon is a setting (TRACKER_DEADLINE_HORIZON_DAYS)', () => {
  const narrow = makeTempDir('tracker-horizon-');
  let small: Tracker;
  beforeAll(async () => {
    small = await startTrackerInProcess({ TRACKER_DATA_DIR: narrow.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN, TRACKER_DEADLINE_HORIZON_DAYS: '10' });
    await registerOrganization(small.url, ADMIN, LEAD);
  });
  afterAll(async () => {
    await small?.stop();
    narrow.remove();
  });

  it('with a horizon of 10 days, an age-out in 19 days is a deadline but not yet a blocker', async () => {
    const key = await issueKey(small.url, ADMIN, LEAD, `${LEAD}-horizon`, 'ADVOCATE');
    const call = (query: string, variables: Record<string, unknown>) => postGraphQL(small.url, key, query, variables);
    const opened = dataOf(await call('mutation { openFamilyCase(input: { programme: SIJ }) { family { id } } }', {})).openFamilyCase.family.id as string;
    const input = { familyId: opened, childId: 'teen', givenName: 'Luz', birthDate: addDays(addYears(today, -18), 20), nationality: 'MX' };
    const seen = dataOf(await call('mutation($input: RegisterChildInput!) { registerChild(input: $input) { family { blockers nextDeadline { kind daysLeft } children { blockers } } } }', { input })).registerChild.family;
    expect(seen).toEqual({ blockers: [], nextDeadline: { kind: 'SIJ_AGE_OUT', daysLeft: 19 }, children: [{ blockers: [] }] });
  });
});

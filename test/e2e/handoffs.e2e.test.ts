import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, issueKey, postGraphQL, registerOrganization } from '../support/graphql-client.js';
import { makeTempDir } from '../support/temp-dir.js';
import { startTrackerInProcess, type Tracker } from '../support/in-process-tracker.js';

/**
 * Issue 14, items 3, 5, 6 over HTTP, each organisation with its own key: a family transferred
 * along a chain of organisations (A -> B -> C) with an open deadline, and a stop-work order over
 * an organisation's programme with an unavoidable filing and a hand-off to an organisation the
 * order does not cover. The clock is the test's, so a kept read access can be seen to end.
 */
const ADMIN = 'trk_handoffs_e2e_admin_key_00000000000000';
const temp = makeTempDir('tracker-handoffs-');
let tracker: Tracker;
let clockOffsetMs = 0;
const DAY_MS = 86_400_000;
const keys: Record<string, string> = {};
const ORGS = ['org-a', 'org-b', 'org-c', 'org-d', 'funder'];

const mutate = (org: string, mutation: string, input: Record<string, unknown>, select = 'family { id leadOrganization { id } } revision') =>
  postGraphQL(tracker.url, keys[org]!, `mutation($input: ${mutation[0]!.toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) { ${select} } }`, { input });
const ok = async (org: string, mutation: string, input: Record<string, unknown>, select?: string) => dataOf(await mutate(org, mutation, input, select))[mutation];
const errorOf = async (org: string, mutation: string, input: Record<string, unknown>) => (await mutate(org, mutation, input)).errors?.[0];
const FAMILY = `query($id: ID!) { family(id: $id) {
  id leadOrganization { id } deadlines { id status daysLeft }
  sharing { id organization { id } via scope status expiresAt coveredByConsent }
} }`;
const familyAs = async (org: string, id: string) => dataOf(await postGraphQL(tracker.url, keys[org]!, FAMILY, { id })).family;

const openAsylumFamily = async (org: string): Promise<string> => {
  const id = (await ok(org, 'openFamilyCase', { programme: 'ASYLUM' })).family.id as string;
  await ok(org, 'registerChild', { familyId: id, childId: 'girl', givenName: 'María', birthDate: '2009-04-02', nationality: 'GT' });
  await ok(org, 'addRelative', { familyId: id, relativeId: 'mother', relationship: 'MOTHER', givenName: 'Elena' });
  await ok(org, 'openLegalMatter', { familyId: id, matterId: 'asylum', matterType: 'ASYLUM', childId: 'girl', jurisdiction: 'US' });
  const dueOn = new Date(Date.now() + clockOffsetMs + 20 * DAY_MS).toISOString().slice(0, 10);
  await ok(org, 'setDeadline', { familyId: id, deadlineId: 'filing', kind: 'ASYLUM_ONE_YEAR', dueOn, matterId: 'asylum' });
  return id;
};

beforeAll(async () => {
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN }, { clock: () => new Date(Date.now() + clockOffsetMs) });
  for (const org of ORGS) {
    await registerOrganization(tracker.url, ADMIN, org, org === 'funder' ? 'FUNDER' : 'LEGAL_SERVICE_PROVIDER');
    keys[org] = await issueKey(tracker.url, ADMIN, org, `${org}-advocate`, 'ADVOCATE');
  }
  keys['org-b-admin'] = await issueKey(tracker.url, ADMIN, 'org-b', 'org-b-admin', 'ADMIN');
});
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

describe('a family transferred along a chain of organisations (A -> B -> C) with an open deadline', () => {
  it('each step answers its maker with the family; the deadline moves with it; kept read access is visible, dated and revocable', async () => {
    const id = await openAsylumFamily('org-a');
    // Without a consent covering the receiver, no transfer (item 3).
    expect((await errorOf('org-a', 'transferFamily', { familyId: id, toOrganizationId: 'org-b' }))?.extensions.code).toBe('INVALID_TRANSITION');
    await ok('org-a', 'giveConsent', { familyId: id, consentId: 'consent', personId: 'mother', purposes: ['transfer'], recipientOrganizationIds: ['org-b', 'org-c'] });

    // A proposes; A's payload is the family, still led by A, with the proposal in `sharing`.
    const proposed = await ok('org-a', 'transferFamily', { familyId: id, toOrganizationId: 'org-b', previousLeadKeepsReadAccess: true });
    expect(proposed.family).toMatchObject({ id, leadOrganization: { id: 'org-a' } });
    expect((await familyAs('org-a', id)).sharing).toEqual([{ id: null, organization: { id: 'org-b' }, via: 'TRANSFER', scope: 'STATUS', status: 'PENDING', expiresAt: null, coveredByConsent: true }]);
    const acceptedByB = await ok('org-b', 'acceptTransfer', { familyId: id });
    expect(acceptedByB.family).toMatchObject({ id, leadOrganization: { id: 'org-b' } });

    // B passes it on to C, keeping read access for one week.
    const oneWeek = new Date(Date.now() + clockOffsetMs + 7 * DAY_MS).toISOString();
    const passedOn = await ok('org-b', 'transferFamily', { familyId: id, toOrganizationId: 'org-c', previousLeadKeepsReadAccess: true, previousLeadReadAccessUntil: oneWeek });
    expect(passedOn.family).toMatchObject({ id, leadOrganization: { id: 'org-b' } });
    const acceptedByC = await ok('org-c', 'acceptTransfer', { familyId: id });
    expect(acceptedByC.family).toMatchObject({ id, leadOrganization: { id: 'org-c' } });

    const seenByC = await familyAs('org-c', id);
    expect(seenByC.deadlines).toEqual([{ id: 'filing', status: 'OPEN', daysLeft: 20 }]);
    const kept = seenByC.sharing.filter((s: { via: string }) => s.via === 'FORMER_LEAD');
    expect(kept).toEqual([
      { id: null, organization: { id: 'org-a' }, via: 'FORMER_LEAD', scope: 'FULL', status: 'ACTIVE', expiresAt: expect.any(String), coveredByConsent: null },
      { id: null, organization: { id: 'org-b' }, via: 'FORMER_LEAD', scope: 'FULL', status: 'ACTIVE', expiresAt: oneWeek, coveredByConsent: null },
    ]);
    // A's kept access ends after the documented default (30 days after B accepted).
    const aUntil = Date.parse(kept[0].expiresAt as string) - Date.now() - clockOffsetMs;
    expect(aUntil).toBeGreaterThan(29 * DAY_MS);
    expect(aUntil).toBeLessThanOrEqual(30 * DAY_MS);

    // Both former leads read the family; B only reads.
    expect((await familyAs('org-a', id))?.id).toBe(id);
    expect((await familyAs('org-b', id))?.id).toBe(id);
    expect((await errorOf('org-b', 'addRelative', { familyId: id, relativeId: 'aunt', relationship: 'AUNT', givenName: 'Ana' }))?.extensions.code).toBe('FORBIDDEN');

    // Only the new lead revokes a kept access; B then sees nothing.
    expect((await errorOf('org-a', 'revokeFormerLeadAccess', { familyId: id, organizationId: 'org-b' }))?.extensions.code).toBe('FORBIDDEN');
    await ok('org-c', 'revokeFormerLeadAccess', { familyId: id, organizationId: 'org-b' });
    expect(await familyAs('org-b', id)).toBeNull();
    expect((await familyAs('org-a', id))?.id).toBe(id);

    // Past its expiry, A's kept access has ended too.
    clockOffsetMs = 31 * DAY_MS;
    expect(await familyAs('org-a', id)).toBeNull();
    expect((await familyAs('org-c', id))?.leadOrganization).toEqual({ id: 'org-c' });
    clockOffsetMs = 0;
  });
});

describe("a stop-work order over an organisation's programme", () => {
  it('lets the unavoidable filing and a hand-off to an unaffected organisation go on; other work needs a recorded reason; no new clients', async () => {
    const id = await openAsylumFamily('org-b');
    await ok('org-b', 'giveConsent', { familyId: id, consentId: 'consent', personId: 'mother', purposes: ['transfer'], recipientOrganizationIds: ['org-c', 'org-d'] });

    // The funder's order the next day, recorded once on org-b for its asylum programme.
    const recorded = await postGraphQL(tracker.url, keys['org-b-admin']!, 'mutation { recordStopWorkOrder(input: { orderId: "order-1", programme: ASYLUM, funderOrganizationId: "funder", reason: "funding paused" }) { orderId organization { id } } }');
    expect(dataOf(recorded).recordStopWorkOrder).toEqual({ orderId: 'order-1', organization: { id: 'org-b' } });
    expect((await postGraphQL(tracker.url, keys['org-b']!, 'mutation { recordStopWorkOrder(input: { orderId: "order-2", programme: SIJ, reason: "x" }) { orderId } }')).errors?.[0]?.extensions.code).toBe('FORBIDDEN');

    // Unavoidable: the filing toward the open deadline goes on, and the deadline is met.
    await ok('org-b', 'recordPetitionFiled', { familyId: id, matterId: 'asylum', filedOn: new Date().toISOString().slice(0, 10) });
    await ok('org-b', 'recordDeadlineMet', { familyId: id, deadlineId: 'filing' });
    // Not unavoidable: refused, naming the rule, unless a reason is recorded with it.
    const refused = await errorOf('org-b', 'addRelative', { familyId: id, relativeId: 'aunt', relationship: 'AUNT', givenName: 'Ana' });
    expect(refused?.extensions.code).toBe('INVALID_TRANSITION');
    expect(refused?.message).toMatch(/not unavoidable work .* stop-work order for the ASYLUM programme: give stopWorkReason/);
    await ok('org-b', 'addRelative', { familyId: id, relativeId: 'aunt', relationship: 'AUNT', givenName: 'Ana', stopWorkReason: 'the aunt is the only safe caregiver' });
    const history = dataOf(await postGraphQL(tracker.url, keys['org-b']!, 'query($id: ID!) { familyHistory(familyId: $id, first: 100) { edges { node { type data } } } }', { id })).familyHistory.edges.slice(-2);
    expect(history.map((edge: { node: { type: string } }) => edge.node.type)).toEqual(['StopWorkExceptionRecorded', 'RelativeAdded']);
    expect(history[0].node.data).toMatchObject({ organizationId: 'org-b', orderIds: ['order-1'], commandType: 'AddRelative', personal: { subjectId: 'case:notes', reason: 'the aunt is the only safe caregiver' } });

    // No new client under the suspended programme, whatever the reason.
    expect((await errorOf('org-b', 'openFamilyCase', { programme: 'ASYLUM', stopWorkReason: 'urgent' }))?.message).toMatch(/Cannot take a new client/);
    expect((await ok('org-b', 'openFamilyCase', { programme: 'SIJ' })).family.leadOrganization).toEqual({ id: 'org-b' });

    // A hand-off to an organisation the order does not cover stays possible, and it takes the case.
    await ok('org-b', 'transferFamily', { familyId: id, toOrganizationId: 'org-d' });
    expect((await ok('org-d', 'acceptTransfer', { familyId: id })).family.leadOrganization).toEqual({ id: 'org-d' });
    await ok('org-d', 'addRelative', { familyId: id, relativeId: 'grandmother', relationship: 'GRANDPARENT', givenName: 'Rosa' });

    // An organisation under the order takes no family as a new client either.
    const other = await openAsylumFamily('org-c');
    await ok('org-c', 'giveConsent', { familyId: other, consentId: 'consent', personId: 'mother', purposes: ['transfer'], recipientOrganizationIds: ['org-b'] });
    expect((await errorOf('org-c', 'transferFamily', { familyId: other, toOrganizationId: 'org-b' }))?.message).toMatch(/stop-work order stops it taking new clients/);

    // Lifted with one command: work goes on as before.
    await postGraphQL(tracker.url, keys['org-b-admin']!, 'mutation { liftStopWorkOrder(input: { orderId: "order-1" }) { orderId } }').then(dataOf);
    await ok('org-c', 'transferFamily', { familyId: other, toOrganizationId: 'org-b' });
    expect((await ok('org-b', 'acceptTransfer', { familyId: other })).family.leadOrganization).toEqual({ id: 'org-b' });
  });
});

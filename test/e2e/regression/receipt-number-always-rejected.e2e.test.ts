import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, issueKey, postGraphQL, registerOrganization, type GraphQLResponse } from '../../support/graphql-client.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { startTrackerInProcess, type Tracker } from '../../support/in-process-tracker.js';

/**
 * Regression (issue 14, item 8): `recordPetitionFiled` takes a `receiptNumber` in the schema, but
 * every value was refused (BAD_USER_INPUT "receiptNumber is not a known input"): the command
 * checks are keyed by field name (services/family/check-command.ts) and no rule named
 * receiptNumber, so it fell through to the unknown-input refusal. Main accepts it since 2d3cacb
 * (receiptNumber joined the short text fields) without a test over HTTP; this is that test. The
 * number is personal data of the child: in the history at FULL scope only.
 */
const ADMIN_KEY = 'receipt-admin-key-0123456789abcdef';
const temp = makeTempDir('tracker-receipt-');
let tracker: Tracker;
const keys: Record<string, string> = {};
const today = new Date().toISOString().slice(0, 10);

const run = (key: string, name: string, input: Record<string, unknown>): Promise<GraphQLResponse> => {
  const type = `${name.charAt(0).toUpperCase()}${name.slice(1)}Input`;
  return postGraphQL(tracker.url, key, `mutation($input: ${type}!) { ${name}(input: $input) { revision family { id } } }`, { input });
};
const ok = async (key: string, name: string, input: Record<string, unknown>) => dataOf(await run(key, name, input))[name] as { revision: number; family: { id: string } };
const historyData = async (key: string, familyId: string, type: string): Promise<unknown> => {
  const history = dataOf(await postGraphQL(tracker.url, key, 'query($id: ID!) { familyHistory(familyId: $id, first: 100) { edges { node { type data } } } }', { id: familyId }));
  return (history.familyHistory.edges as Array<{ node: { type: string; data: unknown } }>).find((edge) => edge.node.type === type)?.node.data;
};

beforeAll(async () => {
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY });
  for (const org of ['us-legal', 'docs-partner']) await registerOrganization(tracker.url, ADMIN_KEY, org);
  keys['lead'] = await issueKey(tracker.url, ADMIN_KEY, 'us-legal', 'us-advocate', 'ADVOCATE');
  keys['docs'] = await issueKey(tracker.url, ADMIN_KEY, 'docs-partner', 'docs-advocate', 'ADVOCATE');
});
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

describe('receiptNumber on recordPetitionFiled', () => {
  it('is accepted, kept as personal data of the child, and shown in the history at FULL scope only', async () => {
    const familyId = (await ok(keys['lead']!, 'openFamilyCase', { programme: 'ASYLUM' })).family.id;
    await ok(keys['lead']!, 'registerChild', { familyId, childId: 'girl', givenName: 'Canary-Girl', birthDate: '2012-05-06', nationality: 'GT', arrivalDate: '2025-02-01' });
    await ok(keys['lead']!, 'openLegalMatter', { familyId, matterId: 'asylum', matterType: 'ASYLUM', childId: 'girl', jurisdiction: 'US' });
    const filed = await run(keys['lead']!, 'recordPetitionFiled', { familyId, matterId: 'asylum', filedOn: today, receiptNumber: 'EAC2490012345' });
    expect(filed.errors).toBeUndefined();
    expect(await historyData(keys['lead']!, familyId, 'PetitionFiled')).toEqual({ matterId: 'asylum', filedOn: today, personal: { subjectId: 'girl', receiptNumber: 'EAC2490012345' } });

    await ok(keys['lead']!, 'giveConsent', { familyId, consentId: 'consent', personId: 'girl', purposes: ['documents'], recipientOrganizationIds: ['docs-partner'] });
    await ok(keys['lead']!, 'referFamily', { familyId, referralId: 'docs', toOrganizationId: 'docs-partner', purpose: 'documents', scope: 'DOCUMENTS' });
    dataOf(await postGraphQL(tracker.url, keys['docs']!, 'mutation($id: ID!) { acceptReferral(input: { familyId: $id, referralId: "docs" }) { revision } }', { id: familyId }));
    expect(await historyData(keys['docs']!, familyId, 'PetitionFiled')).toEqual({ matterId: 'asylum', filedOn: today, redacted: ['personal.receiptNumber'] });
  });

  it('a receipt number that is not ordinary text is refused naming the field, never the value', async () => {
    const familyId = (await ok(keys['lead']!, 'openFamilyCase', { programme: 'ASYLUM' })).family.id;
    await ok(keys['lead']!, 'registerChild', { familyId, childId: 'boy', givenName: 'Canary-Boy', birthDate: '2012-05-06', nationality: 'GT' });
    await ok(keys['lead']!, 'openLegalMatter', { familyId, matterId: 'asylum', matterType: 'ASYLUM', childId: 'boy', jurisdiction: 'US' });
    const refused = await run(keys['lead']!, 'recordPetitionFiled', { familyId, matterId: 'asylum', filedOn: today, receiptNumber: 'EAC\u202e2490012345' });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'receiptNumber' });
    expect(JSON.stringify(refused)).not.toContain('2490012345');
  });
});

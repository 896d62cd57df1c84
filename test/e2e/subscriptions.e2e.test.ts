import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, issueKey, postGraphQL, registerOrganization } from '../support/graphql-client.js';
import { subscribe, type Transport } from '../support/subscription-clients.js';
import { makeTempDir } from '../support/temp-dir.js';
import { startTrackerInProcess, type Tracker } from '../support/in-process-tracker.js';

/**
 * Partners' status-change subscriptions over SSE (graphql-sse client) and WebSocket (graphql-ws
 * client) against the real server: live delivery, resuming after a disconnect, the end of the
 * stream when access ends, and isolation from other organisations' families.
 */
const ADMIN = 'subscriptions-admin-key-0123456789';
const temp = makeTempDir('tracker-subscriptions-');
let tracker: Tracker;
const keys: Record<string, string> = {};
const TRANSPORTS: readonly Transport[] = ['sse', 'ws'];

const gql = (key: string, query: string, variables: Record<string, unknown> = {}) => postGraphQL(tracker.url, key, query, variables);
const openFamily = async (key: string): Promise<string> => dataOf(await gql(key, 'mutation { openFamilyCase(input: { programme: SIJ }) { family { id } } }')).openFamilyCase.family.id as string;
/** Records the consent a referral to the partner needs (issue 14, item 3); the family stays in INTAKE. */
const consentToPartner = async (key: string, id: string): Promise<void> => {
  dataOf(await gql(key, 'mutation($id: ID!) { registerChild(input: { familyId: $id, childId: "consenting", givenName: "A", birthDate: "2012-01-01", nationality: "HN" }) { revision } }', { id }));
  dataOf(await gql(key, 'mutation($id: ID!) { giveConsent(input: { familyId: $id, consentId: "consent", personId: "consenting", purposes: ["p"], recipientOrganizationIds: ["partner-org"] }) { revision } }', { id }));
};
/** Two status changes: CLOSED, then back to INTAKE. */
const closeAndReopen = async (key: string, id: string) => {
  dataOf(await gql(key, 'mutation($id: ID!) { closeFamilyCase(input: { familyId: $id, reason: WITHDRAWN }) { revision } }', { id }));
  dataOf(await gql(key, 'mutation($id: ID!) { reopenFamilyCase(input: { familyId: $id, reason: "new information" }) { revision } }', { id }));
};
/** The feed's current end for this caller: a cursor to subscribe after. */
const feedEnd = async (key: string): Promise<string | null> => {
  let after: string | null = null;
  for (;;) {
    const page: { endCursor: string | null; hasMore: boolean } = dataOf(await gql(key, 'query($after: String) { familyStatusChanges(after: $after, first: 500) { endCursor hasMore } }', { after })).familyStatusChanges;
    after = page.endCursor;
    if (!page.hasMore) return after;
  }
};

beforeAll(async () => {
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN });
  for (const id of ['lead-org', 'partner-org', 'other-org']) await registerOrganization(tracker.url, ADMIN, id);
  keys['lead'] = await issueKey(tracker.url, ADMIN, 'lead-org', 'lead-advocate', 'ADVOCATE');
  keys['partner'] = await issueKey(tracker.url, ADMIN, 'partner-org', 'partner', 'PARTNER');
  keys['partnerAdvocate'] = await issueKey(tracker.url, ADMIN, 'partner-org', 'partner-advocate', 'ADVOCATE');
  keys['other'] = await issueKey(tracker.url, ADMIN, 'other-org', 'other-advocate', 'ADVOCATE');
});
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

describe.each(TRANSPORTS)('familyStatusChanged over %s', (transport) => {
  it('delivers live changes in order, from a cursor without a gap', async () => {
    const id = await openFamily(keys['lead']!);
    const after = await feedEnd(keys['lead']!);
    const subscription = subscribe(transport, tracker.url, keys['lead']!, { ids: [id], after });
    await closeAndReopen(keys['lead']!, id);
    const results = await subscription.take(2);
    await subscription.close();
    expect(results.map((r) => [r.change?.familyId, r.change?.previousStatus, r.change?.status])).toEqual([[id, 'INTAKE', 'CLOSED'], [id, 'CLOSED', 'INTAKE']]);
  });

  it('without a cursor, delivers only what happens after it starts', async () => {
    const id = await openFamily(keys['lead']!);
    await closeAndReopen(keys['lead']!, id);
    const subscription = subscribe(transport, tracker.url, keys['lead']!, { ids: [id] });
    expect(await subscription.take(1, 1_500)).toEqual([]);
    dataOf(await gql(keys['lead']!, 'mutation($id: ID!) { closeFamilyCase(input: { familyId: $id, reason: WITHDRAWN }) { revision } }', { id }));
    const [result] = await subscription.take(1);
    await subscription.close();
    expect(result?.change).toMatchObject({ familyId: id, previousStatus: 'INTAKE', status: 'CLOSED' });
  });

  it('after a disconnect, 50 changes, and a reconnect with the last cursor: all 50 exactly once, in order', async () => {
    const first = subscribe(transport, tracker.url, keys['lead']!, { after: await feedEnd(keys['lead']!) });
    const id = await openFamily(keys['lead']!);
    const [opened] = await first.take(1);
    expect(opened?.change).toMatchObject({ familyId: id, status: 'INTAKE' });
    await first.close();

    const ids: string[] = [];
    for (let i = 0; i < 50; i += 1) ids.push(await openFamily(keys['lead']!));
    const resumed = subscribe(transport, tracker.url, keys['lead']!, { after: opened!.change!.cursor });
    const results = await resumed.take(50, 20_000);
    // Nothing repeats after the 50: the next change delivered is one made after them.
    const later = await openFamily(keys['lead']!);
    expect((await resumed.take(1)).map((r) => r.change?.familyId)).toEqual([later]);
    await resumed.close();
    expect(results.map((r) => r.change?.familyId)).toEqual(ids);
    const cursors = results.map((r) => r.change!.cursor);
    expect(new Set(cursors).size).toBe(50);
  });

  it('a partner never receives another organisation\'s family; naming one is NOT_FOUND, exactly like an unknown id', async () => {
    const foreign = await openFamily(keys['other']!);
    const named = subscribe(transport, tracker.url, keys['partner']!, { ids: [foreign] });
    const unknown = subscribe(transport, tracker.url, keys['partner']!, { ids: ['no-such-family'] });
    const [namedResult] = await named.take(1);
    const [unknownResult] = await unknown.take(1);
    expect(namedResult?.error?.code).toBe('NOT_FOUND');
    expect(namedResult?.error?.message.replace(foreign, 'X')).toBe(unknownResult?.error?.message.replace('no-such-family', 'X'));

    const everything = subscribe(transport, tracker.url, keys['partner']!, { after: await feedEnd(keys['partner']!) });
    await closeAndReopen(keys['other']!, foreign);
    // Then a family the partner may see (opened after the foreign changes, then referred): the
    // feed is in order, so its opening comes first only if the foreign changes were skipped.
    const referred = await openFamily(keys['lead']!);
    await consentToPartner(keys['lead']!, referred);
    dataOf(await gql(keys['lead']!, 'mutation($id: ID!) { referFamily(input: { familyId: $id, referralId: "seen", toOrganizationId: "partner-org", purpose: "p", scope: STATUS }) { revision } }', { id: referred }));
    dataOf(await gql(keys['partnerAdvocate']!, 'mutation($id: ID!) { acceptReferral(input: { familyId: $id, referralId: "seen" }) { revision } }', { id: referred }));
    const [first] = await everything.take(1);
    expect(first?.change).toMatchObject({ familyId: referred, status: 'INTAKE' });
    await Promise.all([named.close(), unknown.close(), everything.close()]);
  });

  it('revoking the referral ends the stream with a clear error', async () => {
    const id = await openFamily(keys['lead']!);
    await consentToPartner(keys['lead']!, id);
    dataOf(await gql(keys['lead']!, 'mutation($id: ID!) { referFamily(input: { familyId: $id, referralId: "r", toOrganizationId: "partner-org", purpose: "p", scope: STATUS }) { revision } }', { id }));
    dataOf(await gql(keys['partnerAdvocate']!, 'mutation($id: ID!) { acceptReferral(input: { familyId: $id, referralId: "r" }) { revision } }', { id }));
    const subscription = subscribe(transport, tracker.url, keys['partner']!, { ids: [id], after: await feedEnd(keys['partner']!) });
    await closeAndReopen(keys['lead']!, id);
    expect((await subscription.take(2)).map((r) => r.change?.status)).toEqual(['CLOSED', 'INTAKE']);
    dataOf(await gql(keys['lead']!, 'mutation($id: ID!) { revokeReferral(input: { familyId: $id, referralId: "r" }) { revision } }', { id }));
    const [ending] = await subscription.take(1);
    expect(ending?.error).toMatchObject({ code: 'FORBIDDEN' });
    expect(ending?.error?.message).toContain('has ended');
    await subscription.close();
  });

  it('revoking the key ends the stream with UNAUTHENTICATED', async () => {
    const issued = dataOf(await gql(ADMIN, 'mutation($u: ID!) { issueApiKey(input: { organizationId: "lead-org", userId: $u, userName: "Temp", role: PARTNER, label: "t" }) { keyId apiKey } }', { u: `temp-${transport}` })).issueApiKey;
    const subscription = subscribe(transport, tracker.url, issued.apiKey as string, { after: await feedEnd(issued.apiKey as string) });
    // A first delivered change proves the stream was open and authenticated before the revocation.
    const id = await openFamily(keys['lead']!);
    expect((await subscription.take(1)).map((r) => r.change?.familyId)).toEqual([id]);
    dataOf(await gql(ADMIN, 'mutation($k: ID!) { revokeApiKey(input: { organizationId: "lead-org", keyId: $k }) { keyId } }', { k: issued.keyId }));
    const [ending] = await subscription.take(1);
    expect(ending?.error).toMatchObject({ code: 'UNAUTHENTICATED' });
    await subscription.close();
  });
});

describe('authentication of subscriptions', () => {
  it.each(TRANSPORTS)('%s: a subscription without a valid key is refused', async (transport) => {
    const subscription = subscribe(transport, tracker.url, 'trk_not-a-real-key', {});
    const [result] = await subscription.take(1);
    expect(result?.error).toBeDefined();
    expect(result?.change).toBeUndefined();
    await subscription.close();
  });
});

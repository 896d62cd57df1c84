import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../support/async.js';
import { EsdbProtocolTestServer } from '../support/esdb-protocol-test-server.js';
import { dataOf, issueKey, postGraphQL, registerOrganization } from '../support/graphql-client.js';
import { startTrackerInProcess, type Tracker } from '../support/in-process-tracker.js';
import { subscribe } from '../support/subscription-clients.js';
import { makeTempDir } from '../support/temp-dir.js';

/**
 * Two tracker replicas on one EventStoreDB connection (the protocol test server), each with its
 * own data directory and read models: what one writes, the other serves once its projector has
 * passed the returned position.
 */
const ADMIN = 'replicas-admin-key-0123456789abcdef';
const temps = [makeTempDir('tracker-replica-a-'), makeTempDir('tracker-replica-b-')];
/**
 * The master key every replica holds; the data keys are in the event store (the default on
 * EventStoreDB; test/e2e/regression/replica-could-not-read-people-recorded-on-another.e2e.test.ts
 * gives each replica its own key directory too). The shared directory holds the search index key.
 */
const keyStore = makeTempDir('tracker-replica-keys-');
const SHARED_KEYS = { TRACKER_KEY_DIR: keyStore.dir, TRACKER_MASTER_KEY: randomBytes(32).toString('hex') };
let server: EsdbProtocolTestServer;
let a: Tracker;
let b: Tracker;
const keys: Record<string, string> = {};

interface Readiness {
  status: string;
  eventStore: string;
  headPosition: string | null;
  projections: Array<{ name: string; position: string | null; behind: number }>;
}
const readiness = async (tracker: Tracker): Promise<Readiness> => (await (await fetch(`${tracker.url}/readyz`)).json()) as Readiness;
const commitOf = (position: string | null): bigint => BigInt((position ?? '0').split('-')[0]!);
/** Until the replica's families projection has passed `position` (as a client would poll /readyz). */
const passed = (tracker: Tracker, position: string) =>
  waitUntil(`the replica at ${tracker.url} to pass ${position}`, async () => {
    const families = (await readiness(tracker)).projections.find((projection) => projection.name === 'families');
    return commitOf(families?.position ?? null) >= commitOf(position);
  });
const gql = (tracker: Tracker, key: string, query: string, variables: Record<string, unknown> = {}) => postGraphQL(tracker.url, key, query, variables);
const openFamily = async (tracker: Tracker, key: string, commandId?: string) =>
  dataOf(await gql(tracker, key, 'mutation($c: ID) { openFamilyCase(input: { programme: SIJ, commandId: $c }) { family { id } position replayed } }', { c: commandId ?? null }))
    .openFamilyCase as { family: { id: string }; position: string; replayed: boolean };

/** The feed's current end on a replica for this caller: a cursor to subscribe after. */
const feedEnd = async (tracker: Tracker, key: string): Promise<string | null> => {
  let after: string | null = null;
  for (;;) {
    const page: { endCursor: string | null; hasMore: boolean } = dataOf(await gql(tracker, key, 'query($after: String) { familyStatusChanges(after: $after, first: 500) { endCursor hasMore } }', { after })).familyStatusChanges;
    after = page.endCursor;
    if (!page.hasMore) return after;
  }
};

beforeAll(async () => {
  server = await EsdbProtocolTestServer.start();
  const env = (dir: string) => ({ ...SHARED_KEYS, TRACKER_DATA_DIR: dir, EVENTSTORE_CONNECTION_STRING: server.connectionString, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN, TRACKER_RATE_LIMIT_REQUESTS: '0' });
  // Started together: both find an empty store and bootstrap at once.
  [a, b] = await Promise.all([startTrackerInProcess(env(temps[0]!.dir)), startTrackerInProcess(env(temps[1]!.dir))]);
  for (const id of ['lead-org', 'partner-org']) await registerOrganization(a.url, ADMIN, id);
  keys['lead'] = await issueKey(a.url, ADMIN, 'lead-org', 'lead-advocate', 'ADVOCATE');
  keys['partner'] = await issueKey(a.url, ADMIN, 'partner-org', 'partner', 'PARTNER');
  keys['partnerAdvocate'] = await issueKey(a.url, ADMIN, 'partner-org', 'partner-advocate', 'ADVOCATE');
  const head = (await readiness(a)).headPosition!;
  await passed(b, head);
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await server?.stop();
  for (const temp of temps) temp.remove();
  keyStore.remove();
});

describe('two API replicas on one EventStoreDB connection', () => {
  it('bootstraps the system organisation once, though both started on an empty store at the same moment', () => {
    const bootstrapEvents = server.log.streamEvents('organization-system')!.map((record) => record.type);
    expect(bootstrapEvents).toEqual(['OrganizationRegistered', 'MemberAdded', 'ApiKeyIssued']);
  });

  it('a mutation through A is readable through B once B has passed the returned position; /readyz says how far each is behind', async () => {
    const { family, position } = await openFamily(a, keys['lead']!);
    await passed(b, position);
    const seen = dataOf(await gql(b, keys['lead']!, 'query($id: ID!) { family(id: $id) { id status } }', { id: family.id })).family;
    expect(seen).toEqual({ id: family.id, status: 'INTAKE' });

    for (const replica of [a, b]) {
      const ready = await readiness(replica);
      expect(ready).toMatchObject({ status: 'ready', eventStore: 'eventstoredb' });
      for (const projection of ready.projections) {
        expect(projection.behind).toBe(Number(commitOf(ready.headPosition) - commitOf(projection.position)));
      }
    }
  });

  it('a partner subscribed on B receives a change made through A', async () => {
    const { family } = await openFamily(a, keys['lead']!);
    // The consent the referral needs (issue 14, item 3).
    dataOf(await gql(a, keys['lead']!, 'mutation($id: ID!) { registerChild(input: { familyId: $id, childId: "c", givenName: "A", birthDate: "2012-01-01", nationality: "HN" }) { revision } }', { id: family.id }));
    dataOf(await gql(a, keys['lead']!, 'mutation($id: ID!) { giveConsent(input: { familyId: $id, consentId: "consent", personId: "c", purposes: ["p"], recipientOrganizationIds: ["partner-org"] }) { revision } }', { id: family.id }));
    dataOf(await gql(a, keys['lead']!, 'mutation($id: ID!) { referFamily(input: { familyId: $id, referralId: "r", toOrganizationId: "partner-org", purpose: "p", scope: STATUS }) { revision } }', { id: family.id }));
    const accepted = dataOf(await gql(a, keys['partnerAdvocate']!, 'mutation($id: ID!) { acceptReferral(input: { familyId: $id, referralId: "r" }) { position } }', { id: family.id })).acceptReferral.position as string;
    await passed(b, accepted);
    const subscription = subscribe('sse', b.url, keys['partner']!, { ids: [family.id], after: await feedEnd(b, keys['partner']!) });
    dataOf(await gql(a, keys['lead']!, 'mutation($id: ID!) { closeFamilyCase(input: { familyId: $id, reason: WITHDRAWN }) { revision } }', { id: family.id }));
    const [change] = await subscription.take(1);
    await subscription.close();
    expect(change?.change).toMatchObject({ familyId: family.id, previousStatus: 'INTAKE', status: 'CLOSED' });
  });

  it('the same commandId through A and then through B records once', async () => {
    const first = await openFamily(a, keys['lead']!, 'open-once-across-replicas');
    const again = await openFamily(b, keys['lead']!, 'open-once-across-replicas');
    expect(again).toEqual({ ...first, replayed: true });
    expect(server.log.streamEvents(`family-${first.family.id}`)).toHaveLength(1);
  });

  it('a concurrency conflict across replicas resolves by expected revision: one wins, the other is CONFLICT', async () => {
    const { family, position } = await openFamily(a, keys['lead']!);
    await passed(b, position);
    const add = (tracker: Tracker, relativeId: string) =>
      gql(tracker, keys['lead']!, 'mutation($input: AddRelativeInput!) { addRelative(input: $input) { revision } }', {
        input: { familyId: family.id, relativeId, relationship: 'AUNT', givenName: relativeId, expectedRevision: 0 },
      });
    const outcomes = await Promise.all([add(a, 'aunt-via-a'), add(b, 'aunt-via-b')]);
    const codes = outcomes.map((outcome) => outcome.errors?.[0]?.extensions.code ?? 'OK').sort();
    expect(codes).toEqual(['CONFLICT', 'OK']);
    expect(server.log.streamEvents(`family-${family.id}`)).toHaveLength(2);
  });
});

describe('two replicas starting together on an empty store without a configured administrator key', () => {
  it('at most one prints a generated key, and the printed key works on both (a replica whose bootstrap replayed printed a key that was never stored)', async () => {
    const fresh = await EsdbProtocolTestServer.start();
    const dirs = [makeTempDir('tracker-replica-c-'), makeTempDir('tracker-replica-d-')];
    const keyDir = makeTempDir('tracker-replica-keys-cd-');
    dirs.push(keyDir);
    const shared = { TRACKER_KEY_DIR: keyDir.dir, TRACKER_MASTER_KEY: randomBytes(32).toString('hex') };
    const replicas = await Promise.all([dirs[0]!, dirs[1]!].map((dir) => startTrackerInProcess({ ...shared, TRACKER_DATA_DIR: dir.dir, EVENTSTORE_CONNECTION_STRING: fresh.connectionString })));
    try {
      const printed = replicas.flatMap((replica) => [...replica.output().matchAll(/store it now\):\s+(\S+)/g)].map((match) => match[1]!));
      expect(printed).toHaveLength(1);
      for (const replica of replicas) {
        await waitUntil('the replica to know the key', async () => !(await postGraphQL(replica.url, printed[0]!, '{ serverInfo { version } }')).errors);
      }
      expect(fresh.log.streamEvents('organization-system')).toHaveLength(3);
    } finally {
      await Promise.all(replicas.map((replica) => replica.stop()));
      await fresh.stop();
      for (const dir of dirs) dir.remove();
    }
  });
});

import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { newEventId } from '../../../infra/event-store/event-id.js';
import { SqliteEventStore } from '../../../infra/event-store/sqlite/sqlite-event-store.js';
import { formatPosition } from '../../../services/event-store/position.js';
import { executeFamilyCommand } from '../../../services/family/family-service.js';
import { dataOf, issueKey, postGraphQL, registerOrganization } from '../../support/graphql-client.js';
import { codeOf, eventually, rawGet, rawGraphQL } from '../../support/raw-http.js';
import { subscribe, type Subscription } from '../../support/subscription-clients.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { startTrackerProcess, type TrackerProcess } from '../../support/tracker-process.js';

/**
 * Issue 12, finding 2: once the organisations projection had stalled, the tracker went on
 * answering from it as if it were current: mutations answered success (a revocation "took",
 * yet the key kept working) and every read, subscription and webhook used the frozen rows.
 * Now, while a projection that authentication or visibility reads is stalled: every GraphQL
 * request is UNAVAILABLE (HTTP 503), with or without a key; /healthz stays up and /readyz names
 * the projection and the error; a mutation whose write was recorded says so, with its position;
 * open subscriptions end with UNAVAILABLE, new WebSocket connections are closed with 1013; the
 * webhook dispatcher stops. The stall is made the only way the API no longer allows: a row
 * written into the read model behind the projector's back, which the next event collides with.
 */
const ADMIN = 'stall-admin-key-0123456789abcdef';
const temp = makeTempDir('tracker-stall-');
const ENV = { TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN, TRACKER_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', TRACKER_WEBHOOK_RETRY_BASE_MS: '50' };
const REGISTER_LATE = 'mutation { registerOrganization(input: { organizationId: "late-org", name: "Late", kind: PARTNER_NGO, commandId: "late-1" }) { organization { id } replayed } }';

let tracker: TrackerProcess;
const keys: Record<string, string> = {};
let familyId = '';
const subscriptions: Record<'sse' | 'ws', Subscription | undefined> = { sse: undefined, ws: undefined };
const delivered: string[] = [];
let receiver: Server;
let stalledRegistration: Awaited<ReturnType<typeof rawGraphQL>>;

const gql = (key: string, query: string, variables: Record<string, unknown> = {}) => postGraphQL(tracker.url, key, query, variables);
const closeAndReopen = async (id: string) => {
  dataOf(await gql(keys['lead']!, 'mutation($id: ID!) { closeFamilyCase(input: { familyId: $id, reason: WITHDRAWN }) { revision } }', { id }));
  dataOf(await gql(keys['lead']!, 'mutation($id: ID!) { reopenFamilyCase(input: { familyId: $id, reason: "new information" }) { revision } }', { id }));
};

/** Writes a row the organisations projection's next OrganizationRegistered("late-org") collides with. */
const plantCollidingRow = (): void => {
  const db = new Database(join(temp.dir, 'read-models.sqlite'));
  try {
    const { version } = db.prepare("SELECT version FROM projection_checkpoints WHERE name = 'organizations' AND active = 1").get() as { version: number };
    db.prepare(`INSERT INTO organizations__v${String(version)} (organization_id, name, kind, active) VALUES ('late-org', 'planted', 'PARTNER_NGO', 1)`).run();
  } finally {
    db.close();
  }
};

/** A raw graphql-ws connection_init; resolves with the close code. */
const connectionCloseCode = (key: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const socket = new WebSocket(`${tracker.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } })));
    socket.on('message', () => socket.close(1000));
    socket.on('close', (code) => resolve(code));
    socket.on('error', reject);
  });

beforeAll(async () => {
  receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      delivered.push(String(req.headers['x-tracker-delivery']));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  tracker = await startTrackerProcess(ENV);
  await registerOrganization(tracker.url, ADMIN, 'lead-org');
  await registerOrganization(tracker.url, ADMIN, 'partner-org', 'PARTNER_NGO');
  keys['lead'] = await issueKey(tracker.url, ADMIN, 'lead-org', 'lead-advocate', 'ADVOCATE');
  keys['partner'] = await issueKey(tracker.url, ADMIN, 'partner-org', 'partner', 'PARTNER');
  keys['partnerAdmin'] = await issueKey(tracker.url, ADMIN, 'partner-org', 'partner-admin', 'ADMIN');
  familyId = dataOf(await gql(keys['lead'], 'mutation { openFamilyCase(input: { programme: SIJ }) { family { id } } }')).openFamilyCase.family.id as string;
  dataOf(await gql(keys['lead'], 'mutation($id: ID!) { registerChild(input: { familyId: $id, childId: "c", givenName: "A", birthDate: "2012-01-01", nationality: "HN" }) { revision } }', { id: familyId }));
  dataOf(await gql(keys['lead'], 'mutation($id: ID!) { giveConsent(input: { familyId: $id, consentId: "consent", personId: "c", purposes: ["p"], recipientOrganizationIds: ["partner-org"] }) { revision } }', { id: familyId }));
  dataOf(await gql(keys['lead'], 'mutation($id: ID!) { referFamily(input: { familyId: $id, referralId: "r", toOrganizationId: "partner-org", purpose: "p", scope: STATUS }) { revision } }', { id: familyId }));
  dataOf(await gql(keys['partner'], 'mutation($id: ID!) { acceptReferral(input: { familyId: $id, referralId: "r" }) { revision } }', { id: familyId }));
  const url = `http://127.0.0.1:${String((receiver.address() as AddressInfo).port)}/hook`;
  dataOf(await gql(keys['partnerAdmin'], 'mutation($u: String!) { registerWebhook(input: { url: $u }) { webhook { id } } }', { u: url }));

  // Before the stall: webhooks are delivered and both subscriptions are live.
  const after = dataOf(await gql(keys['partner'], 'query($id: ID!) { familyStatusChanges(familyIds: [$id]) { endCursor } }', { id: familyId })).familyStatusChanges.endCursor as string;
  subscriptions.sse = subscribe('sse', tracker.url, keys['partner'], { ids: [familyId], after });
  subscriptions.ws = subscribe('ws', tracker.url, keys['partner'], { ids: [familyId], after });
  await closeAndReopen(familyId);
  for (const subscription of Object.values(subscriptions)) expect((await subscription!.take(2)).map((r) => r.change?.status)).toEqual(['CLOSED', 'INTAKE']);
  await eventually(10_000, 'two webhook deliveries', () => Promise.resolve(delivered.length >= 2 ? true : undefined));

  plantCollidingRow();
  stalledRegistration = await rawGraphQL(tracker.url, ADMIN, REGISTER_LATE);
});
afterAll(async () => {
  for (const subscription of Object.values(subscriptions)) await subscription?.close();
  await tracker?.stop();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  temp.remove();
});

describe('a stalled organisations projection', () => {
  it('the mutation that ran into it says its write was recorded but is not yet visible, with the position', () => {
    expect(stalledRegistration.status).toBe(503);
    expect(stalledRegistration.body.data?.registerOrganization ?? null).toBeNull();
    const error = stalledRegistration.body.errors?.[0];
    expect(error?.extensions).toMatchObject({ code: 'UNAVAILABLE', position: expect.stringMatching(/^\d+$/) });
    expect(error?.message).toContain(`recorded at position ${String(error?.extensions?.['position'])}`);
  });

  it('every request is UNAVAILABLE (HTTP 503, Retry-After), with or without a key', async () => {
    for (const key of [ADMIN, keys['lead'], keys['partner'], 'trk_unknown', undefined]) {
      const answer = await rawGraphQL(tracker.url, key, 'query($id: ID!) { family(id: $id) { id } }', { id: familyId });
      expect([answer.status, codeOf(answer), answer.body.data ?? null]).toEqual([503, 'UNAVAILABLE', null]);
      expect(answer.retryAfter).not.toBeNull();
    }
  });

  it('/healthz stays up; /readyz names the stalled projection and why', async () => {
    expect((await fetch(`${tracker.url}/healthz`)).status).toBe(200);
    const readyz = await rawGet(tracker.url, '/readyz');
    expect(readyz.status).toBe(503);
    expect(readyz.body['notServing']).toEqual([expect.objectContaining({ projection: 'organizations', reason: 'STALLED', detail: expect.stringContaining('UNIQUE constraint failed') })]);
  });

  it.each(['sse', 'ws'] as const)('an open %s subscription ends with UNAVAILABLE', async (transport) => {
    const [result] = await subscriptions[transport]!.take(1, 15_000);
    expect(result?.error?.code).toBe('UNAVAILABLE');
  });

  it('a new WebSocket connection is closed with 1013 (try again later)', async () => {
    expect(await connectionCloseCode(keys['partner']!)).toBe(1013);
  });

  it('the webhook dispatcher stops: a change the families projection shows is not delivered', async () => {
    const before = delivered.length;
    const store = SqliteEventStore.open(join(temp.dir, 'events.sqlite'));
    const actor = { userId: 'lead-advocate', organizationId: 'lead-org', role: 'ADVOCATE' as const };
    const issuedAt = new Date().toISOString();
    let position = '';
    try {
      position = formatPosition((await executeFamilyCommand({ store, newEventId }, { type: 'CloseFamilyCase', familyId, reason: 'WITHDRAWN', actor, issuedAt, occurredAt: issuedAt })).position);
    } finally {
      await store.close();
    }
    await eventually(10_000, 'the families projection shows the change', async () => {
      const families = (await rawGet(tracker.url, '/readyz')).body['projections'].find((p: { name: string }) => p.name === 'families') as { position: string | null };
      return families.position !== null && BigInt(families.position) >= BigInt(position) ? true : undefined;
    });
    // Absence can only be checked over a bounded time: a running dispatcher delivers within
    // a few hundred milliseconds of the projection's progress.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(delivered.length).toBe(before);
  });

  it('the write stood: rebuilt from the store, the organisation exists and the repeat is replayed', async () => {
    await tracker.stop();
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(temp.dir, `read-models.sqlite${suffix}`), { force: true });
    tracker = await startTrackerProcess(ENV);
    await eventually(30_000, 'ready after the rebuild', async () => ((await rawGet(tracker.url, '/readyz')).status === 200 ? true : undefined));
    expect(dataOf(await gql(ADMIN, REGISTER_LATE)).registerOrganization).toEqual({ organization: { id: 'late-org' }, replayed: true });
  });
});

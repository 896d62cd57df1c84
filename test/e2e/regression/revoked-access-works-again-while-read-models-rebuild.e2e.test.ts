import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newEventId } from '../../../infra/event-store/event-id.js';
import { SqliteEventStore } from '../../../infra/event-store/sqlite/sqlite-event-store.js';
import { executeFamilyCommand } from '../../../services/family/family-service.js';
import { executeOrganizationCommand } from '../../../services/organization/organization-service.js';
import { loadFamilies } from '../../support/family-load.js';
import { dataOf, issueKey, postGraphQL, registerOrganization } from '../../support/graphql-client.js';
import { codeOf, rawGet, rawGraphQL, type RawResponse } from '../../support/raw-http.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { startTrackerProcess, type TrackerProcess } from '../../support/tracker-process.js';

/**
 * Issue 12, finding 2: while the read models rebuilt at start-up (they are disposable; here a
 * 60,000-event store), a revoked API key, a deactivated organisation's key and a revoked
 * referral worked again until the rebuild reached the events that ended them. Now every GraphQL
 * request is UNAVAILABLE (HTTP 503) until the projections that authentication and visibility
 * read have passed the store's head as it stood at start; /healthz stays up, /readyz says why.
 */
const ADMIN = 'rebuild-admin-key-0123456789abcdef';
const temp = makeTempDir('tracker-rebuild-');
const ENV = { TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN };
const FAMILY = 'query($id: ID!) { family(id: $id) { id status } }';
const LOAD_FAMILIES = 3_000;
const EVENTS_PER_FAMILY = 20;

let tracker: TrackerProcess | undefined;
let familyId = '';
const keys: Record<'leaver' | 'gone' | 'partner' | 'stayer', string> = { leaver: '', gone: '', partner: '', stayer: '' };

interface Round { readonly readyz: RawResponse; readonly healthz: number; readonly answers: Record<keyof typeof keys | 'anonymous', RawResponse> }
const rounds: Round[] = [];
let windowMs = 0;

const gql = (key: string, query: string, variables: Record<string, unknown> = {}) => postGraphQL(tracker!.url, key, query, variables);

beforeAll(async () => {
  tracker = await startTrackerProcess(ENV);
  const { url } = tracker;
  await registerOrganization(url, ADMIN, 'lead-org');
  await registerOrganization(url, ADMIN, 'gone-org', 'PARTNER_NGO');
  await registerOrganization(url, ADMIN, 'partner-org', 'PARTNER_NGO');
  const leaver = dataOf(await gql(ADMIN, 'mutation { issueApiKey(input: { organizationId: "lead-org", userId: "leaver", userName: "Leaver", role: ADVOCATE, label: "old laptop" }) { keyId apiKey } }')).issueApiKey;
  keys.leaver = leaver.apiKey as string;
  keys.stayer = await issueKey(url, ADMIN, 'lead-org', 'stayer', 'ADVOCATE');
  keys.gone = await issueKey(url, ADMIN, 'gone-org', 'gone-advocate', 'ADVOCATE');
  keys.partner = await issueKey(url, ADMIN, 'partner-org', 'partner-user', 'PARTNER');
  familyId = dataOf(await gql(keys.stayer, 'mutation { openFamilyCase(input: { programme: SEPARATED_FAMILY }) { family { id } } }')).openFamilyCase.family.id as string;
  // The consent the referrals need (issue 14, item 3).
  dataOf(await gql(keys.stayer, 'mutation($id: ID!) { registerChild(input: { familyId: $id, childId: "c", givenName: "A", birthDate: "2012-01-01", nationality: "HN" }) { revision } }', { id: familyId }));
  dataOf(await gql(keys.stayer, 'mutation($id: ID!) { giveConsent(input: { familyId: $id, consentId: "consent", personId: "c", purposes: ["follow-up"], recipientOrganizationIds: ["gone-org", "partner-org"] }) { revision } }', { id: familyId }));
  for (const [referralId, organizationId, key] of [['ref-gone', 'gone-org', keys.gone], ['ref-partner', 'partner-org', keys.partner]] as const) {
    dataOf(await gql(keys.stayer, 'mutation($id: ID!, $r: ID!, $o: ID!) { referFamily(input: { familyId: $id, referralId: $r, toOrganizationId: $o, purpose: "follow-up", scope: STATUS }) { revision } }', { id: familyId, r: referralId, o: organizationId }));
    dataOf(await gql(key, 'mutation($id: ID!, $r: ID!) { acceptReferral(input: { familyId: $id, referralId: $r }) { revision } }', { id: familyId, r: referralId }));
  }
  for (const key of Object.values(keys)) expect(dataOf(await gql(key, FAMILY, { id: familyId })).family?.id).toBe(familyId);
  await tracker.stop();

  // A large store, then the three revocations after it, through the real command handlers.
  const store = SqliteEventStore.open(join(temp.dir, 'events.sqlite'));
  await loadFamilies(store, LOAD_FAMILIES, EVENTS_PER_FAMILY);
  const issuedAt = new Date().toISOString();
  const dependencies = { store, newEventId };
  await executeOrganizationCommand(dependencies, { type: 'RevokeApiKey', organizationId: 'lead-org', keyId: leaver.keyId as string, actor: { userId: 'system-admin', organizationId: 'system', role: 'ADMIN' }, issuedAt });
  await executeOrganizationCommand(dependencies, { type: 'DeactivateOrganization', organizationId: 'gone-org', reason: 'programme ended', actor: { userId: 'system-admin', organizationId: 'system', role: 'ADMIN' }, issuedAt });
  await executeFamilyCommand(dependencies, { type: 'RevokeReferral', familyId, referralId: 'ref-partner', actor: { userId: 'stayer', organizationId: 'lead-org', role: 'ADVOCATE' }, issuedAt, occurredAt: issuedAt });
  await store.close();
  // The read models are disposable: without them, start-up rebuilds every projection.
  for (const suffix of ['', '-wal', '-shm']) rmSync(join(temp.dir, `read-models.sqlite${suffix}`), { force: true });

  tracker = await startTrackerProcess(ENV);
  const started = Date.now();
  const deadline = started + 120_000;
  for (let ready = false; !ready && Date.now() < deadline;) {
    const readyz = await rawGet(tracker.url, '/readyz');
    const healthz = (await fetch(`${tracker.url}/healthz`)).status;
    const [leaverAnswer, goneAnswer, partnerAnswer, stayerAnswer, anonymous] = await Promise.all(
      [keys.leaver, keys.gone, keys.partner, keys.stayer, undefined].map((key) => rawGraphQL(tracker!.url, key, FAMILY, { id: familyId })),
    );
    rounds.push({ readyz, healthz, answers: { leaver: leaverAnswer!, gone: goneAnswer!, partner: partnerAnswer!, stayer: stayerAnswer!, anonymous: anonymous! } });
    ready = readyz.status === 200;
    if (!ready) windowMs = Date.now() - started;
  }
}, 300_000);
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

const unavailable = (answer: RawResponse): boolean => answer.status === 503 && codeOf(answer) === 'UNAVAILABLE' && (answer.body.data ?? null) === null;

describe('start-up rebuild of a 60,000-event store', () => {
  it('probed the rebuild while it ran (the window is not missed)', () => {
    expect(rounds.filter((round) => round.readyz.status === 503).length).toBeGreaterThan(0);
    expect(rounds.at(-1)?.readyz.status).toBe(200);
    const leaked = rounds.filter(({ answers }) => (['leaver', 'gone', 'partner'] as const).some((who) => answers[who].body.data?.family)).length;
    console.info(`[rebuild] ${String(rounds.length)} probe rounds, not ready for ${String(windowMs)} ms, ${String(leaked)} rounds where a revoked party saw the family`);
  });

  it('a revoked key, a deactivated organisation\'s key and a revoked referral never see the family', () => {
    for (const { answers } of rounds) {
      for (const who of ['leaver', 'gone', 'partner'] as const) expect(answers[who].body.data?.family ?? null, who).toBeNull();
    }
  });

  it('every request is UNAVAILABLE (HTTP 503) until the read models have passed the start-up head, with or without a key', () => {
    const answered = rounds.flatMap(({ answers }) => Object.entries(answers));
    expect(answered.some(([, answer]) => unavailable(answer))).toBe(true);
    for (const [who, answer] of answered) {
      if (unavailable(answer)) {
        expect(answer.retryAfter, who).not.toBeNull();
        continue;
      }
      // Once serving: the final, correct answers only.
      if (who === 'leaver' || who === 'gone' || who === 'anonymous') expect([answer.status, codeOf(answer)], who).toEqual([401, 'UNAUTHENTICATED']);
      if (who === 'partner') expect([answer.status, answer.body.data?.family], who).toEqual([200, null]);
      if (who === 'stayer') expect(answer.body.data?.family?.id, who).toBe(familyId);
    }
  });

  it('/healthz stays up; /readyz names the projection that is behind and why', () => {
    expect(rounds.every((round) => round.healthz === 200)).toBe(true);
    const notReady = rounds.find((round) => round.readyz.status === 503)!.readyz.body;
    expect(notReady['notServing']).toEqual(expect.arrayContaining([expect.objectContaining({ projection: 'organizations', reason: expect.stringMatching(/^(STARTING|CATCHING_UP)$/) })]));
  });

  it('once ready, the revocations hold and the lead still sees its family', async () => {
    const last = rounds.at(-1)!.answers;
    expect(last.stayer.body.data?.family?.id).toBe(familyId);
    expect(codeOf(await rawGraphQL(tracker!.url, keys.leaver, FAMILY, { id: familyId }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await rawGraphQL(tracker!.url, keys.gone, FAMILY, { id: familyId }))).toBe('UNAUTHENTICATED');
    expect((await rawGraphQL(tracker!.url, keys.partner, FAMILY, { id: familyId })).body.data?.family).toBeNull();
  });
});

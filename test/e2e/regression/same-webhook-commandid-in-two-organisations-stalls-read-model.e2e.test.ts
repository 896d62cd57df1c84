import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, issueKey, postGraphQL, registerOrganization } from '../../support/graphql-client.js';
import { codeOf, eventually, rawGet, rawGraphQL, type RawResponse } from '../../support/raw-http.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { startTrackerProcess, type TrackerProcess } from '../../support/tracker-process.js';

/**
 * Issue 12, finding 2: two organisations that used the same `commandId` for `registerWebhook`
 * got the same webhook id (`webhook-<commandId>`); the organisations projection failed on its
 * unique key and stalled for good (also after a restart). From then on `revokeApiKey` and
 * `deactivateOrganization` answered success, yet the revoked key kept reading families and new
 * keys were refused. Ids derived from a commandId are now namespaced by organisation, and the
 * read model's keys include the organisation.
 */
const ADMIN = 'webhook-stall-admin-key-0123456789abcdef';
const temp = makeTempDir('tracker-webhook-stall-');
const ENV = { TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN, TRACKER_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' };
const REGISTER = 'mutation($u: String!) { registerWebhook(input: { url: $u, commandId: "hook-1" }) { webhook { id organization { id } url } secret } }';
const FAMILY = 'query($id: ID!) { family(id: $id) { id } }';

let tracker: TrackerProcess;
const keys: Record<string, string> = {};
let familyId = '';
let leaverKeyId = '';
const hooks: Record<string, { id: string; organization: { id: string }; url: string }> = {};
const registrations: Record<'a' | 'b', RawResponse | undefined> = { a: undefined, b: undefined };

const gql = (key: string, query: string, variables: Record<string, unknown> = {}) => postGraphQL(tracker.url, key, query, variables);

const projectionsHealthy = async (): Promise<void> => {
  const readyz = await rawGet(tracker.url, '/readyz');
  expect(readyz.body['projections'].filter((p: { stalled: unknown }) => p.stalled !== null)).toEqual([]);
  expect(readyz.status).toBe(200);
};

beforeAll(async () => {
  tracker = await startTrackerProcess(ENV);
  await registerOrganization(tracker.url, ADMIN, 'org-a');
  await registerOrganization(tracker.url, ADMIN, 'org-b');
  keys['adminA'] = await issueKey(tracker.url, ADMIN, 'org-a', 'admin-a', 'ADMIN');
  keys['adminB'] = await issueKey(tracker.url, ADMIN, 'org-b', 'admin-b', 'ADMIN');
  const leaver = dataOf(await gql(keys['adminA'], 'mutation { issueApiKey(input: { userId: "leaver", userName: "Leaver", role: ADVOCATE, label: "laptop" }) { keyId apiKey } }')).issueApiKey;
  keys['leaver'] = leaver.apiKey as string;
  leaverKeyId = leaver.keyId as string;
  familyId = dataOf(await gql(keys['leaver'], 'mutation { openFamilyCase(input: { programme: SIJ }) { family { id } } }')).openFamilyCase.family.id as string;
  registrations.a = await rawGraphQL(tracker.url, keys['adminA'], REGISTER, { u: 'http://127.0.0.1:9/a' });
  registrations.b = await rawGraphQL(tracker.url, keys['adminB'], REGISTER, { u: 'http://127.0.0.1:9/b' });
});
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

describe('the same commandId for registerWebhook in two organisations', () => {
  it('gives each organisation its own webhook, and no projection stalls', async () => {
    for (const side of ['a', 'b'] as const) {
      expect(registrations[side]?.body.errors, side).toBeUndefined();
      hooks[side] = registrations[side]?.body.data?.registerWebhook.webhook;
    }
    expect(hooks['a']).toMatchObject({ organization: { id: 'org-a' }, url: 'http://127.0.0.1:9/a' });
    expect(hooks['b']).toMatchObject({ organization: { id: 'org-b' }, url: 'http://127.0.0.1:9/b' });
    expect(hooks['a']!.id).not.toBe(hooks['b']!.id);
    expect(dataOf(await gql(keys['adminA']!, '{ webhooks { id } }')).webhooks).toEqual([{ id: hooks['a']!.id }]);
    expect(dataOf(await gql(keys['adminB']!, '{ webhooks { id } }')).webhooks).toEqual([{ id: hooks['b']!.id }]);
    await projectionsHealthy();
  });

  it('a repeat by either organisation answers its own webhook, nothing new', async () => {
    const again = dataOf(await gql(keys['adminB']!, REGISTER, { u: 'http://127.0.0.1:9/b' })).registerWebhook;
    expect(again).toEqual({ webhook: hooks['b'], secret: null });
  });

  it('revoking a key, deactivating an organisation and issuing a key still take effect', async () => {
    dataOf(await gql(keys['adminA']!, 'mutation($k: ID!) { revokeApiKey(input: { keyId: $k }) { keyId } }', { k: leaverKeyId }));
    expect(codeOf(await rawGraphQL(tracker.url, keys['leaver'], FAMILY, { id: familyId }))).toBe('UNAUTHENTICATED');
    dataOf(await gql(ADMIN, 'mutation { deactivateOrganization(input: { organizationId: "org-b", reason: "ended" }) { position } }'));
    expect(codeOf(await rawGraphQL(tracker.url, keys['adminB'], '{ viewer { userId } }'))).toBe('UNAUTHENTICATED');
    const fresh = await issueKey(tracker.url, keys['adminA']!, 'org-a', 'newcomer', 'ADVOCATE');
    expect(dataOf(await gql(fresh, '{ viewer { userId } }')).viewer.userId).toBe('newcomer');
    await projectionsHealthy();
  });

  it('after a restart, the read models are healthy and the revocation holds', async () => {
    await tracker.stop();
    tracker = await startTrackerProcess(ENV);
    await eventually(30_000, 'ready after the restart', async () => ((await rawGet(tracker.url, '/readyz')).status === 200 ? true : undefined));
    await projectionsHealthy();
    expect(codeOf(await rawGraphQL(tracker.url, keys['leaver'], FAMILY, { id: familyId }))).toBe('UNAUTHENTICATED');
    expect(dataOf(await gql(keys['adminA']!, '{ webhooks { id } }')).webhooks).toEqual([{ id: hooks['a']!.id }]);
  });
});

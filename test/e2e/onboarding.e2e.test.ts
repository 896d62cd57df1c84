import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../support/temp-dir.js';
import { waitUntil } from '../support/async.js';
import { startTrackerInProcess, type Tracker } from '../support/in-process-tracker.js';
import { postGraphQL } from '../support/graphql-client.js';

/** Onboarding an organisation over HTTP: register it, issue keys, use and revoke them. */
const ADMIN = 'onboarding-admin-key-0123456789';
const temp = makeTempDir('tracker-onboarding-');
let tracker: Tracker;

const gql = (key: string, query: string, variables: Record<string, unknown> = {}) => postGraphQL(tracker.url, key, query, variables);

const ISSUE = `mutation($input: IssueApiKeyInput!) { issueApiKey(input: $input) { keyId apiKey role } }`;

beforeAll(async () => {
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN });
});
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

describe('onboarding an organisation', () => {
  it('the system administrator registers it and issues its administrator a key, shown once', async () => {
    const registered = await gql(ADMIN, 'mutation { registerOrganization(input: { organizationId: "legal-ny", name: "Legal NY", kind: LEGAL_SERVICE_PROVIDER, countries: ["US"] }) { organization { id name } replayed } }');
    expect(registered.data.registerOrganization).toEqual({ organization: { id: 'legal-ny', name: 'Legal NY' }, replayed: false });

    const issued = await gql(ADMIN, ISSUE, { input: { organizationId: 'legal-ny', userId: 'boss', userName: 'Boss', role: 'ADMIN', label: 'setup', commandId: 'issue-boss' } });
    const bossKey = issued.data.issueApiKey.apiKey as string;
    expect(bossKey).toMatch(/^trk_/);
    const again = await gql(ADMIN, ISSUE, { input: { organizationId: 'legal-ny', userId: 'boss', userName: 'Boss', role: 'ADMIN', label: 'setup', commandId: 'issue-boss' } });
    expect(again.data.issueApiKey).toMatchObject({ keyId: issued.data.issueApiKey.keyId, apiKey: null });

    // The organisation's administrator issues an advocate key; the advocate uses it.
    const advocate = await gql(bossKey, ISSUE, { input: { userId: 'ana', userName: 'Ana', role: 'ADVOCATE', label: 'laptop' } });
    const anaKey = advocate.data.issueApiKey.apiKey as string;
    expect((await gql(anaKey, '{ viewer { userId role organization { id } } }')).data.viewer).toEqual({ userId: 'ana', role: 'ADVOCATE', organization: { id: 'legal-ny' } });

    // Revoked: the next request with the key is UNAUTHENTICATED.
    await gql(bossKey, 'mutation($id: ID!) { revokeApiKey(input: { keyId: $id }) { keyId } }', { id: advocate.data.issueApiKey.keyId });
    expect((await gql(anaKey, '{ viewer { userId } }')).errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('only administrators manage keys, only of their own organisation; only the system registers organisations', async () => {
    const boss = await gql(ADMIN, ISSUE, { input: { organizationId: 'legal-ny', userId: 'boss2', userName: 'Boss Two', role: 'ADMIN', label: 'x' } });
    const bossKey = boss.data.issueApiKey.apiKey as string;
    const advocate = await gql(bossKey, ISSUE, { input: { userId: 'bob', userName: 'Bob', role: 'ADVOCATE', label: 'x' } });
    const bobKey = advocate.data.issueApiKey.apiKey as string;
    await gql(ADMIN, 'mutation { registerOrganization(input: { organizationId: "other", name: "Other", kind: PARTNER_NGO }) { replayed } }');

    expect((await gql(bobKey, ISSUE, { input: { userId: 'eve', userName: 'Eve', role: 'ADMIN', label: 'x' } })).errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    expect((await gql(bossKey, ISSUE, { input: { organizationId: 'other', userId: 'eve', userName: 'Eve', role: 'ADMIN', label: 'x' } })).errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    expect((await gql(bossKey, 'mutation { registerOrganization(input: { organizationId: "x", name: "X", kind: FUNDER }) { replayed } }')).errors?.[0]?.extensions.code).toBe('FORBIDDEN');
  });

  it('auditors read but cannot change families: FORBIDDEN', async () => {
    const boss = await gql(ADMIN, ISSUE, { input: { organizationId: 'legal-ny', userId: 'boss3', userName: 'Boss Three', role: 'ADMIN', label: 'x' } });
    const bossKey = boss.data.issueApiKey.apiKey as string;
    const auditorKey = (await gql(bossKey, ISSUE, { input: { userId: 'audra', userName: 'Audra', role: 'AUDITOR', label: 'x' } })).data.issueApiKey.apiKey as string;
    const attempt = await gql(auditorKey, 'mutation { openFamilyCase(input: { programme: SIJ }) { revision } }');
    expect(attempt.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    expect((await gql(auditorKey, '{ families { totalCount } }')).data.families.totalCount).toBe(0);
  });
});

describe('the access log', () => {
  it('records who read a family\'s people; auditors and administrators can query it, advocates cannot', async () => {
    await gql(ADMIN, 'mutation { registerOrganization(input: { organizationId: "logged", name: "Logged", kind: LEGAL_SERVICE_PROVIDER }) { replayed } }');
    const issue = async (userId: string, role: string) =>
      (await gql(ADMIN, ISSUE, { input: { organizationId: 'logged', userId, userName: userId, role, label: 'x' } })).data.issueApiKey.apiKey as string;
    const advocate = await issue('ada', 'ADVOCATE');
    const auditor = await issue('otto', 'AUDITOR');
    const familyId = (await gql(advocate, 'mutation { openFamilyCase(input: { programme: SIJ }) { family { id } } }')).data.openFamilyCase.family.id as string;
    await gql(advocate, 'mutation($id: ID!) { registerChild(input: { familyId: $id, childId: "c", givenName: "Ana", birthDate: "2010-01-01", nationality: "HN" }) { revision } }', { id: familyId });

    await gql(advocate, 'query($id: ID!) { family(id: $id) { status } }', { id: familyId });
    await gql(advocate, 'query($id: ID!) { family(id: $id) { children { givenName } } }', { id: familyId });

    const LOG = 'query($id: ID!) { familyAccessLog(familyId: $id) { userId role fields organization { id } viewedAt } }';
    let entries: Array<{ userId: string }> = [];
    await waitUntil('the read of the people in the access log', async () => (entries = (await gql(auditor, LOG, { id: familyId })).data.familyAccessLog).length > 0);
    expect(entries).toEqual([{ userId: 'ada', role: 'ADVOCATE', fields: 'people', organization: { id: 'logged' }, viewedAt: expect.any(String) }]);
    expect((await gql(advocate, LOG, { id: familyId })).errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    expect((await gql(auditor, LOG, { id: 'ffffffff-ffff-8fff-ffff-ffffffffffff' })).errors?.[0]?.extensions.code).toBe('NOT_FOUND');
  });
});

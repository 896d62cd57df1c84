import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dateOf } from '../../../services/shared/calendar-date.js';
import { dataOf, issueKey, postGraphQL, registerOrganization } from '../../support/graphql-client.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { startTrackerInProcess, type Tracker } from '../../support/in-process-tracker.js';

/**
 * Regression (issue 12 follow-up, leaks 2, 3 and 4):
 * - every scope read every event type with its exact `occurredAt`: custody steps reached STATUS
 *   (Child.custody is FULL only) and the detention's day with them;
 * - per-event hashes (and the verified head hash) went to partners below FULL: SHA-256 over
 *   content they may not see, brute-forced in moments where it is a date or a code;
 * - `families(filter: { agingOutWithinDays })` told a DOCUMENTS partner, who may not learn an
 *   SIJ age-out's timing, the month of it (whether the family matched).
 * Must hold: the history follows EVENT_TYPE_ALLOWLIST (types per scope, instants by month at
 * STATUS, placeholders for the rest); hashes for FULL and auditors only; the filter never
 * matches at a scope that may not know the timing.
 */
const ADMIN = 'history-leaks-admin-key-0123456789a';
const temp = makeTempDir('tracker-history-leaks-');
let tracker: Tracker;
const keys: Record<string, string> = {};
let familyId = '';
const DETAINED_AT = '2024-03-05T14:30:00.000Z';

const gql = (key: string, query: string, variables: Record<string, unknown> = {}) => postGraphQL(tracker.url, key, query, variables);
const HISTORY = 'query($id: ID!) { familyHistory(familyId: $id, first: 100) { edges { node { type occurredAt recordedAt data hash prevHash } } } }';
type Node = { type: string; occurredAt: string; recordedAt: string; data: Record<string, unknown>; hash: string | null; prevHash: string | null };
const historyOf = async (who: string): Promise<Node[]> =>
  (dataOf(await gql(keys[who]!, HISTORY, { id: familyId })).familyHistory.edges as Array<{ node: Node }>).map((edge) => edge.node);
const headHashOf = async (who: string): Promise<string | null> =>
  dataOf(await gql(keys[who]!, 'query($id: ID!) { verifyFamilyHistory(familyId: $id) { ok headHash } }', { id: familyId })).verifyFamilyHistory.headHash as string | null;

beforeAll(async () => {
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN, TRACKER_RATE_LIMIT_REQUESTS: '0' });
  for (const org of ['lead-org', 'docs-org', 'status-org']) await registerOrganization(tracker.url, ADMIN, org);
  keys['lead'] = await issueKey(tracker.url, ADMIN, 'lead-org', 'lena', 'ADVOCATE');
  keys['DOCUMENTS'] = await issueKey(tracker.url, ADMIN, 'docs-org', 'dora', 'ADVOCATE');
  keys['STATUS'] = await issueKey(tracker.url, ADMIN, 'status-org', 'stan', 'PARTNER');
  keys['auditor'] = await issueKey(tracker.url, ADMIN, 'system', 'audrey', 'AUDITOR');
  familyId = dataOf(await gql(keys['lead'], 'mutation { openFamilyCase(input: { programme: SIJ }) { family { id } } }')).openFamilyCase.family.id as string;
  // Born so that the SIJ age-out (18, state unknown) falls within the next months.
  const birthDate = addDays(dateOf(new Date().toISOString()), 40 - 18 * 365 - 4);
  const steps: Array<[string, Record<string, unknown>]> = [
    ['registerChild', { childId: 'ana', givenName: 'Ana', birthDate, nationality: 'HN' }],
    ['recordChildDetained', { childId: 'ana', agency: 'ORR', detainedOn: '2024-03-05', occurredAt: DETAINED_AT }],
    ['giveConsent', { consentId: 'consent', personId: 'ana', purposes: ['documents', 'follow the case'], recipientOrganizationIds: ['docs-org', 'status-org'] }],
    ['referFamily', { referralId: 'docs', toOrganizationId: 'docs-org', purpose: 'documents', scope: 'DOCUMENTS' }],
    ['referFamily', { referralId: 'status', toOrganizationId: 'status-org', purpose: 'follow the case', scope: 'STATUS' }],
  ];
  for (const [mutation, input] of steps) {
    dataOf(await gql(keys['lead'], `mutation($input: ${mutation.charAt(0).toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) { revision } }`, { input: { familyId, ...input } }));
  }
  for (const [who, referralId] of [['DOCUMENTS', 'docs'], ['STATUS', 'status']] as const) {
    dataOf(await gql(keys[who]!, 'mutation($id: ID!, $r: ID!) { acceptReferral(input: { familyId: $id, referralId: $r }) { revision } }', { id: familyId, r: referralId }));
  }
}, 120_000);
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

describe('what each scope reads of the history', () => {
  it('STATUS: no custody event types, every instant by month, no hashes', async () => {
    const history = await historyOf('STATUS');
    expect(history.map((node) => node.type)).not.toContain('ChildDetained');
    expect(history.map((node) => node.type)).toContain('WITHHELD');
    for (const node of history) {
      expect(node.occurredAt).toMatch(/^\d{4}-\d{2}-01T00:00:00(\.000)?Z$/);
      expect(node.recordedAt).toMatch(/^\d{4}-\d{2}-01T00:00:00(\.000)?Z$/);
      expect([node.hash, node.prevHash]).toEqual([null, null]);
    }
    expect(JSON.stringify(history)).not.toContain('2024-03-05');
    expect(await headHashOf('STATUS')).toBeNull();
  });

  it('DOCUMENTS: the detention with its day, but no hashes', async () => {
    const history = await historyOf('DOCUMENTS');
    expect(history.find((node) => node.type === 'ChildDetained')?.occurredAt).toBe(DETAINED_AT);
    for (const node of history) expect([node.hash, node.prevHash]).toEqual([null, null]);
    expect(await headHashOf('DOCUMENTS')).toBeNull();
  });

  it('the lead and an auditor keep the hashes', async () => {
    for (const who of ['lead', 'auditor']) {
      const history = await historyOf(who);
      for (const node of history) expect(node.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(await headHashOf(who)).toBe(history.at(-1)?.hash);
    }
  });

  it('agingOutWithinDays matches for the lead only: never below FULL (the month of an age-out is the month of birth)', async () => {
    const count = async (who: string) =>
      dataOf(await gql(keys[who]!, '{ families(filter: { agingOutWithinDays: 365 }) { totalCount } }')).families.totalCount as number;
    expect(await count('lead')).toBe(1);
    expect(await count('STATUS')).toBe(0);
    expect(await count('DOCUMENTS')).toBe(0);
  });
});

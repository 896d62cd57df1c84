import { randomBytes } from 'node:crypto';
import { dataOf, issueKey, postGraphQL, registerOrganization, type GraphQLResponse } from './graphql-client.js';
import { startTrackerInProcess, type Tracker } from './in-process-tracker.js';
import { mutation } from './probe-support.js';
import { makeTempDir } from './temp-dir.js';

/**
 * The outside tester's world (session s5-probe): one in-process tracker on a fresh data and key
 * directory (its clock the test's, if given), organisations registered by the system administrator, an ADVOCATE key per
 * organisation (`keys[org]`), and helpers that talk GraphQL over loopback HTTP as a client would.
 */
export interface ProbeWorld {
  readonly tracker: Tracker;
  /** The tracker's TRACKER_DATA_DIR. */
  readonly dataDir: string;
  readonly admin: string;
  readonly keys: Record<string, string>;
  /** A GraphQL request with a key; the raw response (errors kept). */
  readonly gql: (key: string, query: string, variables?: Record<string, unknown>) => Promise<GraphQLResponse>;
  /** A mutation by an organisation's ADVOCATE key, failing the test on any error; the payload. */
  readonly ok: (org: string, name: string, input: Record<string, unknown>, select?: string) => Promise<any>;
  /** The same, returning the first error (or undefined). */
  readonly errorOf: (org: string, name: string, input: Record<string, unknown>) => Promise<NonNullable<GraphQLResponse['errors']>[number] | undefined>;
  /** Issues another key for a user of an organisation with a role; the key. */
  readonly issue: (org: string, userId: string, role: string) => Promise<string>;
  readonly stop: () => Promise<void>;
}

export const startProbeWorld = async (orgs: readonly string[], env: Record<string, string> = {}, options: { clock?: () => Date } = {}): Promise<ProbeWorld> => {
  const temp = makeTempDir('tracker-s5-probe-');
  const admin = `trk_s5probe_${randomBytes(12).toString('hex')}`;
  const tracker = await startTrackerInProcess({
    TRACKER_DATA_DIR: `${temp.dir}/data`, TRACKER_KEY_DIR: `${temp.dir}/keys`, TRACKER_BOOTSTRAP_ADMIN_KEY: admin, TRACKER_RATE_LIMIT_REQUESTS: '0', ...env,
  }, options);
  const keys: Record<string, string> = {};
  for (const org of orgs) {
    await registerOrganization(tracker.url, admin, org);
    keys[org] = await issueKey(tracker.url, admin, org, `${org}-advocate`, 'ADVOCATE');
  }
  const gql = (key: string, query: string, variables: Record<string, unknown> = {}) => postGraphQL(tracker.url, key, query, variables);
  return {
    tracker, dataDir: `${temp.dir}/data`, admin, keys, gql,
    ok: async (org, name, input, select) => dataOf(await mutation(tracker.url, keys[org]!, name, input, select))[name],
    errorOf: async (org, name, input) => (await mutation(tracker.url, keys[org]!, name, input)).errors?.[0],
    issue: (org, userId, role) => issueKey(tracker.url, admin, org, userId, role),
    stop: async () => {
      await tracker.stop();
      temp.remove();
    },
  };
};

/** Refers a family to an organisation at a scope (with the consent it needs) and has it accept. */
export const referAndAccept = async (world: ProbeWorld, familyId: string, consentPersonId: string, to: string, scope: 'STATUS' | 'DOCUMENTS' | 'FULL', referralId = `ref-${to}`): Promise<void> => {
  await world.ok('lead', 'giveConsent', { familyId, consentId: `consent-${referralId}`, personId: consentPersonId, purposes: ['partnership'], recipientOrganizationIds: [to] });
  await world.ok('lead', 'referFamily', { familyId, referralId, toOrganizationId: to, purpose: 'partnership', scope });
  await world.ok(to, 'acceptReferral', { familyId, referralId });
};

import { dataOf, issueKey, postGraphQL, registerOrganization, type GraphQLResponse } from './graphql-client.js';
import { startTrackerInProcess, type Tracker } from './in-process-tracker.js';
import { makeTempDir } from './temp-dir.js';

/**
 * A tracker in-process with registered organisations, one ADVOCATE key each, and a shorthand for
 * family mutations by organisation: for the e2e tests of hand-offs between organisations.
 * `clock.offsetMs` moves the tracker's clock (expiries).
 */
export const startWithOrganizations = async (prefix: string, organizations: readonly string[]) => {
  const admin = `trk_${prefix}_admin_key_0000000000000000000000`.slice(0, 48);
  const temp = makeTempDir(`tracker-${prefix}-`);
  const clock = { offsetMs: 0 };
  const tracker: Tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: admin }, { clock: () => new Date(Date.now() + clock.offsetMs) });
  const keys: Record<string, string> = {};
  for (const organizationId of organizations) {
    await registerOrganization(tracker.url, admin, organizationId);
    keys[organizationId] = await issueKey(tracker.url, admin, organizationId, `${organizationId}-advocate`, 'ADVOCATE');
  }
  const mutate = (org: string, mutation: string, input: Record<string, unknown>, select = 'family { id leadOrganization { id } } revision'): Promise<GraphQLResponse> =>
    postGraphQL(tracker.url, keys[org]!, `mutation($input: ${mutation[0]!.toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) { ${select} } }`, { input });
  return {
    tracker,
    dataDir: temp.dir,
    keys,
    clock,
    mutate,
    ok: async (org: string, mutation: string, input: Record<string, unknown>) => dataOf(await mutate(org, mutation, input))[mutation],
    query: async (org: string, query: string, variables: Record<string, unknown> = {}) => dataOf(await postGraphQL(tracker.url, keys[org]!, query, variables)),
    stop: async () => {
      await tracker.stop();
      temp.remove();
    },
  };
};

export type OrganizationsOverHttp = Awaited<ReturnType<typeof startWithOrganizations>>;

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../support/async.js';
import { dataOf } from '../../support/graphql-client.js';
import { startProbeWorld, type ProbeWorld } from '../../support/probe-world.js';

/**
 * Finding (s5-probe), severity MEDIUM: once the `access-log` projection has stalled (/readyz says
 * so), `familyAccessLog` goes on answering from its frozen rows, as if complete: an auditor or
 * administrator asking who read a trafficking survivor's file is not told that the latest reads
 * are missing. The read-model guard covers only the projections of authentication, visibility and
 * the case file (infra/http/read-model-guard.ts, ACCESS_PROJECTIONS).
 * Rule: API.md, UNAVAILABLE ("the tracker cannot answer safely right now (read models stalled
 * ...)"); issue 12 item 2 (never answered from a projection that is stalled); "fail closed".
 *
 * The stall is made from outside, as a damaged or full read-model file would: a trigger in
 * read-models.sqlite refuses the projector's next insert into the access log's table.
 */
let world: ProbeWorld;
let admin: string;
let familyId: string;

const readChildren = async () => dataOf(await world.gql(world.keys['lead']!, 'query($id: ID!) { family(id: $id) { children { givenName } } }', { id: familyId }));
const accessLog = () => world.gql(admin, 'query($id: ID!) { familyAccessLog(familyId: $id) { viewedAt } }', { id: familyId });

beforeAll(async () => {
  world = await startProbeWorld(['lead']);
  admin = await world.issue('lead', 'lead-admin', 'ADMIN');
  familyId = (await world.ok('lead', 'openFamilyCase', { programme: 'TRAFFICKING_REUNIFICATION' })).family.id;
  await world.ok('lead', 'registerChild', { familyId, childId: 'girl', givenName: 'Sofía', birthDate: '2012-02-01', nationality: 'MX' });
});
afterAll(async () => world?.stop());

describe('the access log once its projection has stalled', () => {
  it('answers UNAVAILABLE, not the entries it had before the stall', async () => {
    await readChildren();
    await waitUntil('the first read in the access log', async () => (dataOf(await accessLog()).familyAccessLog as unknown[]).length === 1);

    const readModels = new Database(`${world.dataDir}/read-models.sqlite`);
    readModels.exec("CREATE TRIGGER s5_probe_stall BEFORE INSERT ON access_log_requests__v2 BEGIN SELECT RAISE(ABORT, 's5-probe: read model refuses writes'); END");
    readModels.close();

    await readChildren(); // a second read: recorded in the event store, refused by the read model
    await waitUntil('/readyz to report the access-log projection stalled', async () => {
      const ready = (await (await fetch(`${world.tracker.url}/readyz`)).json()) as { projections: Array<{ name: string; stalled: unknown }> };
      return ready.projections.some((projection) => projection.name === 'access-log' && projection.stalled !== null);
    });
    // UNAVAILABLE is HTTP 503 (API.md): asked directly, as postGraphQL takes 5xx for a failure.
    const response = await fetch(`${world.tracker.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ query: 'query($id: ID!) { familyAccessLog(familyId: $id) { viewedAt } }', variables: { id: familyId } }),
    });
    const answer = (await response.json()) as { data?: { familyAccessLog?: unknown }; errors?: Array<{ extensions: { code: string } }> };
    expect({ status: response.status, code: answer.errors?.[0]?.extensions.code, entries: answer.data?.familyAccessLog ?? null }).toEqual({ status: 503, code: 'UNAVAILABLE', entries: null });
    // The rest of the API goes on: the family still reads.
    expect((await readChildren()).family.children).toHaveLength(1);
  });
});

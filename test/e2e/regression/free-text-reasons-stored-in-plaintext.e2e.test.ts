import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, postGraphQL, registerOrganization, type GraphQLResponse } from '../../support/graphql-client.js';
import { startTrackerInProcess, type Tracker } from '../../support/in-process-tracker.js';
import { makeTempDir } from '../../support/temp-dir.js';

/**
 * Regression (issue 13): the free text an advocate writes as a reason was stored outside
 * `personal`, so in plaintext in events.sqlite and the case file's notes: why service was
 * suspended, why a reunification failed, why a case was reopened, why a step was recorded under
 * a stop-work order (`stopWorkReason`), and on the organisation's stream why it was deactivated
 * or put under a stop-work order. Each is now sealed (family events version 2, organisation
 * events version 2): the case subject's key (`case:notes`), the relative's for a failed
 * reunification, the organisation's notes subject. The lead still reads every reason back in
 * the history, the timeline's case notes and the case file.
 */
const KEY = 'free-text-reasons-admin-key-0123456789';
const REASON = {
  suspend: 'Suspendcanary the funder paused Lupita casework',
  stopWork: 'Stopworkcanary the hearing for Mateo is tomorrow',
  failed: 'Failedcanary the aunt Dolores could not take him',
  reopen: 'Reopencanary new facts from the mother',
  deactivate: 'Deactivatecanary director Ramona left',
  order: 'Ordercanary grant 77 frozen by Ximena',
};

const temp = makeTempDir('tracker-free-text-');
const dataDir = join(temp.dir, 'data');
const env = { TRACKER_DATA_DIR: dataDir, TRACKER_KEY_DIR: join(temp.dir, 'keys'), TRACKER_BOOTSTRAP_ADMIN_KEY: KEY };
let tracker: Tracker;
let familyId = '';

const ask = (query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse> => postGraphQL(tracker.url, KEY, query, variables);
const ok = async (name: string, input: Record<string, unknown>, selection = 'revision') => {
  const type = name === 'recordStopWorkOrder' ? 'StopWorkOrderInput' : `${name.charAt(0).toUpperCase()}${name.slice(1)}Input`;
  return dataOf(await ask(`mutation($input: ${type}!) { ${name}(input: $input) { ${selection} } }`, { input }))[name];
};

/** Every file of the data directory (events.sqlite with -wal and -shm, read models) as bytes. */
const dataFiles = (): Array<{ name: string; bytes: Buffer }> =>
  readdirSync(dataDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile())
    .map((entry) => ({ name: entry.name, bytes: readFileSync(join(entry.parentPath, entry.name)) }));

beforeAll(async () => {
  tracker = await startTrackerInProcess(env);
  await registerOrganization(tracker.url, KEY, 'closing-org');
  familyId = (await ok('openFamilyCase', { programme: 'SEPARATED_FAMILY' }, 'family { id }')).family.id;
  const steps: Array<[string, Record<string, unknown>]> = [
    ['registerChild', { childId: 'c1', givenName: 'Mateo', birthDate: '2012-03-03', nationality: 'HN' }],
    ['addRelative', { relativeId: 'aunt', relationship: 'AUNT', givenName: 'Dolores' }],
    ['suspendService', { reason: REASON.suspend }],
    // Not unavoidable work while suspended: recorded only with its reason (StopWorkExceptionRecorded).
    ['addRelative', { relativeId: 'mother', relationship: 'MOTHER', givenName: 'Ana', stopWorkReason: REASON.stopWork }],
    ['resumeService', {}],
    ['recordReunificationFailed', { childId: 'c1', relativeId: 'aunt', reason: REASON.failed }],
    ['closeFamilyCase', { reason: 'OTHER' }],
    ['reopenFamilyCase', { reason: REASON.reopen }],
  ];
  for (const [name, input] of steps) await ok(name, { familyId, ...input });
  await ok('recordStopWorkOrder', { orderId: 'order-1', programme: 'ASYLUM', reason: REASON.order }, 'orderId');
  await ok('deactivateOrganization', { organizationId: 'closing-org', reason: REASON.deactivate }, 'replayed');
}, 60_000);
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

describe('free-text reasons are sealed at rest and read back by the lead (regression)', () => {
  it('the lead reads every family reason in the history, under personal', async () => {
    const edges = dataOf(await ask('query($id: ID!) { familyHistory(familyId: $id, first: 100) { edges { node { type data } } } }', { id: familyId })).familyHistory.edges as Array<{ node: { type: string; data: Record<string, unknown> } }>;
    const reasonOf = (type: string) => edges.filter(({ node }) => node.type === type).map(({ node }) => (node.data['personal'] as { reason?: string } | undefined)?.reason);
    expect(reasonOf('ServiceSuspended')).toEqual([REASON.suspend]);
    expect(reasonOf('StopWorkExceptionRecorded')).toEqual([REASON.stopWork]);
    expect(reasonOf('ReunificationFailed')).toEqual([REASON.failed]);
    expect(reasonOf('FamilyCaseReopened')).toEqual([REASON.reopen]);
    // A failed reunification's reason is the relative's (their key): the subject shown is the relative.
    expect(edges.find(({ node }) => node.type === 'ReunificationFailed')?.node.data['personal']).toMatchObject({ subjectId: 'aunt' });
  });

  it('the case file shows them as case notes', async () => {
    await expect.poll(async () => {
      const notes = dataOf(await ask('query($id: ID!) { family(id: $id) { caseNotes { kind text } } }', { id: familyId })).family.caseNotes as Array<{ kind: string; text: string | null }>;
      return Object.fromEntries(notes.filter((note) => note.text !== null).map((note) => [note.kind, note.text]));
    }, { timeout: 10_000 }).toEqual({
      SERVICE_SUSPENDED: REASON.suspend, STOP_WORK_EXCEPTION: REASON.stopWork, REUNIFICATION_FAILED: REASON.failed, CASE_REOPENED: REASON.reopen,
    });
  });

  it('no reason is in any file of the data directory (events.sqlite and its WAL, read models)', () => {
    const files = dataFiles();
    expect(files.map((file) => file.name)).toEqual(expect.arrayContaining(['events.sqlite', 'read-models.sqlite']));
    expect(files.some((file) => file.bytes.includes('ServiceSuspended'))).toBe(true);
    const hits = files.flatMap((file) => Object.entries(REASON).filter(([, text]) => file.bytes.includes(Buffer.from(text.split(' ')[0]!, 'utf8'))).map(([kind]) => `${file.name}: ${kind}`));
    expect(hits).toEqual([]);
  });
});

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../infra/config.js';
import { newEventId } from '../../../infra/event-store/event-id.js';
import { openEventStore } from '../../../infra/event-store/open-event-store.js';
import { executeOrganizationCommand } from '../../../services/organization/organization-service.js';
import { dataOf, issueKey, postGraphQL, registerOrganization } from '../../support/graphql-client.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { waitUntil } from '../../support/async.js';
import { startTrackerInProcess, type Tracker } from '../../support/in-process-tracker.js';

/**
 * Regression (issue 12 follow-up, leak 5): `tracker replay` printed the ids the lead chose
 * (`sofia`), deadlines to the day, the custody of each child and relatives hidden by "never
 * disclose to"; and the CLI read the read models without the fail-closed guard, so `export`
 * with a key answered from read models that had not caught up with the store as if current.
 */
const ROOT = join(import.meta.dirname, '../../..');
const ADMIN = 'cli-leaks-admin-key-0123456789abc';
const temp = makeTempDir('tracker-cli-leaks-');
let tracker: Tracker | undefined;
const keys: Record<string, string> = {};
let familyId = '';

const cli = (...args: string[]) => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'infra/cli/tracker-cli.ts', ...args], {
    cwd: ROOT, env: { ...process.env, TRACKER_DATA_DIR: temp.dir }, encoding: 'utf8', timeout: 60_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
};

beforeAll(async () => {
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN, TRACKER_RATE_LIMIT_REQUESTS: '0' });
  await registerOrganization(tracker.url, ADMIN, 'lead-org');
  keys['lead'] = await issueKey(tracker.url, ADMIN, 'lead-org', 'lena', 'ADVOCATE');
  const gql = (query: string, variables: Record<string, unknown> = {}) => postGraphQL(tracker!.url, keys['lead']!, query, variables);
  familyId = dataOf(await gql('mutation { openFamilyCase(input: { programme: SEPARATED_FAMILY }) { family { id } } }')).openFamilyCase.family.id as string;
  const steps: Array<[string, Record<string, unknown>]> = [
    ['registerChild', { childId: 'sofia', givenName: 'Sofía', birthDate: '2015-04-02', nationality: 'HN' }],
    ['addRelative', { relativeId: 'mother-ines', relationship: 'MOTHER', givenName: 'Inés' }],
    ['addRelative', { relativeId: 'uncle-brutus', relationship: 'UNCLE', givenName: 'Brutus' }],
    ['recordProtectionConcern', { concernId: 'concern', kind: 'TRAFFICKING', neverDiscloseTo: ['uncle-brutus'], subjectPersonId: 'sofia' }],
    ['recordChildDetained', { childId: 'sofia', agency: 'ORR', detainedOn: '2024-03-05' }],
    ['setDeadline', { deadlineId: 'hearing-day', kind: 'OTHER', dueOn: '2031-06-17', childId: 'sofia' }],
  ];
  for (const [mutation, input] of steps) {
    dataOf(await gql(`mutation($input: ${mutation.charAt(0).toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) { revision } }`, { input: { familyId, ...input } }));
  }
  await tracker.stop();
  tracker = undefined;
}, 120_000);
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

describe('the CLI', () => {
  it('replay shows the family as a STATUS reader may see it: generated ids, deadlines by month, no custody, nobody hidden', () => {
    const replay = cli('replay', '--family', familyId);
    expect(replay.code, replay.stderr).toBe(0);
    for (const chosen of ['sofia', 'mother-ines', 'uncle-brutus', 'hearing-day', '2031-06-17', 'UNCLE', 'DETAINED', '2024-03-05']) {
      expect(replay.stdout).not.toContain(chosen);
    }
    const family = JSON.parse(replay.stdout) as { children: Array<{ id: string }>; relatives: Array<{ id: string }>; deadlines: Array<{ dueMonth: string }> };
    expect(family.children.map((child) => child.id)).toEqual(['child#1']);
    expect(family.relatives.map((relative) => relative.id)).toEqual(['relative#1']);
    expect(family.deadlines.map((deadline) => deadline.dueMonth)).toEqual(['2031-06']);
  });

  it('export with a key refuses read models that are behind the store, naming the projection; once caught up it exports', async () => {
    expect(cli('export', '--key', keys['lead']!).code).toBe(0);
    const store = openEventStore(loadConfig({ ...process.env, TRACKER_DATA_DIR: temp.dir }).eventStore);
    // An event in a stream no access projection reads does not make them stale.
    await store.appendToStream('operator-note', [{ id: newEventId(), type: 'OperatorNoted', data: {}, metadata: {} }], { expectedRevision: 'any' });
    expect(cli('export', '--key', keys['lead']!).code).toBe(0);
    // An organisation the read models have not applied: no server runs to project it.
    await executeOrganizationCommand({ store, newEventId }, {
      type: 'RegisterOrganization', organizationId: 'late-org', name: 'Late', kind: 'LEGAL_SERVICE_PROVIDER', countries: [],
      actor: { userId: 'operator', organizationId: 'system', role: 'SYSTEM' }, issuedAt: new Date().toISOString(),
    });
    await store.close();
    const behind = cli('export', '--key', keys['lead']!);
    expect(behind.code).toBe(3);
    expect(behind.stdout).toBe('');
    expect(behind.stderr).toContain('the organizations read model is not current');
    tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN, TRACKER_RATE_LIMIT_REQUESTS: '0' });
    const url = tracker.url;
    await waitUntil('the read models to catch up', async () => (await fetch(`${url}/readyz`)).ok, 20_000);
    await tracker.stop();
    tracker = undefined;
    expect(cli('export', '--key', keys['lead']!).code).toBe(0);
  }, 60_000);
});

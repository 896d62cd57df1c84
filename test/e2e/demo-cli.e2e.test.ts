import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../support/async.js';
import { postGraphQL } from '../support/graphql-client.js';
import { startTrackerInProcess } from '../support/in-process-tracker.js';
import { makeTempDir } from '../support/temp-dir.js';
import { DEMO_ALREADY_LOADED } from '../../infra/cli/demo-notice.js';

/**
 * `npm run demo` as a user runs it (a real process): it prints one working API key per demo
 * organisation, and a second run changes nothing. Other tests load the demo in-process
 * (loadDemo), through the same infra/cli/demo-data.ts.
 */
const ROOT = join(import.meta.dirname, '../..');
const temp = makeTempDir('tracker-demo-');
afterAll(() => temp.remove());

const demo = () => spawnSync(process.execPath, ['--import', 'tsx', 'infra/cli/demo.ts'], { cwd: ROOT, env: { ...process.env, TRACKER_DATA_DIR: temp.dir }, encoding: 'utf8', timeout: 60_000 });

describe('npm run demo', () => {
  it('loads the demo families and prints a working key per organisation; run again, it writes nothing', async () => {
    const first = demo();
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^Loaded 5 demo families into /);
    const keys = [...first.stdout.matchAll(/ {2}(.+) \(demo\):\n {4}(trk_\S+)/g)].map(([, name, key]) => [name!, key!] as const);
    expect(keys.map(([name]) => name)).toEqual(['Legal Aid of New York', 'Defensores de Puebla', 'Defensores de Centroamérica', 'North Carolina Immigrant Legal Services']);

    const tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir });
    try {
      const [, usKey] = keys[0]!;
      await waitUntil('the demo families in the read models', async () => (await postGraphQL(tracker.url, usKey, '{ families(first: 10) { totalCount } }')).data?.families.totalCount > 0);
      for (const [, key] of keys) expect((await postGraphQL(tracker.url, key, '{ viewer { role } }')).data).toEqual({ viewer: { role: 'ADVOCATE' } });
    } finally {
      await tracker.stop();
    }

    const again = demo();
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toBe(DEMO_ALREADY_LOADED);
  });
});

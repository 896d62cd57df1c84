import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../../infra/event-store/sqlite/sqlite-event-store.js';
import { PROJECTIONS } from '../../../projections/all-projections.js';
import { Projector } from '../../../projections/projector.js';
import { openReadModelDatabase } from '../../../projections/read-model-database.js';
import { firstDifference, readModelSnapshot } from '../../../projections/read-model-snapshot.js';
import { crashTestSeed, killDelays } from '../../support/crash-seed.js';
import { loadFamilies } from '../../support/family-load.js';
import { makeTempDir } from '../../support/temp-dir.js';

const RUNNER = join(import.meta.dirname, '../../support/projector-runner.ts');
const KILLS = 10;

/** Runs the projector in a child; kills it `afterMs` after it starts projecting, or lets it finish. */
const runProjector = (eventsFile: string, readFile: string, afterMs?: number): Promise<'killed' | 'finished'> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', RUNNER, eventsFile, readFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once('data', () => {
      if (afterMs !== undefined) setTimeout(() => child.kill('SIGKILL'), afterMs);
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0) resolve('finished');
      else reject(new Error(`projector exited with ${String(code)}: ${stderr}`));
    });
  });

describe('projector under kill -9', () => {
  const temp = makeTempDir('tracker-projector-crash-');
  afterAll(() => temp.remove());

  it(`after ${String(KILLS)} kills mid-batch, the read model equals a fresh rebuild`, async () => {
    const eventsFile = join(temp.dir, 'events.sqlite');
    const readFile = join(temp.dir, 'read-models.sqlite');
    const store = SqliteEventStore.open(eventsFile);
    const total = await loadFamilies(store, 3_000, 15);
    await store.close();

    const outcomes: string[] = [];
    for (const delay of killDelays(crashTestSeed('projector crash'), KILLS, 30, 629)) {
      outcomes.push(await runProjector(eventsFile, readFile, delay));
    }
    outcomes.push(await runProjector(eventsFile, readFile));

    const reopened = SqliteEventStore.open(eventsFile);
    const live = openReadModelDatabase(readFile);
    const fresh = openReadModelDatabase(join(temp.dir, 'fresh.sqlite'));
    await new Projector(reopened, fresh, PROJECTIONS).catchUp();
    for (const projection of PROJECTIONS) {
      expect(firstDifference(readModelSnapshot(live, projection), readModelSnapshot(fresh, projection))).toBeUndefined();
    }
    expect(live.prepare("SELECT events_applied FROM projection_checkpoints WHERE name = 'families'").get()).toEqual({ events_applied: total });
    expect(live.pragma('integrity_check', { simple: true })).toBe('ok');
    live.close();
    fresh.close();
    await reopened.close();
    expect(outcomes.filter((o) => o === 'killed').length).toBeGreaterThan(0);
    console.info(`projector crash test: ${String(total)} events, outcomes ${outcomes.join(',')}`);
  });
});

import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DurabilityLostError, GroupCommitter, type Durability } from '../../../../infra/event-store/sqlite/group-commit.js';
import { SqliteEventStore } from '../../../../infra/event-store/sqlite/sqlite-event-store.js';
import { collect, waitUntil } from '../../../support/async.js';
import { makeTempDir } from '../../../support/temp-dir.js';

/**
 * The group committer with its sync run off the event loop, on a real SQLite file. The sync
 * step is held open by the test (a gate per sync) so that what is acknowledged before and
 * after it can be observed; the crash tests (test/int/event-store-crash.int.test.ts) cover
 * the real fdatasync under kill -9.
 */
describe('group commit with the sync off the event loop', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let db: Database.Database;
  let reader: Database.Database;
  let gates: Array<{ release: () => void; fail: (error: Error) => void }>;
  let told: string[];
  let committer: GroupCommitter<number, number>;

  const rowsCommitted = (): number => (reader.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n;
  const durability: Durability = {
    beforeGroup: () => told.push('before'),
    afterGroup: () => told.push('after'),
    sync: () => new Promise<void>((release, fail) => gates.push({ release, fail })),
  };
  /** Submits and records when each job settles. */
  const track = (job: number) => {
    const state = { settled: false, value: undefined as number | undefined, error: undefined as Error | undefined };
    committer.submit(job, 1).then(
      (value) => Object.assign(state, { settled: true, value }),
      (error: Error) => Object.assign(state, { settled: true, error }),
    );
    return state;
  };

  beforeEach(() => {
    temp = makeTempDir();
    const file = join(temp.dir, 'g.sqlite');
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE t (x INTEGER NOT NULL CHECK (x >= 0))');
    reader = new Database(file, { readonly: true });
    gates = [];
    told = [];
    const insert = db.prepare('INSERT INTO t (x) VALUES (?)');
    committer = new GroupCommitter<number, number>(db, (x) => Number(insert.run(x).lastInsertRowid), () => told.push('durable'), durability);
  });
  afterEach(() => {
    reader.close();
    db.close();
    temp.remove();
  });

  it('acknowledges a group only after a sync that began after its commit; groups committed during a sync wait for the next', async () => {
    expect(committer.acceptsJobs()).toBe(true);
    const first = [track(1), track(2)];
    await waitUntil('the first sync to begin', () => gates.length === 1);
    expect(rowsCommitted()).toBe(2);
    expect(first.some((job) => job.settled)).toBe(false);

    const second = [track(3), track(4), track(5)];
    await waitUntil('the second group to commit while the first sync runs', () => rowsCommitted() === 5);
    gates[0]!.release();
    await waitUntil('the first group to settle', () => first.every((job) => job.settled));
    expect(first.map((job) => job.value)).toEqual([1, 2]);
    expect(second.some((job) => job.settled)).toBe(false);

    await waitUntil('the second sync to begin', () => gates.length === 2);
    gates[1]!.release();
    await waitUntil('the second group to settle', () => second.every((job) => job.settled));
    expect(second.map((job) => job.value)).toEqual([3, 4, 5]);
    expect(told).toEqual(['before', 'after', 'before', 'after', 'durable', 'durable']);
    expect(committer.stats()).toMatchObject({ commits: 2, jobs: 5, syncs: 2 });
  });

  it('rejects a job that fails alone, and acknowledges the others of its group after the sync', async () => {
    const jobs = [track(1), track(-1), track(2)];
    await waitUntil('the sync to begin', () => gates.length === 1);
    gates[0]!.release();
    await waitUntil('the group to settle', () => jobs.every((job) => job.settled));
    expect(jobs.map((job) => job.value)).toEqual([1, undefined, 2]);
    expect(jobs[1]!.error?.message).toMatch(/CHECK constraint failed/);
    expect(rowsCommitted()).toBe(2);
  });

  it('after a failed sync, rejects what it covered and every later append, acknowledging nothing', async () => {
    const covered = [track(1)];
    await waitUntil('the sync to begin', () => gates.length === 1);
    const during = [track(2)];
    await waitUntil('the second group to commit', () => rowsCommitted() === 2);
    gates[0]!.fail(new Error('EIO: i/o error, fdatasync'));
    await waitUntil('both groups to settle', () => [...covered, ...during].every((job) => job.settled));
    for (const job of [...covered, ...during]) expect(job.error).toBeInstanceOf(DurabilityLostError);
    await expect(committer.submit(3, 1)).rejects.toBeInstanceOf(DurabilityLostError);
    expect(told).not.toContain('durable');
    // What the store's acceptsAppends (and so /readyz) reads: a replica refusing every write is not ready.
    expect(committer.acceptsJobs()).toBe(false);
  });
});

describe('the SQLite store syncing its log off the event loop', () => {
  it('syncs its write-ahead log itself (syncs counted) and shows an append in $all and the head by the time it is acknowledged', async () => {
    const temp = makeTempDir();
    const store = SqliteEventStore.open(join(temp.dir, 'events.sqlite'));
    try {
      const appends = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.appendToStream(`s-${String(i)}`, [{ id: `e-${String(i)}`, type: 'T', data: {}, metadata: {} }], { expectedRevision: 'no_stream' })),
      );
      const last = appends.map((appended) => appended.position.commit).sort((a, b) => Number(a - b)).at(-1);
      expect((await store.headPosition())?.commit).toBe(last);
      expect(await collect(store.readAll())).toHaveLength(20);
      expect(store.groupCommitStats().syncs).toBeGreaterThan(0);
      const check = new Database(join(temp.dir, 'events.sqlite'), { readonly: true });
      expect(check.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 20 });
      check.close();
    } finally {
      await store.close();
      temp.remove();
    }
  });
});

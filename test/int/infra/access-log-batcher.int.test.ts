import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAccessLogBatcher } from '../../../infra/access-log-writer.js';
import { viewsOf } from '../../../services/access-log/personal-data-viewed.js';
import { SqliteEventStore } from '../../../infra/event-store/sqlite/sqlite-event-store.js';
import { collect } from '../../support/async.js';
import { makeTempDir } from '../../support/temp-dir.js';

const viewer = { userId: 'u', organizationId: 'o', role: 'ADVOCATE' as const };
let temp: ReturnType<typeof makeTempDir>;
let store: SqliteEventStore;
beforeEach(() => {
  temp = makeTempDir('tracker-access-batch-');
  store = SqliteEventStore.open(join(temp.dir, 'events.sqlite'));
});
afterEach(async () => {
  await store.close();
  temp.remove();
});

describe('access log group commit', () => {
  it('entries logged together go in one append per day, each resolved once it is stored', async () => {
    let appends = 0;
    const counted = Object.assign(Object.create(store) as SqliteEventStore, {
      appendToStream: (...args: Parameters<SqliteEventStore['appendToStream']>) => {
        appends += 1;
        return store.appendToStream(...args);
      },
    });
    const log = createAccessLogBatcher(counted);
    const entries = Array.from({ length: 10 }, (_, i) => ({ viewer, views: [{ familyId: `f${String(i)}`, fields: 'people' }], viewedAt: i < 7 ? '2026-11-22T23:59:59.000Z' : '2026-11-23T00:00:01.000Z' }));
    await Promise.all(entries.map((entry) => log(entry)));
    const first = await collect(store.readStream('access-log-2026-11-22'));
    const second = await collect(store.readStream('access-log-2026-11-23'));
    expect(first.map((e) => viewsOf(e.data)[0]!.familyId)).toEqual(['f0', 'f1', 'f2', 'f3', 'f4', 'f5', 'f6']);
    expect(second).toHaveLength(3);
    expect(appends).toBe(2);
    expect(new Set(first.map((e) => e.position.commit)).size).toBe(7);
    const all = await collect(store.readAll());
    expect(all).toHaveLength(10);
  });

  it('an entry logged while an append is in flight goes in the next one; a failed append rejects its entries', async () => {
    const log = createAccessLogBatcher(store);
    const entry = { viewer, views: [{ familyId: 'f', fields: 'people' }], viewedAt: '2026-11-22T10:00:00.000Z' };
    await Promise.all([log(entry), log(entry)]);
    await log(entry);
    expect(await collect(store.readStream('access-log-2026-11-22'))).toHaveLength(3);
    await store.close();
    await expect(log(entry)).rejects.toThrow();
    store = SqliteEventStore.open(join(temp.dir, 'events.sqlite'));
  });
});

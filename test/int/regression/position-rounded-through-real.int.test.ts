import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../../infra/event-store/sqlite/sqlite-event-store.js';
import { advanceSqlitePositionsBeyond } from '../../support/sqlite-positions.js';
import { makeTempDir } from '../../support/temp-dir.js';

// Regression: positions were once bumped with the event count bound as a JS number, which
// better-sqlite3 binds as REAL; above 2^53 the sum was rounded to an even number and the
// first event of a 3-event append got a position already handed out.
describe('regression: positions above 2^53 rounded through REAL', () => {
  it('gives each event of an odd-sized batch after 2^53 its own exact position', async () => {
    const temp = makeTempDir();
    const file = join(temp.dir, 'events.sqlite');
    const store = SqliteEventStore.open(file);
    advanceSqlitePositionsBeyond(file, 2n ** 53n + 2n);

    const ids = ['a', 'b', 'c'].map((id) => `${id}-0190f3a2-7c1e-7b3e-9d4a-2f6c8e1b5a90`);
    const result = await store.appendToStream(
      'family-regression',
      ids.map((id) => ({ id, type: 'T', data: {}, metadata: {} })),
      { expectedRevision: 'no_stream' },
    );
    const positions: bigint[] = [];
    for await (const event of store.readStream('family-regression')) positions.push(event.position.commit);
    await store.close();
    temp.remove();

    expect(result.position.commit).toBe(2n ** 53n + 5n);
    expect(positions).toEqual([2n ** 53n + 3n, 2n ** 53n + 4n, 2n ** 53n + 5n]);
  });
});

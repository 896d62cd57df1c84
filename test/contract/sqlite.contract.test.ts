import { join } from 'node:path';
import { SqliteEventStore } from '../../infra/event-store/sqlite/sqlite-event-store.js';
import { advanceSqlitePositionsBeyond } from '../support/sqlite-positions.js';
import { makeTempDir } from '../support/temp-dir.js';
import { describeEventStoreContract } from './event-store.contract.js';

console.warn('\n[contract] embedded SQLite run: a real SQLite file in a temporary directory\n');

describeEventStoreContract('embedded SQLite', () => {
  const temp = makeTempDir();
  const file = join(temp.dir, 'events.sqlite');
  const store = SqliteEventStore.open(file);
  return Promise.resolve({
    store,
    streamDeletion: 'refused',
    advancePositionsBeyond: (floor: bigint) => advanceSqlitePositionsBeyond(file, floor),
    dispose: async () => {
      await store.close();
      temp.remove();
    },
  });
});

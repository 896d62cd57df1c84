import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '../../infra/event-store/sqlite/sqlite-event-store.js';
import { makeTempDir } from '../support/temp-dir.js';
import { describeEventStoreContract } from './event-store.contract.js';

describeEventStoreContract('embedded SQLite', () => {
  const temp = makeTempDir();
  const file = join(temp.dir, 'events.sqlite');
  const store = SqliteEventStore.open(file);
  return Promise.resolve({
    store,
    advancePositionsBeyond: (floor: bigint) => {
      // A second connection, as an operator would: AUTOINCREMENT continues after sqlite_sequence.
      const db = new Database(file);
      db.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'events'").run(floor);
      db.close();
    },
    dispose: async () => {
      await store.close();
      temp.remove();
    },
  });
});

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { SqliteEventStore } from '../../infra/event-store/sqlite/sqlite-event-store.js';
import { SqliteKeyStore } from '../../infra/keys/sqlite-key-store.js';
import { EncryptingEventStore } from '../../services/privacy/encrypting-event-store.js';
import { PersonalDataCipher } from '../../services/privacy/personal-data-cipher.js';
import { advanceSqlitePositionsBeyond } from '../support/sqlite-positions.js';
import { makeTempDir } from '../support/temp-dir.js';
import { describeEventStoreContract } from './event-store.contract.js';

/** The encrypting decorator keeps the port's contract: the same suite as every adapter, over the embedded store. */
describeEventStoreContract('encrypting decorator over embedded SQLite', () => {
  const temp = makeTempDir();
  const file = join(temp.dir, 'events.sqlite');
  const keys = SqliteKeyStore.open(join(temp.dir, 'data-keys.sqlite'), randomBytes(32));
  const store = new EncryptingEventStore(SqliteEventStore.open(file), new PersonalDataCipher(keys), { alsoClose: () => keys.close() });
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

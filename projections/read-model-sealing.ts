import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../services/event-store/port.js';
import { keyIdsToSealIn } from '../services/privacy/personal-data-cipher.js';
import { ReadModelSealer, readModelKeysOf, type ReadModelKeys } from '../services/privacy/read-model-sealer.js';

/**
 * Which sealer a read-model database's projections seal personal values with
 * (services/privacy/read-model-sealer.ts). The composition root (infra/tracker.ts) and the
 * command line register one for every read-model database they open; a projection looks it up
 * when it binds. A database without one (unit and projection tests that run no key store)
 * holds plaintext: nothing that writes a data directory opens one that way.
 */
const sealers = new WeakMap<Database.Database, ReadModelSealer>();
/** Per database, the keys to bring into memory before a batch is applied (a key store whose synchronous view is memory only). */
const preparers = new WeakMap<Database.Database, NonNullable<ReadModelKeys['prepareKeys']>>();

export const sealReadModelsWith = (db: Database.Database, sealer: ReadModelSealer): void => {
  sealers.set(db, sealer);
};

export const readModelSealerOf = (db: Database.Database): ReadModelSealer | undefined => sealers.get(db);

/**
 * Seals the read models of `db` with this key store's keys and lets the read side open them
 * (ReadModelSealer.activate), when the key store offers synchronous keys (readModelKeysOf: both
 * key stores do); `stop` undoes the activation. `sealer` is undefined for a key store without
 * them: that database's read models then hold plaintext.
 */
export const sealReadModelsOf = (db: Database.Database, keyStore: object): { readonly sealer: ReadModelSealer | undefined; readonly stop: () => void } => {
  const keys = readModelKeysOf(keyStore);
  if (!keys) return { sealer: undefined, stop: () => undefined };
  const sealer = new ReadModelSealer(keys);
  sealReadModelsWith(db, sealer);
  if (keys.prepareKeys) preparers.set(db, keys.prepareKeys.bind(keys));
  return { sealer, stop: sealer.activate() };
};

/**
 * Called by the projector before it applies `batch` to `db` synchronously: the keys sealing the
 * batch's people would use are in memory by then (no-op for a key store that reads keys
 * synchronously, or a database without a sealer).
 */
export const prepareKeysForBatch = async (db: Database.Database, batch: readonly RecordedEvent[]): Promise<void> => {
  const prepare = preparers.get(db);
  if (!prepare) return;
  const keyIds = keyIdsToSealIn(batch);
  if (keyIds.length > 0) await prepare(keyIds);
};

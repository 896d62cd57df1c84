import type Database from 'better-sqlite3';
import { ReadModelSealer, readModelKeysOf } from '../services/privacy/read-model-sealer.js';

/**
 * Which sealer a read-model database's projections seal personal values with
 * (services/privacy/read-model-sealer.ts). The composition root (infra/tracker.ts) and the
 * command line register one for every read-model database they open; a projection looks it up
 * when it binds. A database without one (unit and projection tests that run no key store)
 * holds plaintext: nothing that writes a data directory opens one that way.
 */
const sealers = new WeakMap<Database.Database, ReadModelSealer>();

export const sealReadModelsWith = (db: Database.Database, sealer: ReadModelSealer): void => {
  sealers.set(db, sealer);
};

export const readModelSealerOf = (db: Database.Database): ReadModelSealer | undefined => sealers.get(db);

/**
 * Seals the read models of `db` with this key store's keys and lets the read side open them
 * (ReadModelSealer.activate), when the key store offers synchronous keys (readModelKeysOf);
 * `stop` undoes the activation. `sealer` is undefined for a key store without them (the one in
 * EventStoreDB, for now): that database's read models then hold plaintext, as before.
 */
export const sealReadModelsOf = (db: Database.Database, keyStore: object): { readonly sealer: ReadModelSealer | undefined; readonly stop: () => void } => {
  const keys = readModelKeysOf(keyStore);
  if (!keys) return { sealer: undefined, stop: () => undefined };
  const sealer = new ReadModelSealer(keys);
  sealReadModelsWith(db, sealer);
  return { sealer, stop: sealer.activate() };
};

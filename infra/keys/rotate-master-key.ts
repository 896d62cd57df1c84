import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { KEY_STORE_FILE, loadMasterKey, MASTER_KEY_FILE, MasterKeyError, readKeyFile } from './master-key.js';
import { PRIVATE_FILE_MODE } from '../private-files.js';
import { rewrapBlindIndexKey } from './key-directory.js';
import { SqliteKeyStore } from './sqlite-key-store.js';
import { openEventStore } from '../event-store/open-event-store.js';
import { rotateEventStoreMasterKey, type EventStoreRotation } from './event-store-key-store.js';

export interface Rotation {
  readonly rewrapped: number;
  /** Where the new key was written (the key directory's `master.key`), or undefined when it is supplied by a variable. */
  readonly wroteMasterKeyFile: string | undefined;
}

/**
 * Rotates the master key (issue 13 item 5): every data key re-wrapped with the key in
 * `newKeyFile`, in one transaction; no event is touched. When the current key is the key
 * directory's `master.key`, the new one replaces it: it is written beside it first and renamed
 * over it only after the key store committed, so a crash in between leaves either the old pair
 * or a new key store whose key is still in `newKeyFile`. When the key comes from
 * TRACKER_MASTER_KEY(_FILE), switch that to the new key before the next start.
 * The caller holds the data directory (no server running).
 */
export const rotateMasterKey = (settings: Config['keys'], newKeyFile: string): Rotation => {
  if (settings.store === 'event-store') throw new MasterKeyError('the key store in EventStoreDB rotates with rotateEventStoreKeys');
  const current = loadMasterKey(settings);
  const next = readKeyFile(newKeyFile, '--new-key-file');
  const inKeyDir = settings.masterKey === undefined && settings.masterKeyFile === undefined;
  const masterFile = join(settings.keyDir, MASTER_KEY_FILE);
  const staged = `${masterFile}.next`;
  if (inKeyDir) writeFileSync(staged, `${next.toString('base64')}\n`, { mode: PRIVATE_FILE_MODE });
  const store = SqliteKeyStore.open(join(settings.keyDir, KEY_STORE_FILE), current.key);
  try {
    const { rewrapped } = store.rotateMasterKey(next);
    rewrapBlindIndexKey(settings.keyDir, current.key, next);
    if (inKeyDir) renameSync(staged, masterFile);
    return { rewrapped, wroteMasterKeyFile: inKeyDir ? masterFile : undefined };
  } finally {
    void store.close();
  }
};

/**
 * Rotates the master key of the key store in EventStoreDB (TRACKER_KEY_STORE=event-store):
 * `rotateEventStoreMasterKey` (event-store-key-store.ts) with the configured (current) key and
 * the one in `newKeyFile`, while replicas may run. No file is written: every replica's
 * TRACKER_MASTER_KEY(_FILE) is switched to the new key by the operator (README "Running on
 * EventStoreDB", the procedure). Idempotent: run again with the same keys it re-wraps only the
 * keys a replica made under the previous key before it saw the rotation.
 */
export const rotateEventStoreKeys = async (config: Pick<Config, 'keys' | 'eventStore'>, newKeyFile: string): Promise<EventStoreRotation> => {
  const current = loadMasterKey(config.keys);
  const next = readKeyFile(newKeyFile, '--new-key-file');
  if (next.equals(current.key)) throw new MasterKeyError('--new-key-file holds the current master key: nothing to rotate');
  const events = openEventStore(config.eventStore);
  try {
    return await rotateEventStoreMasterKey(events, current.key, next);
  } finally {
    await events.close();
  }
};

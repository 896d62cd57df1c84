import { join } from 'node:path';
import type { Config } from '../config.js';
import type { EventStore } from '../../services/event-store/port.js';
import { holdsSealedData } from '../../services/privacy/personal-data-cipher.js';
import { KEY_STORE_FILE, loadMasterKey } from './master-key.js';
import { ensurePrivateDir } from '../private-files.js';
import { SqliteKeyStore } from './sqlite-key-store.js';

export interface OpenedKeyStore {
  readonly keyStore: SqliteKeyStore;
  /** Set on the start that generated the master key: what to tell the operator, once (standard error, not the log). */
  readonly firstStartNotice: string | undefined;
}

/**
 * The key directory (0700) with its key store (`data-keys.sqlite`, 0600) and, unless supplied
 * by TRACKER_MASTER_KEY(_FILE), the master key (`master.key`, 0600). Throws MasterKeyError or
 * KeyStoreLockedError (the tracker then refuses to start) when the master key is missing or
 * does not open the key store.
 */
export const openKeyStore = (settings: Config['keys']): OpenedKeyStore => {
  const master = loadMasterKey(settings);
  ensurePrivateDir(settings.keyDir);
  const keyStore = SqliteKeyStore.open(join(settings.keyDir, KEY_STORE_FILE), master.key);
  return {
    keyStore,
    firstStartNotice:
      master.generatedInto === undefined
        ? undefined
        : `\nFirst start: generated the master key that encrypts every person's data key:\n\n  ${master.generatedInto}\n\n` +
          'Back it up now, APART from the data directory and its backups: without it nothing personal can be read; ' +
          'stored with the data, it protects nothing. (Or supply it with TRACKER_MASTER_KEY_FILE or TRACKER_MASTER_KEY.)\n\n',
  };
};

/** The event store holds encrypted data, but the key store is empty: it is not that store's. */
export class KeyStoreNotThisStoresError extends Error {
  override readonly name = 'KeyStoreNotThisStoresError';
  constructor(keyDir: string) {
    super(
      `The event store holds encrypted personal data, but the key store in ${keyDir} holds no key: it is not the key store of this event store. ` +
        'The tracker will not start with it (anything recorded now would be sealed with keys the right key store lacks). ' +
        'Set TRACKER_KEY_DIR (and the master key) to the key directory this event store was written with, or restore it from its backup.',
    );
  }
}

/**
 * Refuses a key store that cannot be the event store's: an empty one (a new key directory, say
 * a volume that was not mounted) beside events that hold sealed data. `storedForm` is the event
 * store as stored. Reads the whole store, but only while the key store is empty: at the first
 * start (an empty store) and on the first start with encryption of a store written before it.
 */
export const assertKeyStoreFits = async (keyStore: SqliteKeyStore, storedForm: EventStore, keyDir: string): Promise<void> => {
  if (!keyStore.isEmpty()) return;
  for await (const event of storedForm.readAll()) {
    if (holdsSealedData(event.data)) throw new KeyStoreNotThisStoresError(keyDir);
  }
};

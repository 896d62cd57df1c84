import { join } from 'node:path';
import type { Config } from '../config.js';
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

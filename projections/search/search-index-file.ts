import { createHmac } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { openReadModelDatabase, type ReadModelOpenOptions } from '../read-model-database.js';

/**
 * The search index's own file (`search-index.sqlite` in the data directory), apart from the
 * other read models so that it can be checked byte by byte for plaintext (it holds none) and
 * handed to the privacy issue's encryption separately. Disposable like them: deleted, it
 * rebuilds from the event store.
 *
 * Its terms are only meaningful under the key they were made with. The file records a
 * fingerprint of the key (HMAC of a fixed label: it tells nothing about the key); opened with
 * another key (the key file was lost or replaced), the file is removed and the index rebuilds.
 */
export const SEARCH_INDEX_FILE = 'search-index.sqlite';

const fingerprintOf = (key: Buffer): string => createHmac('sha256', key).update('search-index key fingerprint').digest('hex').slice(0, 32);

export const openSearchIndexFile = (file: string, key: Buffer, options: ReadModelOpenOptions & { readonly onKeyChanged?: () => void } = {}): Database.Database => {
  const fingerprint = fingerprintOf(key);
  let db = openReadModelDatabase(file, options);
  const recorded = readFingerprint(db);
  if (recorded !== undefined && recorded !== fingerprint) {
    db.close();
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(`${file}${suffix}`)) rmSync(`${file}${suffix}`);
    options.onKeyChanged?.();
    db = openReadModelDatabase(file, options);
    readFingerprint(db);
  }
  db.prepare('INSERT OR REPLACE INTO search_index_key (id, fingerprint) VALUES (1, ?)').run(fingerprint);
  return db;
};

const readFingerprint = (db: Database.Database): string | undefined => {
  db.exec('CREATE TABLE IF NOT EXISTS search_index_key (id INTEGER PRIMARY KEY CHECK (id = 1), fingerprint TEXT NOT NULL)');
  return db.prepare('SELECT fingerprint FROM search_index_key WHERE id = 1').pluck().get() as string | undefined;
};

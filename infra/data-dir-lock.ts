import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { isDamage } from './event-store/sqlite/open-database.js';

export const LOCK_FILE = 'tracker.lock';

/** Another process holds the data directory. */
export class DataDirInUseError extends Error {
  override readonly name = 'DataDirInUseError';
  constructor(readonly dataDir: string) {
    super(
      `The data directory ${dataDir} is in use by another tracker process (a server, \`tracker projections rebuild\` or \`projections status\`), ` +
        `which holds ${join(dataDir, LOCK_FILE)}. Stop that process first: one data directory serves one such process at a time.`,
    );
  }
}

export interface DataDirLock {
  readonly release: () => void;
}

/**
 * Takes the data directory for this process alone, or throws DataDirInUseError at once.
 *
 * The lock is SQLite's own: a dedicated file opened in `locking_mode=EXCLUSIVE`, whose first
 * write transaction takes an exclusive OS file lock (fcntl) that the connection keeps until it
 * closes. The kernel drops that lock when the process ends, however it ends (kill -9, a crash),
 * so a lock never outlives its holder and nothing stale is left to clean up; a second
 * connection in the same process is refused too.
 *
 * Limits: the lock is advisory (it keeps out the processes that ask: the server and the CLI
 * commands that write the read models; `backup`, `verify`, `replay`, `export` and `projections
 * check` do not ask, they only read or append to the event store, which is safe beside a
 * server); on a network file system it is only as good as that file system's fcntl locks; and
 * nothing else in this process may open and close the lock file (POSIX drops every lock of a
 * process on a file when any of its descriptors on that file closes).
 */
export const lockDataDir = (dataDir: string): DataDirLock => {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, LOCK_FILE);
  const db = new Database(file, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('CREATE TABLE IF NOT EXISTS lock (held INTEGER NOT NULL)');
    db.exec('COMMIT');
  } catch (error) {
    db.close();
    if ((error as { code?: unknown }).code === 'SQLITE_BUSY') throw new DataDirInUseError(dataDir);
    // It holds nothing, but deleting it here could race with another process doing the same.
    if (isDamage(error)) throw new Error(`The lock file ${file} is damaged; with no tracker process running on ${dataDir}, delete it and start again.`);
    throw error;
  }
  return { release: () => db.close() };
};

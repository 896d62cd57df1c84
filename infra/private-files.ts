import { chmodSync, closeSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Files and folders only the tracker's own user may read: folders 0700, files 0600, whatever
 * the process's umask. Applied at creation; an existing folder or file is narrowed to the same.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

export const ensurePrivateDir = (dir: string): void => {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
};

/** Creates the file empty if it does not exist (SQLite then creates its -wal and -shm with the same mode). */
export const ensurePrivateFile = (file: string): void => {
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  chmodSync(file, PRIVATE_FILE_MODE);
};

/**
 * Files and folders this process creates from now on are its user's alone (umask 077: SQLite's
 * files, their -wal and -shm, backups, the lock file). Process-wide, so it is set by the entry
 * points and the composition root; where a process cannot change its umask (a worker thread)
 * the folders are still narrowed by `narrowDataDir`.
 */
export const createOwnerOnlyFiles = (): void => {
  try {
    process.umask(0o077);
  } catch {
    // Worker threads may not change the umask; narrowDataDir still closes the folder.
  }
};

/** The files of the tracker's own in a data directory (with their -wal, -shm and set-aside copies). */
const TRACKER_FILES = ['events.sqlite', 'read-models.sqlite', 'webhooks.sqlite', 'tracker.lock'];

/**
 * The data directory 0700, and the tracker's own files in it 0600 (an older version created
 * them readable by others). Other files someone put there are left as they are.
 */
export const narrowDataDir = (dir: string): void => {
  ensurePrivateDir(dir);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile() && TRACKER_FILES.some((name) => entry.name.startsWith(name))) chmodSync(join(dir, entry.name), PRIVATE_FILE_MODE);
  }
};

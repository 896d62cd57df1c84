import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';

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

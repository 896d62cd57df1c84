import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { BlindIndexKeyStore } from '../../services/search/blind-index-key.js';

const KEY_FILE = 'search-index.key';
const KEY_BYTES = 32;

export class KeyDirectoryError extends Error {
  override readonly name = 'KeyDirectoryError';
}

/** Is `inner` the directory `outer` or inside it? */
const isWithin = (inner: string, outer: string): boolean => {
  const path = relative(resolve(outer), resolve(inner));
  return path === '' || (!path.startsWith('..') && !isAbsolute(path));
};

/**
 * The key directory (TRACKER_KEY_DIR): the blind-index key in `search-index.key`, 32 random bytes
 * in hex, created on first start with mode 0600 in a 0700 directory. It must not be inside the
 * data directory (a copy of the data must not carry the key that tests guesses against the
 * index), and a key file that group or others may read is refused. Losing the file only costs a
 * rebuild of the search index (projections/search/search-index-file.ts notices the new key).
 */
export const openKeyDirectory = (keyDir: string, dataDir: string): BlindIndexKeyStore => {
  if (isWithin(keyDir, dataDir)) throw new KeyDirectoryError('TRACKER_KEY_DIR must be outside TRACKER_DATA_DIR');
  mkdirSync(keyDir, { recursive: true, mode: 0o700 });
  const file = join(keyDir, KEY_FILE);
  try {
    writeFileSync(file, `${randomBytes(KEY_BYTES).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if ((statSync(file).mode & 0o077) !== 0) throw new KeyDirectoryError(`${file} may be read by others than its owner: chmod 600 it`);
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  if (key.length !== KEY_BYTES) throw new KeyDirectoryError(`${file} does not hold a ${String(KEY_BYTES)}-byte key in hex`);
  return { blindIndexKey: () => key };
};

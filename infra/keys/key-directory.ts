import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { BlindIndexKeyStore } from '../../services/search/blind-index-key.js';
import { unwrap, wrap } from './sqlite-key-store.js';

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

/** What wraps the blind-index key (AES-256-GCM under the master key, as data keys are wrapped). */
const WRAP_CONTEXT = 'tracker-search-index-key-v1';
const WRAPPED_PREFIX = 'wrapped:';

/**
 * The key directory (TRACKER_KEY_DIR): the blind-index key in `search-index.key`, 32 random
 * bytes wrapped by the master key (`wrapped:<base64>`), created on first start with mode 0600 in
 * a 0700 directory. Wrapped because with the key and a copy of the index every guess (an
 * A-number has 10^9 values) can be tested offline: a copy of the data and key directories
 * without the master key must open nothing (regression: blind-index-key-not-wrapped-by-the-
 * master-key). A key file written before it was wrapped (64 hex digits) is wrapped in place, the
 * same key (no rebuild). It must not be inside the data directory, and a key file that group or
 * others may read is refused. A file that does not unwrap with this master key (lost, or left
 * by an interrupted rotation) is replaced by a new key: that only costs a rebuild of the search
 * index (projections/search/search-index-file.ts notices the new key).
 */
export const openKeyDirectory = (keyDir: string, dataDir: string, masterKey: Buffer): BlindIndexKeyStore => {
  if (isWithin(keyDir, dataDir)) throw new KeyDirectoryError('TRACKER_KEY_DIR must be outside TRACKER_DATA_DIR');
  mkdirSync(keyDir, { recursive: true, mode: 0o700 });
  const file = join(keyDir, KEY_FILE);
  try {
    writeFileSync(file, wrapped(masterKey, randomBytes(KEY_BYTES)), { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if ((statSync(file).mode & 0o077) !== 0) throw new KeyDirectoryError(`${file} may be read by others than its owner: chmod 600 it`);
  const text = readFileSync(file, 'utf8').trim();
  const key = text.startsWith(WRAPPED_PREFIX) ? unwrap(masterKey, WRAP_CONTEXT, Buffer.from(text.slice(WRAPPED_PREFIX.length), 'base64')) : Buffer.from(text, 'hex');
  if (key?.length !== KEY_BYTES) {
    const fresh = randomBytes(KEY_BYTES);
    replaceKeyFile(file, masterKey, fresh);
    return { blindIndexKey: () => fresh };
  }
  if (!text.startsWith(WRAPPED_PREFIX)) replaceKeyFile(file, masterKey, key);
  return { blindIndexKey: () => key };
};

/**
 * Wraps the blind-index key of `keyDir` (if it has one) with `newMasterKey`, for a master-key
 * rotation; a crash before it leaves a file the next start replaces (a rebuild of the index).
 */
export const rewrapBlindIndexKey = (keyDir: string, currentMasterKey: Buffer, newMasterKey: Buffer): void => {
  const file = join(keyDir, KEY_FILE);
  if (!existsSync(file)) return;
  const text = readFileSync(file, 'utf8').trim();
  const key = text.startsWith(WRAPPED_PREFIX) ? unwrap(currentMasterKey, WRAP_CONTEXT, Buffer.from(text.slice(WRAPPED_PREFIX.length), 'base64')) : Buffer.from(text, 'hex');
  if (key?.length === KEY_BYTES) replaceKeyFile(file, newMasterKey, key);
};

const wrapped = (masterKey: Buffer, key: Buffer): string => `${WRAPPED_PREFIX}${wrap(masterKey, WRAP_CONTEXT, key).toString('base64')}\n`;

/** Writes the wrapped key beside the file, then renames it over it (0600 throughout). */
const replaceKeyFile = (file: string, masterKey: Buffer, key: Buffer): void => {
  const staged = `${file}.next`;
  writeFileSync(staged, wrapped(masterKey, key), { mode: 0o600 });
  renameSync(staged, file);
};

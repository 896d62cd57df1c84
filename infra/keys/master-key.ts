import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../private-files.js';

/** Where the master key comes from (README "Encryption at rest"). */
export interface MasterKeySettings {
  /** The key directory (TRACKER_KEY_DIR): the generated master key and the key store live here. */
  readonly keyDir: string;
  /** TRACKER_MASTER_KEY_FILE: a file holding the key (base64 or hex of 32 bytes). */
  readonly masterKeyFile: string | undefined;
  /** TRACKER_MASTER_KEY: the key itself (base64 or hex of 32 bytes). */
  readonly masterKey: string | undefined;
}

export interface MasterKey {
  readonly key: Buffer;
  /** Names the key without revealing it (first 16 hex digits of its SHA-256), for messages. */
  readonly fingerprint: string;
  /** Set when this start generated the key: where it was written. */
  readonly generatedInto: string | undefined;
}

/** File names in the key directory; other keys (e.g. `search-index.key`) may live beside them. */
export const MASTER_KEY_FILE = 'master.key';
export const KEY_STORE_FILE = 'data-keys.sqlite';

export class MasterKeyError extends Error {
  override readonly name = 'MasterKeyError';
}

/**
 * The master key: from TRACKER_MASTER_KEY, else TRACKER_MASTER_KEY_FILE, else `master.key` in
 * the key directory. Generated there (0600, in a 0700 folder) only on a first start, that is
 * when neither it nor the key store exists: a key store without its master key is refused,
 * never given a new key that cannot open it.
 */
export const loadMasterKey = (settings: MasterKeySettings): MasterKey => {
  if (settings.masterKey !== undefined) return masterKeyOf(parseKey(settings.masterKey, 'TRACKER_MASTER_KEY'), undefined);
  if (settings.masterKeyFile !== undefined) return masterKeyOf(readKeyFile(settings.masterKeyFile, 'TRACKER_MASTER_KEY_FILE'), undefined);
  const file = join(settings.keyDir, MASTER_KEY_FILE);
  if (existsSync(file)) return masterKeyOf(readKeyFile(file, 'the key directory'), undefined);
  if (existsSync(join(settings.keyDir, KEY_STORE_FILE))) {
    throw new MasterKeyError(
      `The key store ${join(settings.keyDir, KEY_STORE_FILE)} exists but its master key does not (${file}, TRACKER_MASTER_KEY_FILE or TRACKER_MASTER_KEY). ` +
        'Restore the master key from its backup; a new one could not open the key store.',
    );
  }
  ensurePrivateDir(settings.keyDir);
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  return masterKeyOf(key, file);
};

const masterKeyOf = (key: Buffer, generatedInto: string | undefined): MasterKey => ({
  key,
  fingerprint: createHash('sha256').update(key).digest('hex').slice(0, 16),
  generatedInto,
});

/** Reads a master key from a file (64 hex digits or base64 of 32 bytes). */
export const readKeyFile = (file: string, source: string): Buffer => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new MasterKeyError(`The master key file from ${source} (${file}) cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  return parseKey(text, source);
};

/** 32 bytes as 64 hex digits or as base64; anything else is refused (without repeating it). */
const parseKey = (text: string, source: string): Buffer => {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  const decoded = Buffer.from(trimmed, 'base64');
  if (decoded.length === 32 && decoded.toString('base64') === trimmed) return decoded;
  throw new MasterKeyError(`The master key from ${source} must be 32 bytes, written as 64 hex digits or 44 characters of base64`);
};

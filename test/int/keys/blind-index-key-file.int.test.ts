import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openKeyDirectory, rewrapBlindIndexKey } from '../../../infra/keys/key-directory.js';
import { makeTempDir } from '../../support/temp-dir.js';

/** The blind-index key file (infra/keys/key-directory.ts): wrapped by the master key, kept across upgrades and rotations. */
const temp = makeTempDir('blind-index-key-');
afterEach(() => temp.remove());

const dirs = () => ({ keyDir: join(temp.dir, 'keys'), dataDir: join(temp.dir, 'data') });
const keyFile = () => join(dirs().keyDir, 'search-index.key');

describe('the blind-index key file', () => {
  it('holds the key wrapped, never as it is', () => {
    const master = randomBytes(32);
    const key = openKeyDirectory(dirs().keyDir, dirs().dataDir, master).blindIndexKey();
    const text = readFileSync(keyFile(), 'utf8');
    expect(text).not.toContain(key.toString('hex'));
    expect(text).not.toContain(key.toString('base64'));
    expect(openKeyDirectory(dirs().keyDir, dirs().dataDir, master).blindIndexKey().equals(key)).toBe(true);
  });

  it('wraps a key file written before in place: the same key, so the index is not rebuilt', () => {
    const master = randomBytes(32);
    const { keyDir, dataDir } = dirs();
    openKeyDirectory(keyDir, dataDir, master);
    const older = randomBytes(32);
    writeFileSync(keyFile(), `${older.toString('hex')}\n`, { mode: 0o600 });
    expect(openKeyDirectory(keyDir, dataDir, master).blindIndexKey().equals(older)).toBe(true);
    expect(readFileSync(keyFile(), 'utf8')).not.toContain(older.toString('hex'));
    expect(openKeyDirectory(keyDir, dataDir, master).blindIndexKey().equals(older)).toBe(true);
  });

  it('keeps the key across a rotation of the master key, and a file under another master key gets a new one', () => {
    const [master, next, other] = [randomBytes(32), randomBytes(32), randomBytes(32)];
    const { keyDir, dataDir } = dirs();
    const key = openKeyDirectory(keyDir, dataDir, master).blindIndexKey();
    rewrapBlindIndexKey(keyDir, master, next);
    expect(openKeyDirectory(keyDir, dataDir, next).blindIndexKey().equals(key)).toBe(true);
    expect(openKeyDirectory(keyDir, dataDir, other).blindIndexKey().equals(key)).toBe(false);
  });
});

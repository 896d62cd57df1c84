import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirInUseError, LOCK_FILE, lockDataDir } from '../../../infra/data-dir-lock.js';
import { makeTempDir } from '../../support/temp-dir.js';

/** The data directory's lock within one process (two processes: test/e2e/regression/two-servers-one-data-dir). */
const temp = makeTempDir('tracker-lock-');
afterAll(() => temp.remove());

describe('the data directory lock', () => {
  it('is refused to a second holder in the same process until the first releases it', () => {
    const first = lockDataDir(temp.dir);
    expect(() => lockDataDir(temp.dir)).toThrow(DataDirInUseError);
    expect(() => lockDataDir(temp.dir)).toThrow(`The data directory ${temp.dir} is in use`);
    first.release();
    lockDataDir(temp.dir).release();
  });

  it('names a damaged lock file and what to do, instead of a raw SQLite error', () => {
    const dir = join(temp.dir, 'damaged');
    lockDataDir(dir).release();
    writeFileSync(join(dir, LOCK_FILE), Buffer.alloc(8192, 0x5a));
    expect(() => lockDataDir(dir)).toThrow(`The lock file ${join(dir, LOCK_FILE)} is damaged`);
  });
});

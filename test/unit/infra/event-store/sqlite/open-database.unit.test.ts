import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDurableDatabase } from '../../../../../infra/event-store/sqlite/open-database.js';
import { makeTempDir } from '../../../../support/temp-dir.js';

describe('opening a durable SQLite file', () => {
  it('turns on WAL and synchronous=FULL', () => {
    const temp = makeTempDir();
    const db = openDurableDatabase(join(temp.dir, 'x.sqlite'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    db.close();
    temp.remove();
  });

  it('refuses a database where WAL cannot be enabled, naming the setting', () => {
    // An in-memory database keeps journal_mode=memory whatever is asked.
    expect(() => openDurableDatabase(':memory:')).toThrow(/journal_mode is 'memory', expected 'wal'/);
  });
});

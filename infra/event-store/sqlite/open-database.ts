import Database from 'better-sqlite3';

/**
 * Opens a SQLite file with the durability every acknowledged write relies on: write-ahead
 * logging, and `synchronous=FULL` so that each commit is fsynced before it returns. A file
 * where either setting does not hold (a file system without WAL support, for one) is refused
 * rather than run with weaker guarantees.
 */
export const openDurableDatabase = (file: string): Database.Database => {
  const db = new Database(file, { timeout: 10_000 });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    assertDurable(db, file);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
};

const SYNCHRONOUS_FULL = 2;

const assertDurable = (db: Database.Database, file: string): void => {
  const journalMode = String(db.pragma('journal_mode', { simple: true }));
  if (journalMode.toLowerCase() !== 'wal') {
    throw new Error(
      `SQLite database ${file} refused: PRAGMA journal_mode is '${journalMode}', expected 'wal'`,
    );
  }
  const synchronous = Number(db.pragma('synchronous', { simple: true }));
  if (synchronous !== SYNCHRONOUS_FULL) {
    throw new Error(
      `SQLite database ${file} refused: PRAGMA synchronous is ${String(synchronous)}, expected FULL (2)`,
    );
  }
};

import Database from 'better-sqlite3';

/**
 * The read-model database: a separate SQLite file, disposable (delete it and every projection
 * rebuilds from the event store). WAL with synchronous=NORMAL: a power cut may lose the last
 * batches, but each batch commits atomically with its checkpoint, so what survives is always a
 * consistent prefix that the projector simply continues from.
 */
export const openReadModelDatabase = (file: string): Database.Database => {
  const db = new Database(file, { timeout: 10_000 });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`
    CREATE TABLE IF NOT EXISTS projection_checkpoints (
      name             TEXT    NOT NULL,
      version          INTEGER NOT NULL,
      position_commit  INTEGER,
      position_prepare INTEGER,
      events_applied   INTEGER NOT NULL DEFAULT 0,
      active           INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (name, version)
    );
  `);
  return db;
};

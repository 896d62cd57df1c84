import type Database from 'better-sqlite3';

/**
 * The embedded event store's only table. `position` is an AUTOINCREMENT rowid allocated
 * inside the write transaction: positions are never reused (not even after the newest event
 * is deleted by hand), and because every write holds the database's single write lock, a
 * reader never sees position n+1 before n.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position    INTEGER PRIMARY KEY AUTOINCREMENT,
  id          TEXT    NOT NULL,
  stream      TEXT    NOT NULL,
  revision    INTEGER NOT NULL CHECK (revision >= 0),
  type        TEXT    NOT NULL,
  data        TEXT    NOT NULL,
  metadata    TEXT    NOT NULL,
  recorded_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS events_stream_revision ON events (stream, revision);
CREATE UNIQUE INDEX IF NOT EXISTS events_id ON events (id);
`;

const SCHEMA_VERSION = 1;

export const migrateEventStore = (db: Database.Database): void => {
  const version = Number(db.pragma('user_version', { simple: true }));
  if (version > SCHEMA_VERSION) {
    throw new Error(
      `Event store schema version ${String(version)} is newer than this build (${String(SCHEMA_VERSION)})`,
    );
  }
  db.exec(SCHEMA);
  db.pragma(`user_version = ${String(SCHEMA_VERSION)}`);
};

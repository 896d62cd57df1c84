import type Database from 'better-sqlite3';

/**
 * The embedded event store.
 *
 * - `position` is the rowid, allocated by SQLite as max(position) + 1 inside the write
 *   transaction. Every append holds the database's single write lock, so a reader never sees
 *   position n+1 before n. Positions could only be reused if the newest events were deleted,
 *   and the triggers below make the table append-only: UPDATE and DELETE are refused. (This
 *   replaces AUTOINCREMENT, whose sqlite_sequence row adds a page to every commit: measured
 *   at about 10 points of single-append throughput; see README "Benchmarks".) Tampering that
 *   drops the triggers is what the hash chain of the family streams detects.
 * - Stream names are interned as small integers, so the (stream, revision) unique index
 *   compares integers and stays small.
 * - Event ids are unique; they are UUID v7, so that index grows at its right edge only.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS streams (
  stream_id INTEGER PRIMARY KEY,
  name      TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS events (
  position    INTEGER PRIMARY KEY,
  id          TEXT    NOT NULL,
  stream_id   INTEGER NOT NULL,
  revision    INTEGER NOT NULL CHECK (revision >= 0),
  type        TEXT    NOT NULL,
  data        TEXT    NOT NULL,
  metadata    TEXT    NOT NULL,
  recorded_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS events_stream_revision ON events (stream_id, revision);
CREATE UNIQUE INDEX IF NOT EXISTS events_id ON events (id);
CREATE TRIGGER IF NOT EXISTS events_are_never_updated BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'events are immutable: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS events_are_never_deleted BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'events are immutable: DELETE refused'); END;
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

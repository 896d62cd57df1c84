import Database from 'better-sqlite3';

/**
 * Moves the embedded store's next position past `floor` the only way its append-only table
 * allows: a filler event stored at `floor` (through a second connection, as an operator would).
 */
export const advanceSqlitePositionsBeyond = (file: string, floor: bigint): void => {
  const db = new Database(file);
  const { lastInsertRowid: streamId } = db
    .prepare("INSERT INTO streams (name) VALUES ('$position-filler') ON CONFLICT (name) DO UPDATE SET name = name RETURNING stream_id")
    .run();
  db.prepare(
    `INSERT INTO events (position, id, stream_id, revision, type, data, metadata, recorded_at)
     VALUES (?, ?, ?, (SELECT coalesce(max(revision) + 1, 0) FROM events WHERE stream_id = ?), '$filler', '{}', '{}', 0)`,
  ).run(floor, `filler-${floor.toString()}`, streamId, streamId);
  db.close();
};

import type Database from 'better-sqlite3';
import { DuplicateEventIdError } from '../../../services/event-store/errors.js';
import type { EventToAppend } from '../../../services/event-store/port.js';

/** Rows per INSERT statement: one statement per 100 events costs far less than 100 calls. */
const ROWS_PER_STATEMENT = 100;
const COLUMNS = '(id, stream_id, revision, type, data, metadata, recorded_at)';
const ROW_PLACEHOLDERS = '(?, ?, ?, ?, ?, ?, ?)';

/**
 * Writes the events of one append with multi-row INSERTs. It runs inside the append's write
 * transaction: SQLite numbers the rows max(position) + 1, + 2, ... in order, so the positions
 * of one append are contiguous and the last statement's rowid is the last event's position.
 */
export class EventInserter {
  private readonly statements = new Map<number, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  /** Returns the position of the last event written. */
  insertAll(streamId: bigint, firstRevision: number, events: readonly EventToAppend[], recordedAt: number): bigint {
    let lastPosition = 0n;
    for (let offset = 0; offset < events.length; offset += ROWS_PER_STATEMENT) {
      const chunk = events.slice(offset, offset + ROWS_PER_STATEMENT);
      const parameters = chunk.flatMap((event, index) => [
        event.id,
        streamId,
        firstRevision + offset + index,
        event.type,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata),
        recordedAt,
      ]);
      try {
        lastPosition = BigInt(this.statementFor(chunk.length).run(parameters).lastInsertRowid);
      } catch (error) {
        if (isUniqueIdViolation(error)) throw new DuplicateEventIdError(this.duplicateId(events));
        throw error;
      }
    }
    return lastPosition;
  }

  private statementFor(rows: number): Database.Statement {
    let statement = this.statements.get(rows);
    if (!statement) {
      const values = Array.from({ length: rows }, () => ROW_PLACEHOLDERS).join(', ');
      statement = this.db.prepare(`INSERT INTO events ${COLUMNS} VALUES ${values}`).safeIntegers(true);
      this.statements.set(rows, statement);
    }
    return statement;
  }

  /** Which id broke uniqueness: repeated within the append, or already stored. */
  private duplicateId(events: readonly EventToAppend[]): string {
    const seen = new Set<string>();
    for (const event of events) {
      if (seen.has(event.id)) return event.id;
      seen.add(event.id);
    }
    const stored = this.db.prepare('SELECT 1 FROM events WHERE id = ?').pluck();
    return events.find((event) => stored.get(event.id) !== undefined)?.id ?? 'unknown';
  }
}

const isUniqueIdViolation = (error: unknown): boolean =>
  error instanceof Error &&
  (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' &&
  error.message.includes('events.id');

import Database from 'better-sqlite3';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface ReadModelOpenOptions {
  /**
   * What to do with a file that fails `PRAGMA integrity_check`: refuse it (the default, for
   * tools that may run beside a server), or set it aside and start from an empty file, which
   * every projection then rebuilds from the event store. Only the holder of the data
   * directory's lock may set aside: no other process has the file open for writing then.
   */
  readonly ifDamaged?: 'refuse' | 'set-aside';
  /** Told once a damaged file was set aside (to log it). */
  readonly onSetAside?: (report: { readonly file: string; readonly problem: string; readonly setAsideAs: string }) => void;
}

/** The read-model file failed its integrity check and was not set aside. */
export class DamagedReadModelsError extends Error {
  override readonly name = 'DamagedReadModelsError';
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(
      `The read models ${file} are damaged (SQLite: ${problem.split('\n').find((line) => !line.startsWith('***')) ?? problem}). ` +
        'They are disposable: start the tracker (it sets the damaged file aside and rebuilds them from the event store) ' +
        'or run `tracker projections rebuild` with the server stopped.',
    );
  }
}

/**
 * The read-model database: a separate SQLite file, disposable (delete it and every projection
 * rebuilds from the event store). WAL with synchronous=NORMAL: a power cut may lose the last
 * batches, but each batch commits atomically with its checkpoint, so what survives is always a
 * consistent prefix that the projector simply continues from. Checked with `PRAGMA
 * integrity_check` at open (0.08 s on the read models of 200,881 events, 24 MB).
 */
export const openReadModelDatabase = (file: string, options: ReadModelOpenOptions = {}): Database.Database => {
  const problem = damageOf(file);
  if (problem !== undefined) {
    if (options.ifDamaged !== 'set-aside') throw new DamagedReadModelsError(file, problem);
    const setAsideAs = setAside(file);
    options.onSetAside?.({ file, problem, setAsideAs });
  }
  const db = new Database(file, { timeout: 10_000 });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // Rows deleted or tables dropped (a rebuild, a new version) are zeroed, not left in free pages:
  // what they held (older versions kept personal values in plaintext) leaves the file.
  db.pragma('secure_delete = ON');
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

/**
 * The first problem `PRAGMA integrity_check` finds in an existing file, or undefined (also for
 * no file yet). The same check as the event store's at open (infra/event-store/sqlite/
 * open-database.ts, which projections may not import); a file SQLite cannot even read as a
 * database (SQLITE_NOTADB, SQLITE_CORRUPT*) counts as damaged too.
 */
const damageOf = (file: string): string | undefined => {
  if (!existsSync(file)) return undefined;
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { timeout: 10_000, fileMustExist: true });
    const result = (db.pragma('integrity_check(1)') as Array<{ integrity_check: string }>).map((row) => row.integrity_check).join('\n');
    return result === 'ok' ? undefined : result;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')) return (error as Error).message;
    throw error;
  } finally {
    db?.close();
  }
};

/**
 * Renames the damaged file and its -wal and -shm companions to `<name>.damaged.sqlite` (a copy
 * to investigate, replacing an older one: at most one is kept). A WAL left beside a new file of
 * the old name would be replayed into it, so it always goes with its database.
 */
const setAside = (file: string): string => {
  const target = join(dirname(file), `${basename(file, '.sqlite')}.damaged.sqlite`);
  for (const suffix of ['', '-wal', '-shm']) {
    rmSync(`${target}${suffix}`, { force: true });
    if (existsSync(`${file}${suffix}`)) renameSync(`${file}${suffix}`, `${target}${suffix}`);
  }
  return target;
};

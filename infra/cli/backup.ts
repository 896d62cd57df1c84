import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BackupFile { readonly name: string; readonly bytes: number; readonly integrity: string }

/**
 * A consistent copy of the embedded event store, the read models and the search index while the
 * server runs, with SQLite's online backup API (a file copy of a live WAL database can be torn).
 * The read models and the search index are copied first: their checkpoints can then never be
 * ahead of the copied event store, so a restored tracker replays whatever the copies had not yet
 * seen. Each copy is checked with `PRAGMA integrity_check`. The search index's key is not copied
 * (it lives in the key directory, backed up apart): restored under another key, the index
 * rebuilds.
 */
export const backupDataDir = async (sources: { readonly readModels: string; readonly searchIndex?: string; readonly events?: string }, target: string): Promise<BackupFile[]> => {
  if (existsSync(target) && readdirSync(target).length > 0) throw new Error(`${target} exists and is not empty`);
  mkdirSync(target, { recursive: true });
  const copies: BackupFile[] = [];
  for (const [name, source] of [['read-models.sqlite', sources.readModels], ['search-index.sqlite', sources.searchIndex], ['events.sqlite', sources.events]] as const) {
    if (!source) continue;
    const db = new Database(source, { fileMustExist: true });
    try {
      const destination = join(target, name);
      const progress = await db.backup(destination);
      copies.push({ name, bytes: progress.totalPages * (db.pragma('page_size', { simple: true }) as number), integrity: integrityOf(destination) });
    } finally {
      db.close();
    }
  }
  writeFileSync(join(target, 'manifest.json'), `${JSON.stringify({ createdAt: new Date().toISOString(), files: copies }, null, 2)}\n`);
  return copies;
};

/** Makes the copy one self-contained file (the tracker turns WAL back on when it opens it), then checks it. */
const integrityOf = (file: string): string => {
  const copy = new Database(file, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
    return copy.pragma('integrity_check', { simple: true }) as string;
  } finally {
    copy.close();
  }
};

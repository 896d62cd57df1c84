import type Database from 'better-sqlite3';
import type { EventStore } from '../services/event-store/port.js';
import { physicalTable, type Projection } from './projection.js';
import { Projector } from './projector.js';

/**
 * Rebuilds projections from position 0: their tables and checkpoints are dropped and the
 * projector catches up again. Meant for a stopped server (a running one rebuilds by itself when
 * a projection's version changes). `onProgress` gets the events applied so far.
 */
export const rebuildProjections = async (
  store: EventStore,
  db: Database.Database,
  projections: readonly Projection[],
  onProgress: (applied: number) => void,
): Promise<number> => {
  db.transaction(() => {
    for (const projection of projections) {
      const versions = db.prepare('SELECT version FROM projection_checkpoints WHERE name = ?').all(projection.name) as Array<{ version: number }>;
      for (const base of Object.keys(projection.tables)) {
        db.exec(`DROP VIEW IF EXISTS ${base}`);
        for (const { version } of versions) db.exec(`DROP TABLE IF EXISTS ${physicalTable(base, version)}`);
      }
      db.prepare('DELETE FROM projection_checkpoints WHERE name = ?').run(projection.name);
    }
  }).immediate();
  let applied = 0;
  const projector = new Projector(store, db, projections, (_name, count) => {
    applied += count;
    onProgress(applied);
  });
  await projector.catchUp();
  return applied;
};

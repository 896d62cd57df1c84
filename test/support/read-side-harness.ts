import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { familiesProjection } from '../../projections/families/families-projection.js';
import { organizationsProjection } from '../../projections/organizations/organizations-projection.js';
import type { Projection } from '../../projections/projection.js';
import { Projector } from '../../projections/projector.js';
import { openReadModelDatabase } from '../../projections/read-model-database.js';
import { openFamilyHarness } from './family-harness.js';

/** The write side on a real SQLite file plus a projector into a real read-model file. */
export const openReadSideHarness = (projections: readonly Projection[] = [organizationsProjection, familiesProjection]) => {
  const write = openFamilyHarness();
  let readDb: Database.Database = openReadModelDatabase(join(write.file, '..', 'read-models.sqlite'));
  let projector = new Projector(write.store, readDb, projections);
  return {
    ...write,
    get readDb() {
      return readDb;
    },
    get projector() {
      return projector;
    },
    rows: <T = Record<string, unknown>>(sql: string, ...parameters: unknown[]): T[] => readDb.prepare(sql).all(...parameters) as T[],
    /** Reopens the read side, as a restart would, optionally with other projection versions. */
    reopen: (next: readonly Projection[] = projections, file = 'read-models.sqlite') => {
      readDb.close();
      readDb = openReadModelDatabase(join(write.file, '..', file));
      projector = new Projector(write.store, readDb, next);
    },
    close: async () => {
      await projector.stop();
      readDb.close();
      await write.close();
    },
  };
};

export type ReadSideHarness = ReturnType<typeof openReadSideHarness>;

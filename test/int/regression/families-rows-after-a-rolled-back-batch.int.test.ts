import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../../infra/event-store/sqlite/sqlite-event-store.js';
import { familiesProjection } from '../../../projections/families/families-projection.js';
import { physicalTable } from '../../../projections/projection.js';
import { openReadModelDatabase } from '../../../projections/read-model-database.js';
import type { RecordedEvent } from '../../../services/event-store/port.js';
import { collect } from '../../support/async.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { loadCasePatterns } from '../../bench/case-pattern-load.js';

/**
 * The families projection keeps the decoded state and rows of the families it wrote last, so a
 * later batch neither decodes them again nor rewrites rows that did not change. What it keeps
 * must never be ahead of the rows: a batch that is rolled back (here: the transaction throws
 * after the projection applied it) left the kept families at revisions the rows do not have.
 * Applied again, the batch must give the rows a fresh projection gives, not skip rows it
 * believes written nor fold events twice.
 */
const table = (base: string): string => physicalTable(base, familiesProjection.version);

const openProjection = (file: string) => {
  const db = openReadModelDatabase(file);
  for (const [base, columns] of Object.entries(familiesProjection.tables)) db.exec(`CREATE TABLE ${table(base)} (${columns})`);
  return { db, bound: familiesProjection.bind(db, table) };
};

const everyRow = (db: Database.Database): Record<string, unknown[]> =>
  Object.fromEntries(Object.keys(familiesProjection.tables).map((base) => [base, db.prepare(`SELECT * FROM ${table(base)} ORDER BY 1, 2, 3`).all()]));

let temp: ReturnType<typeof makeTempDir>;
let events: RecordedEvent[];

beforeAll(async () => {
  temp = makeTempDir('tracker-rolled-back-batch-');
  const store = SqliteEventStore.open(join(temp.dir, 'events.sqlite'));
  // Interleaved families shaped like the demo's cases: referrals, transfers, access removed again.
  await loadCasePatterns(store, 3_000, { open: 40 });
  events = await collect(store.readAll());
  await store.close();
}, 120_000);
afterAll(() => temp.remove());

describe('families projection after a rolled-back batch', () => {
  it('gives the rows of a fresh projection when each batch is first rolled back, then applied again', () => {
    const fresh = openProjection(join(temp.dir, 'fresh.sqlite'));
    fresh.db.transaction(() => fresh.bound.applyBatch(events)).immediate();

    const retried = openProjection(join(temp.dir, 'retried.sqlite'));
    const batch = 250;
    for (let start = 0; start < events.length; start += batch) {
      const slice = events.slice(start, start + batch);
      expect(() => retried.db.transaction(() => {
        retried.bound.applyBatch(slice);
        throw new Error('rolled back after the projection applied the batch');
      }).immediate()).toThrow('rolled back');
      retried.db.transaction(() => retried.bound.applyBatch(slice)).immediate();
    }

    expect(everyRow(retried.db)).toEqual(everyRow(fresh.db));
    expect(everyRow(fresh.db)['family_access']!.length).toBeGreaterThan(40);
    fresh.db.close();
    retried.db.close();
  });
});

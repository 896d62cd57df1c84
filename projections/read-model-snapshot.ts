import type Database from 'better-sqlite3';
import type { Projection } from './projection.js';

/**
 * Every row of a projection's read model (through its views), in a stable order, for the crash
 * and rebuild tests to compare. `projections check` does not use it: it compares the tables in
 * SQL (`EXCEPT` both ways, check.ts).
 */
export const readModelSnapshot = (db: Database.Database, projection: Projection): Record<string, unknown[]> =>
  Object.fromEntries(
    Object.keys(projection.tables).map((base) => {
      const columns = (db.prepare(`SELECT name FROM pragma_table_info('${base}')`).all() as Array<{ name: string }>).map((c) => c.name);
      return [base, db.prepare(`SELECT * FROM ${base} ORDER BY ${columns.join(', ')}`).all()];
    }),
  );

/** The first difference between two snapshots, in words; undefined when they are equal. */
export const firstDifference = (live: Record<string, unknown[]>, rebuilt: Record<string, unknown[]>): string | undefined => {
  for (const table of Object.keys(rebuilt)) {
    const a = live[table] ?? [];
    const b = rebuilt[table] ?? [];
    const length = Math.max(a.length, b.length);
    for (let i = 0; i < length; i += 1) {
      if (JSON.stringify(a[i]) !== JSON.stringify(b[i])) {
        return `${table}, row ${String(i + 1)}: live ${JSON.stringify(a[i]) ?? 'missing'} vs rebuilt ${JSON.stringify(b[i]) ?? 'missing'}`;
      }
    }
  }
  return undefined;
};

import type Database from 'better-sqlite3';
import { join } from 'node:path';
import type { EventStore } from '../services/event-store/port.js';
import { physicalTable, type Projection } from './projection.js';
import { Projector } from './projector.js';
import { openReadModelDatabase } from './read-model-database.js';
import { sealReadModelsWith } from './read-model-sealing.js';
import type { ReadModelSealer } from '../services/privacy/read-model-sealer.js';

export type CheckResult =
  | { readonly projection: string; readonly ok: true; readonly rows: number }
  | { readonly projection: string; readonly ok: false; readonly table: string; readonly onlyLive: unknown; readonly onlyRebuilt: unknown }
  | { readonly projection: string; readonly ok: false; readonly behind: { readonly live: string; readonly rebuilt: string } };

/** The projection's checkpoint at its current version in a schema, or 'none'. */
const checkpointOf = (db: Database.Database, projection: Projection, schema: string): string => {
  const row = db.prepare(`SELECT position_commit AS c FROM ${schema}.projection_checkpoints WHERE name = ? AND version = ?`).get(projection.name, projection.version) as { c: number | null } | undefined;
  return String(row?.c ?? 'none');
};

/**
 * Rebuilds the projections into a fresh database in `scratchDir` and compares every table with
 * the live one, row for row (SQL EXCEPT both ways), reporting the first difference. The live
 * checkpoints are compared first: a live projection still catching up is reported as such.
 * With `sealer` (the live read models' one), the rebuild seals personal values as they do: the
 * sealing is deterministic, so equal values are equal bytes.
 */
export const checkProjections = async (store: EventStore, liveFile: string, projections: readonly Projection[], scratchDir: string, sealer?: ReadModelSealer): Promise<CheckResult[]> => {
  const rebuilt = openReadModelDatabase(join(scratchDir, 'check.sqlite'));
  if (sealer) sealReadModelsWith(rebuilt, sealer);
  try {
    const projector = new Projector(store, rebuilt, projections);
    await projector.catchUp();
    rebuilt.prepare('ATTACH DATABASE ? AS live').run(liveFile);
    await alignCheckpoints(rebuilt, projector, projections);
    return projections.map((projection) => compare(rebuilt, projection));
  } finally {
    rebuilt.close();
  }
};

const ALIGN_ATTEMPTS = 50;
const ALIGN_PAUSE_MS = 100;

/**
 * With the server running, new events may arrive while the check runs: the rebuild catches up
 * again when the live read models are ahead, and waits for them when they are behind.
 */
const alignCheckpoints = async (db: Database.Database, projector: Projector, projections: readonly Projection[]): Promise<void> => {
  for (let attempt = 0; attempt < ALIGN_ATTEMPTS; attempt += 1) {
    const apart = projections.filter((projection) => checkpointOf(db, projection, 'live') !== checkpointOf(db, projection, 'main'));
    if (apart.length === 0) return;
    const liveAhead = apart.some((projection) => Number(checkpointOf(db, projection, 'live')) > Number(checkpointOf(db, projection, 'main')));
    if (liveAhead) await projector.catchUp();
    else await new Promise((resolve) => setTimeout(resolve, ALIGN_PAUSE_MS));
  }
};

const compare = (db: Database.Database, projection: Projection): CheckResult => {
  const liveCheckpoint = checkpointOf(db, projection, 'live');
  const rebuiltCheckpoint = checkpointOf(db, projection, 'main');
  if (liveCheckpoint !== rebuiltCheckpoint) return { projection: projection.name, ok: false, behind: { live: liveCheckpoint, rebuilt: rebuiltCheckpoint } };
  let rows = 0;
  for (const base of Object.keys(projection.tables)) {
    const table = physicalTable(base, projection.version);
    const onlyLive = db.prepare(`SELECT * FROM live.${table} EXCEPT SELECT * FROM main.${table} LIMIT 1`).get();
    const onlyRebuilt = db.prepare(`SELECT * FROM main.${table} EXCEPT SELECT * FROM live.${table} LIMIT 1`).get();
    if (onlyLive !== undefined || onlyRebuilt !== undefined) return { projection: projection.name, ok: false, table: base, onlyLive: onlyLive ?? null, onlyRebuilt: onlyRebuilt ?? null };
    rows += (db.prepare(`SELECT count(*) AS n FROM main.${table}`).get() as { n: number }).n;
  }
  return { projection: projection.name, ok: true, rows };
};


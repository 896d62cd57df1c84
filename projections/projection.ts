import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../services/event-store/port.js';

/**
 * A projection: a deterministic fold from events to read-model rows. The projector (one
 * implementation, shared) reads events in batches and runs `applyBatch` and the checkpoint
 * update in one transaction, so a crash neither loses nor double-applies an event.
 *
 * Tables are versioned: `tables` gives base names and their column definitions; the physical
 * tables are `<base>__v<version>` and queries read views named `<base>`. A new version is
 * built into fresh tables from position 0 while the old one serves, then the views switch.
 */
export interface Projection {
  readonly name: string;
  readonly version: number;
  readonly tables: Readonly<Record<string, string>>;
  /** CREATE INDEX statements; `{table}` placeholders are replaced by physical table names. */
  readonly indexes: readonly string[];
  /** Prepares what the projection needs against the given physical table names. */
  bind(db: Database.Database, table: (base: string) => string): BoundProjection;
}

export interface BoundProjection {
  /** Applies a batch of events in order. Throwing rolls the whole batch back and stalls the projection. */
  applyBatch(events: readonly RecordedEvent[]): void;
  /**
   * Forget anything kept in memory from earlier batches: the last batch was rolled back, or the
   * projection's rows were emptied. Projections that keep nothing between batches omit it.
   */
  discard?(): void;
}

export const physicalTable = (base: string, version: number): string => `${base}__v${String(version)}`;

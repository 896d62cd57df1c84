import type Database from 'better-sqlite3';
import { comparePositions, type Position } from '../../services/event-store/position.js';
import type { EventStore } from '../../services/event-store/port.js';
import type { Projection } from '../../projections/projection.js';

/**
 * The CLI's fail-closed guard over the read models, the counterpart of the server's
 * (infra/http/read-model-guard.ts). The CLI runs no projector, so it cannot know of a stall in a
 * server's memory; what it can know is what a stall leaves: a projection whose active version is
 * not the one this code builds, or whose checkpoint has not reached the store's head. Such read
 * models are not answered from, as if current: the command waits (a running server catches up
 * in moments) until `waitMs` has passed, then refuses naming the projection.
 *
 * Limit: a store written past the checkpoint after the last check (a server running beside the
 * command) is not waited for; the answer is as current as the store was when the command began.
 */
export class ReadModelsNotCurrent extends Error {}

interface Checkpoint { readonly version: bigint; readonly position_commit: bigint | null; readonly position_prepare: bigint | null }

const WAKE_MS = 50;

const lagging = (db: Database.Database, projections: readonly Projection[], head: Position | undefined): string | undefined => {
  const read = db.prepare('SELECT version, position_commit, position_prepare FROM projection_checkpoints WHERE name = ? AND active = 1').safeIntegers(true);
  for (const projection of projections) {
    let checkpoint: Checkpoint | undefined;
    try {
      checkpoint = read.get(projection.name) as Checkpoint | undefined;
    } catch {
      return projection.name;
    }
    if (!checkpoint || Number(checkpoint.version) !== projection.version) return projection.name;
    if (head === undefined) continue;
    if (checkpoint.position_commit === null || checkpoint.position_prepare === null) return projection.name;
    if (comparePositions({ commit: checkpoint.position_commit, prepare: checkpoint.position_prepare }, head) < 0) return projection.name;
  }
  return undefined;
};

/** Resolves once every named projection is current with the store's head as it is now; else throws ReadModelsNotCurrent. */
export const requireCurrentReadModels = async (
  store: Pick<EventStore, 'headPosition'>, db: Database.Database, projections: readonly Projection[], waitMs = 5_000,
): Promise<void> => {
  const head = await store.headPosition();
  const deadline = Date.now() + waitMs;
  for (;;) {
    const behind = lagging(db, projections, head);
    if (behind === undefined) return;
    if (Date.now() >= deadline) {
      throw new ReadModelsNotCurrent(
        `the ${behind} read model is not current with the event store (stalled, rebuilding or behind): start the server and wait until /readyz is ready, or run \`tracker projections rebuild\``,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, WAKE_MS));
  }
};

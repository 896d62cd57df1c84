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
 * Only events in the streams a projection reads count (`streamPrefix`): the access log a running
 * server appends (for this very export, say) does not make the families stale. At most
 * `LOOK_AHEAD` events past a checkpoint are read; more than that counts as behind.
 *
 * Limit: a store written past the checkpoint after the last check (a server running beside the
 * command) is not waited for; the answer is as current as the store was when the command began.
 */
export class ReadModelsNotCurrent extends Error {}

/** A projection the guard checks, and the stream-name prefix of the events it reads. */
export interface GuardedProjection {
  readonly projection: Projection;
  readonly streamPrefix: string;
}

const LOOK_AHEAD = 1_000;

interface Checkpoint { readonly version: bigint; readonly position_commit: bigint | null; readonly position_prepare: bigint | null }

const WAKE_MS = 50;

/** Any event after `after`, up to `head`, in a stream with that prefix (or more than LOOK_AHEAD events to look through)? */
const unappliedEvents = async (store: Pick<EventStore, 'readAll'>, after: Position, head: Position, streamPrefix: string): Promise<boolean> => {
  let seen = 0;
  for await (const event of store.readAll({ after, maxCount: LOOK_AHEAD + 1 })) {
    if (comparePositions(event.position, head) > 0) return false;
    if (event.stream.startsWith(streamPrefix) || (seen += 1) > LOOK_AHEAD) return true;
  }
  return false;
};

const lagging = async (store: Pick<EventStore, 'readAll'>, db: Database.Database, guarded: readonly GuardedProjection[], head: Position | undefined): Promise<string | undefined> => {
  const read = db.prepare('SELECT version, position_commit, position_prepare FROM projection_checkpoints WHERE name = ? AND active = 1').safeIntegers(true);
  for (const { projection, streamPrefix } of guarded) {
    let checkpoint: Checkpoint | undefined;
    try {
      checkpoint = read.get(projection.name) as Checkpoint | undefined;
    } catch {
      return projection.name;
    }
    if (!checkpoint || Number(checkpoint.version) !== projection.version) return projection.name;
    if (head === undefined) continue;
    if (checkpoint.position_commit === null || checkpoint.position_prepare === null) return projection.name;
    const at = { commit: checkpoint.position_commit, prepare: checkpoint.position_prepare };
    if (comparePositions(at, head) < 0 && (await unappliedEvents(store, at, head, streamPrefix))) return projection.name;
  }
  return undefined;
};

/** Resolves once every named projection is current with the store's head as it is now; else throws ReadModelsNotCurrent. */
export const requireCurrentReadModels = async (
  store: Pick<EventStore, 'headPosition' | 'readAll'>, db: Database.Database, projections: readonly GuardedProjection[], waitMs = 5_000,
): Promise<void> => {
  const head = await store.headPosition();
  const deadline = Date.now() + waitMs;
  for (;;) {
    const behind = await lagging(store, db, projections, head);
    if (behind === undefined) return;
    if (Date.now() >= deadline) {
      throw new ReadModelsNotCurrent(
        `the ${behind} read model is not current with the event store (stalled, rebuilding or behind): start the server and wait until /readyz is ready, or run \`tracker projections rebuild\``,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, WAKE_MS));
  }
};

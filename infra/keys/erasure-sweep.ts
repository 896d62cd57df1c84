import type Database from 'better-sqlite3';
import { erasedSubjects, erasuresProjection } from '../../projections/erasures/erasures-projection.js';
import type { Projector } from '../../projections/projector.js';
import type { KeyStore } from '../../services/privacy/key-store.js';
import { destroySurvivingKeys } from '../../services/privacy/erasure.js';
import type { Logger } from '../logger.js';

/** How long the sweep waits for the erasures projection to move before it looks again. */
const WAIT_MS = 5_000;

/**
 * The safety net of erasure: the writer destroys a subject's key right after appending
 * SubjectErased, but a crash in between would leave the key alive. This follows the erasures
 * projection (projections/erasures/): once it has passed the store's head at start, and after
 * every batch it applies, every erased subject whose key survived loses it. Each subject is
 * checked once per process; a rebuilt read model only repeats idempotent work. Limit: until the
 * projection has caught up after a start, a key that survived a crash still opens the history
 * (the read models already show the tombstone, and so do history and timeline: disclose.ts).
 */
export const startErasureSweep = (
  projector: Projector,
  readDb: Database.Database,
  keys: Pick<KeyStore, 'destroy' | 'keysForOpening'>,
  logger: Logger,
  /** Told once per batch of newly seen erasures: forget what memory holds of the people (another replica's erasure). */
  onErased: () => void = () => undefined,
) => {
  const checked = new Set<string>();
  let stopped = false;
  let wake: () => void = () => undefined;
  const stopping = new Promise<void>((resolve) => (wake = resolve));
  const sweep = async (): Promise<void> => {
    const fresh = erasedSubjects(readDb).filter((subjectId) => !checked.has(subjectId));
    if (fresh.length === 0) return;
    const destroyed = await destroySurvivingKeys(keys, fresh);
    for (const subjectId of fresh) checked.add(subjectId);
    onErased();
    if (destroyed > 0) logger.warn({ destroyed }, 'erasure: destroyed the data keys of erased subjects that survived an interrupted erasure');
  };
  const loop = (async () => {
    while (!stopped) {
      try {
        if (projector.notServing([erasuresProjection.name]).length === 0) await sweep();
      } catch (error) {
        logger.error({ err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, 'erasure sweep failed; it tries again');
      }
      await Promise.race([projector.waitForProgress(WAIT_MS, erasuresProjection.name), stopping]);
    }
  })();
  return {
    /** Sweeps now (for a caller that must know it has run, e.g. a test), then goes on following. */
    sweepNow: sweep,
    stop: async (): Promise<void> => {
      stopped = true;
      wake();
      await loop;
    },
  };
};

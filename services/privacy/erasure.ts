import { forgetFoldedStates, type StreamStore } from '../command-handler.js';
import { DataKeyMissingError, type KeyStore } from './key-store.js';

/**
 * The effects of an erasure once its SubjectErased event stands in the store: the subject's
 * data key is destroyed (from then on every `personal` part sealed for them opens as erased),
 * and the command handler forgets the states it folded from this store (they were folded from
 * plaintext). Idempotent: destroying a destroyed key changes nothing, so a retry, a replayed
 * command or the sweep at start may run it again.
 */
export const completeErasure = async (keys: Pick<KeyStore, 'destroy'>, store: StreamStore, subjectId: string): Promise<void> => {
  await keys.destroy(subjectId);
  forgetFoldedStates(store);
};

/**
 * Destroys the key of every subject in `erased` whose key is still alive (a crash between the
 * append of SubjectErased and the destruction); returns how many it destroyed. A subject the
 * key store never held gets a tombstone too, so nothing is ever sealed under it.
 */
export const destroySurvivingKeys = async (keys: Pick<KeyStore, 'destroy' | 'keysForOpening'>, erased: readonly string[]): Promise<number> => {
  let destroyed = 0;
  for (const subjectId of erased) {
    let alive = true;
    try {
      alive = (await keys.keysForOpening([subjectId])).get(subjectId) !== 'erased';
    } catch (error) {
      if (!(error instanceof DataKeyMissingError)) throw error;
    }
    if (!alive) continue;
    await keys.destroy(subjectId);
    destroyed += 1;
  }
  return destroyed;
};

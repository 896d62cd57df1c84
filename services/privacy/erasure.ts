import { forgetFoldedStates, type StreamStore } from '../command-handler.js';
import { keyIdsOfSubject } from './data-key-id.js';
import { DataKeyMissingError, type KeyStore } from './key-store.js';

/**
 * The effects of an erasure once its SubjectErased event stands in the store: the subject's
 * data key is destroyed (from then on every `personal` part sealed for them opens as erased),
 * and the command handler forgets the states it folded from this store (they were folded from
 * plaintext). Idempotent: destroying a destroyed key changes nothing, so a retry, a replayed
 * command or the sweep at start may run it again.
 */
export const completeErasure = async (keys: Pick<KeyStore, 'destroy'>, store: StreamStore, subjectId: string): Promise<void> => {
  await destroyKeysOf(keys, subjectId);
  forgetFoldedStates(store);
};

/** Destroys the subject's key and the copy its envelopes sealed before keys were qualified open with (data-key-id.ts). */
const destroyKeysOf = async (keys: Pick<KeyStore, 'destroy'>, keyId: string): Promise<void> => {
  for (const id of keyIdsOfSubject(keyId)) await keys.destroy(id);
};

/**
 * Destroys every key of every subject in `erased` that is still alive (a crash between the
 * append of SubjectErased and the destruction): the subject's key and its copy for older
 * envelopes (data-key-id.ts); returns how many subjects had one. A key the key store never held
 * gets a tombstone too, so nothing is ever sealed under it.
 */
export const destroySurvivingKeys = async (keys: Pick<KeyStore, 'destroy' | 'keysForOpening'>, erased: readonly string[]): Promise<number> => {
  let destroyed = 0;
  for (const subjectId of erased) {
    const surviving: string[] = [];
    for (const keyId of keyIdsOfSubject(subjectId)) if (await isAlive(keys, keyId)) surviving.push(keyId);
    for (const keyId of surviving) await keys.destroy(keyId);
    if (surviving.length > 0) destroyed += 1;
  }
  return destroyed;
};

/** Not destroyed: a key, or no entry at all (which gets a tombstone). */
const isAlive = async (keys: Pick<KeyStore, 'keysForOpening'>, keyId: string): Promise<boolean> => {
  try {
    return (await keys.keysForOpening([keyId])).get(keyId) !== 'erased';
  } catch (error) {
    if (error instanceof DataKeyMissingError) return true;
    throw error;
  }
};

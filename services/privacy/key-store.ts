/**
 * The key-store port: one 256-bit data key per data subject (a person, or a webhook for its
 * signing secret), kept apart from the event store and the read models, wrapped by a master key.
 * Destroying a subject's key is how that subject is erased: the events stay, their sealed
 * personal data can no longer be opened.
 */
export type DataKey = Buffer;

/** What opening finds for a subject: its key, or `erased` once the key was destroyed. */
export type DataKeyForOpening = DataKey | 'erased';

export interface KeyStore {
  /**
   * The subjects' data keys, creating the ones that do not exist yet; a created key is durable
   * before this resolves (so an event sealed with it is never acknowledged without its key).
   * Throws `SubjectErasedError` when one of them was erased: nothing new is sealed for them.
   */
  keysForSealing(subjectIds: readonly string[]): Promise<ReadonlyMap<string, DataKey>>;
  /**
   * The subjects' data keys or `erased`. Throws `DataKeyMissingError` for a subject that never
   * had a key here: sealed data without its key means the wrong key store, never an erasure.
   */
  keysForOpening(subjectIds: readonly string[]): Promise<ReadonlyMap<string, DataKeyForOpening>>;
  /** Destroys the subject's key for good (idempotent); the subject opens as erased from then on. */
  destroy(subjectId: string): Promise<void>;
  close(): Promise<void>;
}

/** Sealing refused: the subject's key was destroyed (the person was erased). */
export class SubjectErasedError extends Error {
  override readonly name = 'SubjectErasedError';
  constructor(readonly subjectId: string) {
    super('the data subject was erased: nothing new can be recorded under it');
  }
}

/** Sealed data names a subject the key store has never held a key for. */
export class DataKeyMissingError extends Error {
  override readonly name = 'DataKeyMissingError';
  constructor(readonly subjectId: string) {
    super(`the key store holds no data key for subject ${subjectId} (is TRACKER_KEY_DIR the key store of this event store?)`);
  }
}

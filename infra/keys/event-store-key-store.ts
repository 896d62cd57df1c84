import { randomBytes } from 'node:crypto';
import { StreamDeletedError, StreamNotFoundError, WrongExpectedRevisionError } from '../../services/event-store/errors.js';
import type { EventStore, JsonObject, RecordedEvent } from '../../services/event-store/port.js';
import { DataKeyMissingError, SubjectErasedError, type DataKey, type DataKeyForOpening, type KeyStore } from '../../services/privacy/key-store.js';
import { holdsSealedData } from '../../services/privacy/personal-data-cipher.js';
import { newEventId } from '../event-store/event-id.js';
import { CHECK_CONTEXT, dataKeyContext, KeyStoreLockedError, unwrap, wrap } from './sqlite-key-store.js';

/** Every stream of the key store starts with this; no projection, chain or export reads them. */
export const KEY_STREAM_PREFIX = 'tracker-keys-';
/** The check value: tells at open whether the master key is the one this key store was made with. */
export const KEY_CHECK_STREAM = `${KEY_STREAM_PREFIX}check`;
/** One stream per data subject ("subject-" keeps subject ids apart from the check stream's name). */
export const keyStreamOf = (subjectId: string): string => `${KEY_STREAM_PREFIX}subject-${subjectId}`;

const KEY_STORE_CREATED = 'KeyStoreCreated';
const DATA_KEY_CREATED = 'DataKeyCreated';
const FORMAT = 1;
/** How long a replica trusts an unwrapped key it read before it reads the stream again. */
export const DEFAULT_KEY_CACHE_TTL_MS = 5_000;
/** Unwrapped data keys kept in memory (32 bytes each); the oldest go first beyond this. */
const CACHE_LIMIT = 100_000;

type KeyEvents = Pick<EventStore, 'appendToStream' | 'readStream' | 'deleteStream' | 'readAll'>;

/** The event store holds sealed data, but no key store of its own: its keys are elsewhere. */
export class EventStoreHasNoKeyStoreError extends Error {
  override readonly name = 'EventStoreHasNoKeyStoreError';
  constructor() {
    super(
      `The event store holds encrypted personal data, but no key store of its own (stream ${KEY_CHECK_STREAM}): ` +
        'its data keys are in an embedded key store (TRACKER_KEY_DIR). The tracker will not start with TRACKER_KEY_STORE=event-store ' +
        '(anything recorded now would be sealed with keys the other key store lacks): set TRACKER_KEY_STORE=embedded.',
    );
  }
}

/**
 * The key store in the event store itself (EventStoreDB with several replicas; ARCHITECTURE.md
 * "Encryption at rest"). Guarantees:
 * - One stream per subject (`tracker-keys-subject-<id>`) whose event is the data key wrapped by
 *   the master key (AES-256-GCM, the subject id as associated data, as in the embedded store).
 *   It is created with `no_stream`: of replicas racing to create a subject's key, one append
 *   wins and every loser reads and uses the winner's key. A key is acknowledged by the store
 *   (durable) before any event sealed with it is appended.
 * - Destroying a key tombstones its stream: from then on it reads as deleted, here and on every
 *   replica, and no append can ever create it again. Limit: the wrapped key stays in the log
 *   (and in `$all`) until the cluster's next scavenge, and in backups of EventStoreDB taken
 *   before it; with the master key it can be unwrapped from those: scavenge after erasures and
 *   keep such backups no longer than the erasure promise allows.
 * - A master key that does not open the check value (`tracker-keys-check`, written once, first
 *   start wins as above) is refused: `KeyStoreLockedError` from `open()` and from every call.
 * - Each replica caches unwrapped keys; a key destroyed on this replica is erased here at once,
 *   one destroyed on another replica is learnt at the next read of its stream, at most
 *   `cacheTtlMs` (5 s) after this replica last read it. Within that window this replica may still
 *   open (and seal) that subject's data. An erasure, once read, is cached for good.
 */
export class EventStoreKeyStore implements KeyStore {
  private readonly cache = new Map<string, { readonly key: DataKeyForOpening; readonly readAt: number }>();
  private readonly reading = new Map<string, Promise<DataKeyForOpening | undefined>>();
  private opening: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly events: KeyEvents,
    private readonly masterKey: Buffer,
    private readonly options: { readonly cacheTtlMs?: number; readonly now?: () => number } = {},
  ) {}

  /**
   * Checks the master key against the check value, creating it on the first start of the
   * deployment; then (and only then) it refuses an event store that already holds sealed data
   * (`EventStoreHasNoKeyStoreError`: its keys are in an embedded key store). Runs once; every
   * other method waits for it. A refusal stands for good; any other failure (the store
   * unavailable) is tried again by the next call.
   */
  open(): Promise<void> {
    this.opening ??= this.checkMasterKey().catch((error: unknown) => {
      if (!(error instanceof KeyStoreLockedError || error instanceof EventStoreHasNoKeyStoreError)) this.opening = undefined;
      throw error;
    });
    return this.opening;
  }

  async keysForSealing(subjectIds: readonly string[]): Promise<ReadonlyMap<string, DataKey>> {
    await this.ready();
    const entries = await Promise.all(
      subjectIds.map(async (subjectId): Promise<[string, DataKey]> => {
        const key = (await this.keyOf(subjectId)) ?? (await this.create(subjectId));
        if (key === 'erased') throw new SubjectErasedError(subjectId);
        return [subjectId, key];
      }),
    );
    return new Map(entries);
  }

  async keysForOpening(subjectIds: readonly string[]): Promise<ReadonlyMap<string, DataKeyForOpening>> {
    await this.ready();
    const entries = await Promise.all(
      subjectIds.map(async (subjectId): Promise<[string, DataKeyForOpening]> => {
        const key = await this.keyOf(subjectId);
        if (key === undefined) throw new DataKeyMissingError(subjectId);
        return [subjectId, key];
      }),
    );
    return new Map(entries);
  }

  /** Tombstones the subject's stream (also when it never had a key, so none can be made later); idempotent. */
  async destroy(subjectId: string): Promise<void> {
    await this.ready();
    try {
      await this.events.deleteStream(keyStreamOf(subjectId), { expectedRevision: 'any' });
    } catch (error) {
      if (!(error instanceof StreamDeletedError)) throw error;
    }
    this.remember(subjectId, 'erased');
  }

  /** Forgets the cached keys; the event store is the caller's to close. */
  close(): Promise<void> {
    this.closed = true;
    this.cache.clear();
    return Promise.resolve();
  }

  private async ready(): Promise<void> {
    if (this.closed) throw new Error('the key store is closed');
    await this.open();
  }

  private async checkMasterKey(): Promise<void> {
    let check: Pick<RecordedEvent, 'data'> | 'deleted' | undefined = await this.lastEventOf(KEY_CHECK_STREAM);
    if (check === 'deleted') throw new KeyStoreLockedError(`${KEY_CHECK_STREAM} (deleted) in the event store`);
    if (check === undefined) {
      for await (const event of this.events.readAll()) if (holdsSealedData(event.data)) throw new EventStoreHasNoKeyStoreError();
      const created = { format: FORMAT, checkValue: wrap(this.masterKey, CHECK_CONTEXT, randomBytes(32)).toString('base64') };
      check = await this.createOnce(KEY_CHECK_STREAM, KEY_STORE_CREATED, created);
      if (check === 'deleted') throw new KeyStoreLockedError(`${KEY_CHECK_STREAM} (deleted) in the event store`);
    }
    const value = check.data['checkValue'];
    if (typeof value !== 'string' || unwrap(this.masterKey, CHECK_CONTEXT, Buffer.from(value, 'base64')) === undefined) {
      throw new KeyStoreLockedError(`${KEY_CHECK_STREAM} in the event store`);
    }
  }

  /** The subject's key, `erased`, or undefined when it has none: from the cache while fresh, else its stream (one read per subject at a time). */
  private keyOf(subjectId: string): Promise<DataKeyForOpening | undefined> {
    const cached = this.cache.get(subjectId);
    if (cached !== undefined && (cached.key === 'erased' || this.now() - cached.readAt < this.ttl())) return Promise.resolve(cached.key);
    const pending = this.reading.get(subjectId);
    if (pending) return pending;
    const read = this.readKey(subjectId).finally(() => this.reading.delete(subjectId));
    this.reading.set(subjectId, read);
    return read;
  }

  private async readKey(subjectId: string): Promise<DataKeyForOpening | undefined> {
    const event = await this.lastEventOf(keyStreamOf(subjectId));
    if (event === undefined) return undefined;
    const key = event === 'deleted' ? 'erased' : this.unwrapped(subjectId, event);
    this.remember(subjectId, key);
    return key;
  }

  /** A new key for the subject, or the key (or erasure) of whoever created or deleted its stream first. */
  private async create(subjectId: string): Promise<DataKeyForOpening> {
    const wrapped = wrap(this.masterKey, dataKeyContext(subjectId), randomBytes(32)).toString('base64');
    const event = await this.createOnce(keyStreamOf(subjectId), DATA_KEY_CREATED, { format: FORMAT, subjectId, wrapped });
    const key = event === 'deleted' ? 'erased' : this.unwrapped(subjectId, event);
    this.remember(subjectId, key);
    return key;
  }

  /** Appends the stream's first event with `no_stream`; when another writer won, its event (or `deleted`). */
  private async createOnce(stream: string, type: string, data: JsonObject): Promise<Pick<RecordedEvent, 'data'> | 'deleted'> {
    try {
      await this.events.appendToStream(stream, [{ id: newEventId(), type, data, metadata: { schemaVersion: 1 } }], { expectedRevision: 'no_stream' });
      return { data };
    } catch (error) {
      if (error instanceof StreamDeletedError) return 'deleted';
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
    }
    const winner = await this.lastEventOf(stream);
    if (winner === undefined) throw new Error(`${stream} was refused as existing but reads as missing`);
    return winner;
  }

  /** The stream's newest event (a later re-wrap would append one), `deleted`, or undefined when it does not exist. */
  private async lastEventOf(stream: string): Promise<RecordedEvent | 'deleted' | undefined> {
    try {
      for await (const event of this.events.readStream(stream, { direction: 'backwards', maxCount: 1 })) return event;
      return undefined;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return undefined;
      if (error instanceof StreamDeletedError) return 'deleted';
      throw error;
    }
  }

  private unwrapped(subjectId: string, event: Pick<RecordedEvent, 'data'>): DataKey {
    const wrapped = event.data['wrapped'];
    const key = typeof wrapped === 'string' ? unwrap(this.masterKey, dataKeyContext(subjectId), Buffer.from(wrapped, 'base64')) : undefined;
    if (key === undefined) throw new Error(`the wrapped data key of subject ${subjectId} does not unwrap with the master key (the key store was altered)`);
    return key;
  }

  private remember(subjectId: string, key: DataKeyForOpening): void {
    this.cache.delete(subjectId);
    if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(subjectId, { key, readAt: this.now() });
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private ttl(): number {
    return this.options.cacheTtlMs ?? DEFAULT_KEY_CACHE_TTL_MS;
  }
}

import { randomBytes } from 'node:crypto';
import { StreamDeletedError, StreamNotFoundError, WrongExpectedRevisionError } from '../../services/event-store/errors.js';
import type { EventStore, JsonObject, RecordedEvent } from '../../services/event-store/port.js';
import type { Position } from '../../services/event-store/position.js';
import { DataKeyMissingError, SubjectErasedError, type DataKey, type DataKeyForOpening, type KeyStore } from '../../services/privacy/key-store.js';
import type { ReadModelKeys } from '../../services/privacy/read-model-sealer.js';
import { holdsSealedData } from '../../services/privacy/personal-data-cipher.js';
import { Signal } from '../../services/shared/signal.js';
import { newEventId } from '../event-store/event-id.js';
import { CHECK_CONTEXT, dataKeyContext, KeyStoreLockedError, unwrap, wrap } from './sqlite-key-store.js';

/** Every stream of the key store starts with this; no projection, chain or export reads them. */
export const KEY_STREAM_PREFIX = 'tracker-keys-';
/** The check value: tells at open whether the master key is the one this key store is wrapped with now (its last event). */
export const KEY_CHECK_STREAM = `${KEY_STREAM_PREFIX}check`;
/** Which subjects were keyed and which destroyed, in order (ids only, no key material): what a replica loads at start. */
export const KEY_LOG_STREAM = `${KEY_STREAM_PREFIX}log`;
/** One stream per data subject ("subject-" keeps subject ids apart from the check and log streams' names). */
export const keyStreamOf = (subjectId: string): string => `${KEY_STREAM_PREFIX}subject-${subjectId}`;

const KEY_STORE_CREATED = 'KeyStoreCreated';
const MASTER_KEY_ROTATED = 'MasterKeyRotated';
const DATA_KEY_CREATED = 'DataKeyCreated';
const DATA_KEY_REWRAPPED = 'DataKeyRewrapped';
const SUBJECT_KEYED = 'SubjectKeyed';
const SUBJECT_KEY_DESTROYED = 'SubjectKeyDestroyed';
/** The log names every key made since this event: a store without it was written before the log (upgradeKeyLog). */
const KEY_LOG_STARTED = 'KeyLogStarted';
const FORMAT = 1;
/** Key streams read at once while loading (start) and rotating. */
const READ_CONCURRENCY = 32;
/** How long the live subscription waits before it is opened again after a failure. */
const RESUBSCRIBE_MS = 1_000;
/** The longest wait between two attempts to follow the key streams again (doubling from RESUBSCRIBE_MS). */
const MAX_RESUBSCRIBE_MS = 30_000;

type KeyEvents = Pick<EventStore, 'appendToStream' | 'readStream' | 'deleteStream' | 'readAll' | 'headPosition' | 'subscribeToAll'>;

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

/** The master key was rotated by `tracker rotate-master-key`: this replica's key no longer wraps new data keys. */
export class MasterKeyRotatedError extends Error {
  override readonly name = 'MasterKeyRotatedError';
  constructor() {
    super('the master key was rotated (tracker rotate-master-key): this replica still runs with the previous one and records no new person; restart it with the new master key');
  }
}

/** A data key wrapped under another master key than this replica's (a rotation not finished, see README "Running on EventStoreDB"). */
export class DataKeyWrappedElsewhereError extends Error {
  override readonly name = 'DataKeyWrappedElsewhereError';
  constructor(readonly subjectId: string) {
    super(`the data key of subject ${subjectId} does not unwrap with this master key (created under the previous one during a rotation?): run tracker rotate-master-key again with the previous and the new key`);
  }
}

/** The read models asked for a key that is not in memory (the projector prepares a batch's keys first: a person without any sealed event). */
export class KeyLogIncompleteError extends Error {
  override readonly name = 'KeyLogIncompleteError';
  constructor() {
    super(`the key log (${KEY_LOG_STREAM}) does not yet name every key of this store (written before the log existed): start a replica of this version once, which completes it, then rotate`);
  }
}

export class DataKeyNotInMemoryError extends Error {
  override readonly name = 'DataKeyNotInMemoryError';
  constructor(readonly subjectId: string) {
    super(`the data key of subject ${subjectId} is not in this replica's memory: nothing is sealed in the read models without it`);
  }
}

/** What a replica is told about changes made elsewhere (the composition root logs them and forgets what memory holds). */
export interface KeyStoreListener {
  /** A subject's key was destroyed (here or on another replica): forget anything memory holds of that person. */
  readonly erased?: (subjectId: string) => void;
  /** The master key was rotated away from this replica's: it records no new person until restarted with the new one. */
  readonly rotatedAway?: () => void;
  /** The live subscription to the key streams failed (it is opened again); until then keys are read from their streams. */
  readonly followFailed?: (error: Error) => void;
}

/**
 * The key store in the event store itself (EventStoreDB with several replicas; ARCHITECTURE.md
 * "Encryption at rest"). Guarantees:
 * - One stream per subject (`tracker-keys-subject-<id>`) whose last event is the data key
 *   wrapped by the master key (AES-256-GCM, the subject id as associated data, as in the embedded
 *   store): `DataKeyCreated`, then a `DataKeyRewrapped` per rotation. It is created with
 *   `no_stream`: of replicas racing to create a subject's key, one append wins and every loser
 *   reads and uses the winner's key. Before that, the subject is named in the log stream
 *   (`tracker-keys-log`, ids only), so every key that exists is in the log. A key is
 *   acknowledged by the store (durable) before any event sealed with it is appended.
 * - Every replica holds every unwrapped key in memory: loaded at open (the log, then each
 *   listed subject's stream) and kept current by a live `$all` subscription (new keys, re-wraps,
 *   destructions, rotations). So the read models' synchronous view (ReadModelKeys) is memory
 *   only, and the async calls read a stream only for a subject not in memory (just created on
 *   another replica) or while the subscription is down. Memory: about 0.9 KB per key
 *   (test/bench/event-store-key-load.bench.ts; README "Running on EventStoreDB").
 * - Destroying a key tombstones its stream (no append can ever create it again), then appends
 *   `SubjectKeyDestroyed` to the log: every replica's subscription sees it and holds the subject
 *   as `erased` from then on (within the subscription's delay, milliseconds when healthy).
 *   A crash between the two leaves the stream deleted and the log silent: the erasure sweep
 *   (erasure-sweep.ts) destroys again at its next pass, which appends the log entry. Limit: the
 *   wrapped key stays in EventStoreDB's log and `$all` until the next scavenge, and in backups
 *   taken before; with the master key those still open the person.
 * - A master key that does not open the check value (`tracker-keys-check`, its last event) is
 *   refused: `KeyStoreLockedError` from `open()` and from every call.
 * - Rotation (`rotateEventStoreMasterKey`) appends `MasterKeyRotated` to the check stream; a
 *   replica still running with the previous key sees it and refuses to create keys from then
 *   (MasterKeyRotatedError) while it goes on opening the keys it holds, until restarted.
 */
export class EventStoreKeyStore implements KeyStore, ReadModelKeys {
  private readonly keys = new Map<string, DataKeyForOpening>();
  /** Subjects whose stream holds a key this master key does not unwrap (a rotation not finished). */
  private readonly wrappedElsewhere = new Set<string>();
  private readonly reading = new Map<string, Promise<DataKeyForOpening | undefined>>();
  private readonly listeners: KeyStoreListener[] = [];
  private readonly closing = new Signal();
  private opening: Promise<void> | undefined;
  private following: Promise<void> | undefined;
  private subscription: { stop(): Promise<void> } | undefined;
  /** The subscription has caught up and runs: memory is current. */
  private live = false;
  private rotatedAway = false;
  private closed = false;

  constructor(
    private readonly events: KeyEvents,
    private readonly masterKey: Buffer,
  ) {}

  /** Tells `listener` of erasures and rotations, made here or on another replica. */
  listen(listener: KeyStoreListener): void {
    this.listeners.push(listener);
  }

  /**
   * Checks the master key against the check value, creating it on the first start of the
   * deployment; then (and only then) it refuses an event store that already holds sealed data
   * (`EventStoreHasNoKeyStoreError`: its keys are in an embedded key store). Then loads every key
   * into memory and starts following. Runs once; every other method waits for it. A refusal
   * stands for good; any other failure (the store unavailable) is tried again by the next call.
   */
  open(): Promise<void> {
    this.opening ??= this.checkMasterKey()
      .then(() => this.load())
      .catch((error: unknown) => {
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
        if (key === undefined) throw this.wrappedElsewhere.has(subjectId) ? new DataKeyWrappedElsewhereError(subjectId) : new DataKeyMissingError(subjectId);
        return [subjectId, key];
      }),
    );
    return new Map(entries);
  }

  /** ReadModelKeys: from memory only; undefined (the read side fails closed) for a key not in memory, and before `open()` completed. */
  keyForOpeningNow(subjectId: string): DataKeyForOpening | undefined {
    return this.closed ? undefined : this.keys.get(subjectId);
  }

  /** ReadModelKeys: from memory only; `prepareKeys` made sure a batch's subjects are there (DataKeyNotInMemoryError otherwise). */
  keyForSealingNow(subjectId: string): DataKey | 'erased' {
    const key = this.closed ? undefined : this.keys.get(subjectId);
    if (key === undefined) throw new DataKeyNotInMemoryError(subjectId);
    return key;
  }

  /**
   * ReadModelKeys: brings these subjects' keys into memory before a batch is applied (the
   * projector calls it): read from their streams if another replica just made them, created
   * when a subject has none yet (events recorded before encryption); erased ones stay erased.
   */
  async prepareKeys(subjectIds: readonly string[]): Promise<void> {
    await this.ready();
    await Promise.all(
      subjectIds.filter((subjectId) => !this.keys.has(subjectId)).map(async (subjectId) => {
        if ((await this.keyOf(subjectId)) === undefined && !this.wrappedElsewhere.has(subjectId)) await this.create(subjectId);
      }),
    );
  }

  /** Tombstones the subject's stream (also when it never had a key, so none can be made later), then logs it for every replica; idempotent. */
  async destroy(subjectId: string): Promise<void> {
    await this.ready();
    try {
      await this.events.deleteStream(keyStreamOf(subjectId), { expectedRevision: 'any' });
    } catch (error) {
      if (!(error instanceof StreamDeletedError)) throw error;
    }
    await this.appendToLog(SUBJECT_KEY_DESTROYED, subjectId);
    this.remember(subjectId, 'erased');
  }

  /** Stops following and forgets the keys; the event store is the caller's to close. */
  async close(): Promise<void> {
    this.closed = true;
    this.closing.notify();
    await this.subscription?.stop();
    await this.following;
    this.keys.clear();
  }

  /** How many keys (and erasures) this replica holds in memory. */
  get size(): number {
    return this.keys.size;
  }

  private async ready(): Promise<void> {
    if (this.closed) throw new Error('the key store is closed');
    await this.open();
  }

  private async checkMasterKey(): Promise<void> {
    let check: Pick<RecordedEvent, 'data'> | 'deleted' | undefined = await lastEventOf(this.events, KEY_CHECK_STREAM);
    if (check === 'deleted') throw new KeyStoreLockedError(`${KEY_CHECK_STREAM} (deleted) in the event store`);
    if (check === undefined) {
      for await (const event of this.events.readAll()) if (holdsSealedData(event.data)) throw new EventStoreHasNoKeyStoreError();
      const created = { format: FORMAT, checkValue: wrap(this.masterKey, CHECK_CONTEXT, randomBytes(32)).toString('base64') };
      check = await this.createOnce(KEY_CHECK_STREAM, KEY_STORE_CREATED, created);
      if (check === 'deleted') throw new KeyStoreLockedError(`${KEY_CHECK_STREAM} (deleted) in the event store`);
    }
    if (!opensCheck(this.masterKey, check.data)) throw new KeyStoreLockedError(`${KEY_CHECK_STREAM} in the event store`);
  }

  /**
   * Every key into memory: the log names the subjects, each one's stream gives its key (or its
   * tombstone). The subscription starts from the head as it was before the log was read, so
   * nothing appended meanwhile is missed (what it repeats changes nothing).
   */
  private async load(): Promise<void> {
    const head = await this.events.headPosition();
    const log = await readKeyLog(this.events);
    const { keyed, destroyed } = log.started ? log : await this.upgradeKeyLog(log.keyed, log.destroyed);
    for (const subjectId of destroyed) this.keys.set(subjectId, 'erased');
    await inParallel([...keyed].filter((subjectId) => !destroyed.has(subjectId)), (subjectId) => this.readKey(subjectId));
    this.following ??= this.follow(head);
  }

  /**
   * A store written before the log existed (the key store of a080e3f) holds keys the log does
   * not name, which would never be loaded into memory nor re-wrapped by a rotation: the whole
   * store is read once for its key streams, each is named in the log, then KeyLogStarted marks
   * the log complete (two replicas doing it at once only repeat names). Every later start reads
   * the log alone.
   */
  private async upgradeKeyLog(keyed: Set<string>, destroyed: Set<string>): Promise<{ keyed: Set<string>; destroyed: Set<string> }> {
    const subjectPrefix = keyStreamOf('');
    for await (const event of this.events.readAll()) {
      const subjectId = event.data['subjectId'];
      if (!event.stream.startsWith(subjectPrefix) || typeof subjectId !== 'string' || event.stream !== keyStreamOf(subjectId) || keyed.has(subjectId)) continue;
      await this.appendToLog(SUBJECT_KEYED, subjectId);
      keyed.add(subjectId);
    }
    await this.events.appendToStream(KEY_LOG_STREAM, [{ id: newEventId(), type: KEY_LOG_STARTED, data: {}, metadata: { schemaVersion: 1 } }], { expectedRevision: 'any' });
    return { keyed, destroyed };
  }

  /**
   * Follows `$all` from `after`, learning what happens to the key streams; opened again after
   * every failure, for as long as the key store is open, waiting twice as long after each
   * failure in a row (at most MAX_RESUBSCRIBE_MS): a replica that stopped following would never
   * see a rotation or another replica's erasure (until then the async calls read every key from
   * its stream, and the synchronous view keeps what memory holds).
   */
  private async follow(after: Position | undefined): Promise<void> {
    let from = after;
    let failures = 0;
    while (!this.closed) {
      failures += 1;
      try {
        const subscription = this.events.subscribeToAll(from ? { after: from } : {});
        this.subscription = subscription;
        for await (const item of subscription) {
          if (this.closed) break;
          failures = 0;
          if (item.kind === 'caughtUp') {
            this.live = true;
            continue;
          }
          from = item.event.position;
          if (item.event.stream.startsWith(KEY_STREAM_PREFIX)) this.learn(item.event);
        }
      } catch (error) {
        if (!this.closed) for (const listener of this.listeners) listener.followFailed?.(error instanceof Error ? error : new Error(String(error)));
      }
      this.live = false;
      if (!this.closed) await this.closing.wait(Math.min(MAX_RESUBSCRIBE_MS, RESUBSCRIBE_MS * 2 ** Math.min(failures - 1, 5)));
    }
  }

  /** One event of a key stream, seen live: a key made or re-wrapped, a key destroyed, a rotation. */
  private learn(event: RecordedEvent): void {
    const subjectId = event.data['subjectId'];
    if (event.stream === KEY_LOG_STREAM) {
      if (event.type === SUBJECT_KEY_DESTROYED && typeof subjectId === 'string') this.remember(subjectId, 'erased');
    } else if (event.stream === KEY_CHECK_STREAM) {
      if (event.type === MASTER_KEY_ROTATED && !opensCheck(this.masterKey, event.data)) this.noticeRotation();
    } else if ((event.type === DATA_KEY_CREATED || event.type === DATA_KEY_REWRAPPED) && typeof subjectId === 'string' && event.stream === keyStreamOf(subjectId)) {
      this.rememberWrapped(subjectId, event);
    }
  }

  /**
   * The subject's key, `erased`, or undefined when it has none (or none this master key opens):
   * from memory while the subscription keeps it current, else from its stream (one read per
   * subject at a time). An erasure, once known, stands.
   */
  private keyOf(subjectId: string): Promise<DataKeyForOpening | undefined> {
    const known = this.keys.get(subjectId);
    if (known === 'erased' || (known !== undefined && this.live)) return Promise.resolve(known);
    const pending = this.reading.get(subjectId);
    if (pending) return pending;
    const read = this.readKey(subjectId).finally(() => this.reading.delete(subjectId));
    this.reading.set(subjectId, read);
    return read;
  }

  private async readKey(subjectId: string): Promise<DataKeyForOpening | undefined> {
    const event = await lastEventOf(this.events, keyStreamOf(subjectId));
    if (event === undefined) return this.keys.get(subjectId);
    if (event === 'deleted') this.remember(subjectId, 'erased');
    else this.rememberWrapped(subjectId, event);
    return this.keys.get(subjectId);
  }

  /** A new key for the subject (named in the log first), or the key (or erasure) of whoever created or deleted its stream first. */
  private async create(subjectId: string): Promise<DataKeyForOpening> {
    if (this.rotatedAway) throw new MasterKeyRotatedError();
    await this.appendToLog(SUBJECT_KEYED, subjectId);
    const wrapped = wrap(this.masterKey, dataKeyContext(subjectId), randomBytes(32)).toString('base64');
    const event = await this.createOnce(keyStreamOf(subjectId), DATA_KEY_CREATED, { format: FORMAT, subjectId, wrapped });
    if (event === 'deleted') this.remember(subjectId, 'erased');
    else this.rememberWrapped(subjectId, event);
    const key = this.keys.get(subjectId);
    if (key === undefined) throw new DataKeyWrappedElsewhereError(subjectId);
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
    const winner = await lastEventOf(this.events, stream);
    if (winner === undefined) throw new Error(`${stream} was refused as existing but reads as missing`);
    return winner;
  }

  private async appendToLog(type: string, subjectId: string): Promise<void> {
    await this.events.appendToStream(KEY_LOG_STREAM, [{ id: newEventId(), type, data: { subjectId }, metadata: { schemaVersion: 1 } }], { expectedRevision: 'any' });
  }

  /** A wrapped key read from its stream; one this master key does not open leaves what memory holds (the same data key, re-wrapped under a newer master key). */
  private rememberWrapped(subjectId: string, event: Pick<RecordedEvent, 'data'>): void {
    const key = unwrapDataKey(this.masterKey, subjectId, event);
    if (key !== undefined) {
      this.wrappedElsewhere.delete(subjectId);
      // A copy of its own: a pooled Buffer would keep its whole 8 KB slab (and the read's garbage in it) alive.
      this.remember(subjectId, ownCopy(key));
    } else if (!this.keys.has(subjectId)) this.wrappedElsewhere.add(subjectId);
  }

  /** Keeps a key; an erasure replaces it for good and is told to the listeners once. */
  private remember(subjectId: string, key: DataKeyForOpening): void {
    const known = this.keys.get(subjectId);
    if (known === 'erased') return;
    this.keys.set(subjectId, key);
    if (key === 'erased' && known !== undefined) for (const listener of this.listeners) listener.erased?.(subjectId);
  }

  private noticeRotation(): void {
    if (this.rotatedAway) return;
    this.rotatedAway = true;
    for (const listener of this.listeners) listener.rotatedAway?.();
  }
}

/** What `rotateEventStoreMasterKey` did. */
export interface EventStoreRotation {
  /** Data keys re-wrapped by this run. */
  readonly rewrapped: number;
  /** Data keys already wrapped under the new key (an earlier, interrupted or repeated run). */
  readonly alreadyNew: number;
}

/**
 * Rotates the key store's master key (issue 13 item 5) while replicas may run: first the check
 * stream's `MasterKeyRotated` (a new check value under `next`; from then a replica or tool with
 * `current` alone is refused at start, and running replicas with `current` stop creating keys),
 * then every live subject's key re-wrapped under `next` (`DataKeyRewrapped` at the stream's
 * exact revision; the data keys, and so every event, stay as they are). Idempotent: run again
 * with the same two keys, it re-wraps only what is still under `current` (a key a replica made
 * before it saw the rotation). Throws KeyStoreLockedError when neither key opens the check value.
 */
export const rotateEventStoreMasterKey = async (events: KeyEvents, current: Buffer, next: Buffer): Promise<EventStoreRotation> => {
  const { keyed, destroyed, started } = await readKeyLog(events);
  // A log that does not name every key would leave the keys it misses under the old master key.
  if (!started) throw new KeyLogIncompleteError();
  const check = await lastEventOf(events, KEY_CHECK_STREAM);
  if (check === undefined || check === 'deleted') throw new KeyStoreLockedError(`${KEY_CHECK_STREAM} (missing) in the event store`);
  if (!opensCheck(next, check.data)) {
    if (!opensCheck(current, check.data)) throw new KeyStoreLockedError(`${KEY_CHECK_STREAM} in the event store`);
    const data = { format: FORMAT, checkValue: wrap(next, CHECK_CONTEXT, randomBytes(32)).toString('base64') };
    await events.appendToStream(KEY_CHECK_STREAM, [{ id: newEventId(), type: MASTER_KEY_ROTATED, data, metadata: { schemaVersion: 1 } }], { expectedRevision: check.revision });
  }
  let rewrapped = 0;
  let alreadyNew = 0;
  const rewrap = async (subjectId: string): Promise<void> => {
    for (;;) {
      const event = await lastEventOf(events, keyStreamOf(subjectId));
      if (event === undefined || event === 'deleted') return;
      if (unwrapDataKey(next, subjectId, event) !== undefined) {
        alreadyNew += 1;
        return;
      }
      const key = unwrapDataKey(current, subjectId, event);
      if (key === undefined) throw new Error(`the wrapped data key of subject ${subjectId} opens with neither master key (the key store was altered)`);
      const data = { format: FORMAT, subjectId, wrapped: wrap(next, dataKeyContext(subjectId), key).toString('base64') };
      try {
        await events.appendToStream(keyStreamOf(subjectId), [{ id: newEventId(), type: DATA_KEY_REWRAPPED, data, metadata: { schemaVersion: 1 } }], { expectedRevision: event.revision });
        rewrapped += 1;
        return;
      } catch (error) {
        if (error instanceof StreamDeletedError) return;
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
      }
    }
  };
  await inParallel([...keyed].filter((subjectId) => !destroyed.has(subjectId)), rewrap);
  return { rewrapped, alreadyNew };
};

/** The key's bytes in an ArrayBuffer of their own (32 bytes), not a slice of a pooled slab. */
const ownCopy = (key: DataKey): DataKey => {
  const bytes = new Uint8Array(key.length);
  bytes.set(key);
  return Buffer.from(bytes.buffer);
};

const opensCheck = (masterKey: Buffer, data: JsonObject): boolean => {
  const value = data['checkValue'];
  return typeof value === 'string' && unwrap(masterKey, CHECK_CONTEXT, Buffer.from(value, 'base64')) !== undefined;
};

const unwrapDataKey = (masterKey: Buffer, subjectId: string, event: Pick<RecordedEvent, 'data'>): DataKey | undefined => {
  const wrapped = event.data['wrapped'];
  return typeof wrapped === 'string' ? unwrap(masterKey, dataKeyContext(subjectId), Buffer.from(wrapped, 'base64')) : undefined;
};

/** The subjects the log names as keyed, those it names as destroyed, and whether it names every key (KeyLogStarted). */
const readKeyLog = async (events: KeyEvents): Promise<{ readonly keyed: Set<string>; readonly destroyed: Set<string>; readonly started: boolean }> => {
  const keyed = new Set<string>();
  const destroyed = new Set<string>();
  let started = false;
  try {
    for await (const event of events.readStream(KEY_LOG_STREAM)) {
      if (event.type === KEY_LOG_STARTED) started = true;
      const subjectId = event.data['subjectId'];
      if (typeof subjectId !== 'string') continue;
      if (event.type === SUBJECT_KEYED) keyed.add(subjectId);
      else if (event.type === SUBJECT_KEY_DESTROYED) destroyed.add(subjectId);
    }
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  return { keyed, destroyed, started };
};

/** The stream's newest event (a re-wrap appends one), `deleted`, or undefined when it does not exist. */
const lastEventOf = async (events: KeyEvents, stream: string): Promise<RecordedEvent | 'deleted' | undefined> => {
  try {
    for await (const event of events.readStream(stream, { direction: 'backwards', maxCount: 1 })) return event;
    return undefined;
  } catch (error) {
    if (error instanceof StreamNotFoundError) return undefined;
    if (error instanceof StreamDeletedError) return 'deleted';
    throw error;
  }
};

/** Runs `step` for every item, READ_CONCURRENCY at a time; the first failure fails the whole. */
const inParallel = async <T>(items: readonly T[], step: (item: T) => Promise<unknown>): Promise<void> => {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await step(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, items.length) }, worker));
};

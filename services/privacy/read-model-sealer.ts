import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import type { JsonValue } from '../event-store/port.js';
import { DataKeyMissingError, type DataKey, type DataKeyForOpening } from './key-store.js';
import { erasedPersonal, type ErasedPersonal } from './sealed-data.js';

/**
 * Personal values in read-model rows, sealed with their person's data key: the same key store
 * and the same key per subject as the events, so destroying a key (erasure) makes the read
 * models unreadable for that person as well.
 *
 * API (for every projection that stores a person's values in a row):
 * - `seal(place, subjectId, json)`: the value as one text token (`rm1:...`), AES-256-GCM with
 *   associated data binding it to (read model, row key, subject, field): moved to another row,
 *   person or field it fails with ReadModelIntegrityError, never opens as someone else's data.
 *   For a subject whose key was destroyed it gives the erased token: nothing is sealed for them.
 * - `open(place, text)`: the value, or `{ subjectId, erased: true }` (ErasedPersonal) once the
 *   key was destroyed: a defined marker, never empty data or an error.
 *
 * Deterministic (decision): the same value at the same place under the same key seals to the
 * same text. The IV is synthetic: HMAC-SHA256 (keyed by a key derived from the data key) of the
 * place and the plaintext, first 96 bits. So `tracker projections check`, which compares the
 * live rows with a fresh rebuild byte for byte (SQL EXCEPT), keeps working unchanged, and a
 * row rewritten with the same values is the same bytes. What it reveals: that one field of one
 * row of one person holds the same value as before, which the row's revision shows anyway.
 * An IV repeats only for the same key, place and plaintext, i.e. the same ciphertext (GCM's
 * nonce rule is kept for distinct messages).
 *
 * Synchronous by design: projections apply their batches inside a SQLite transaction, and
 * resolvers decode rows synchronously. The keys come from ReadModelKeys, a synchronous view of
 * the key store (the embedded SQLite key store implements it: its keys are cached in memory,
 * and a miss is one indexed read of a local file; a destroyed key is `erased` at once; the one in
 * EventStoreDB holds every key in memory, and the projector calls `prepareKeys` for a batch's
 * subjects first).
 */
export interface ReadModelKeys {
  /** The subject's key, `erased`, or undefined when the key store never held one. */
  keyForOpeningNow(subjectId: string): DataKeyForOpening | undefined;
  /** The subject's key, created (durably) if it has none yet, or `erased`. */
  keyForSealingNow(subjectId: string): DataKey | 'erased';
  /**
   * For a key store whose synchronous view is memory only (the one in EventStoreDB): brings
   * these subjects' keys into memory (creating missing ones) before a batch is applied.
   */
  prepareKeys?(subjectIds: readonly string[]): Promise<void>;
}

/**
 * The key store's synchronous view, if it has one (the embedded SQLite key store from its cache
 * and its file; the one in EventStoreDB from memory, every key loaded at open).
 */
export const readModelKeysOf = (keyStore: object): ReadModelKeys | undefined => {
  const keys = keyStore as Partial<ReadModelKeys>;
  return typeof keys.keyForOpeningNow === 'function' && typeof keys.keyForSealingNow === 'function' ? (keys as ReadModelKeys) : undefined;
};

/** Where a sealed read-model value sits: its associated data. */
export interface ReadModelPlace {
  /** The read model (projection) name, e.g. `families`. */
  readonly readModel: string;
  /** The row's key, e.g. the family id. */
  readonly rowKey: string;
  /** The field within the row, e.g. `child:<childId>`. */
  readonly field: string;
}

/** A sealed read-model value that does not open at its place: tampered with, or moved from elsewhere. */
export class ReadModelIntegrityError extends Error {
  override readonly name = 'ReadModelIntegrityError';
  constructor(readonly place: ReadModelPlace) {
    super(`sealed read-model value at ${place.field} of row ${place.rowKey} in ${place.readModel} fails its integrity check (tampered with or moved)`);
  }
}

const PREFIX = 'rm1:';
const ERASED = 'erased';

const b64u = (bytes: Buffer): string => bytes.toString('base64url');
const fromB64u = (text: string): Buffer => Buffer.from(text, 'base64url');

const associatedData = (place: ReadModelPlace, subjectId: string): Buffer =>
  Buffer.from(JSON.stringify(['tracker-read-model-v1', place.readModel, place.rowKey, subjectId, place.field]), 'utf8');

const IV_KEY_INFO = Buffer.from('tracker-read-model-siv-v1', 'utf8');

/**
 * HKDF-SHA256 (RFC 5869) of a data key with an empty salt, for 32 bytes: extract, then one
 * block of expand. The same bytes as node:crypto's hkdfSync('sha256', key, '', info, 32) (a
 * unit test compares them), written as two HMACs because hkdfSync builds key objects on every
 * call: it was 5% of a sealed rebuild's CPU.
 */
const hkdfSha256 = (key: DataKey, info: Buffer): Buffer => {
  const prk = createHmac('sha256', Buffer.alloc(32)).update(key).digest();
  return createHmac('sha256', prk).update(info).update(Buffer.from([1])).digest();
};

/** The IV key of a data key (HKDF), kept per key object while the key is. */
const ivKeys = new WeakMap<DataKey, Buffer>();
const ivKeyOf = (key: DataKey): Buffer => {
  let ivKey = ivKeys.get(key);
  if (!ivKey) {
    ivKey = hkdfSha256(key, IV_KEY_INFO);
    ivKeys.set(key, ivKey);
  }
  return ivKey;
};

/** For tests: the IV key of a data key, as sealing derives it. */
export const ivKeyForTests = (key: DataKey): Buffer => ivKeyOf(key);

/** Is this text a sealed read-model value (or an erased one)? */
export const isSealedValue = (text: unknown): text is string => typeof text === 'string' && text.startsWith(PREFIX);

/** The subject a sealed value names (it names the key; it is an id, not personal). */
export const subjectOfSealed = (text: string): string => fromB64u(text.slice(PREFIX.length).split(':', 1)[0]!).toString('utf8');

export const sealValue = (key: DataKey | 'erased', place: ReadModelPlace, subjectId: string, value: JsonValue): string => {
  const subject = b64u(Buffer.from(subjectId, 'utf8'));
  if (key === 'erased') return `${PREFIX}${subject}:${ERASED}`;
  const aad = associatedData(place, subjectId);
  const plaintext = Buffer.from(JSON.stringify(value), 'utf8');
  const iv = createHmac('sha256', ivKeyOf(key)).update(aad).update(Buffer.from([0])).update(plaintext).digest().subarray(0, 12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return `${PREFIX}${subject}:${b64u(iv)}:${b64u(ct)}`;
};

/** Opens with one key; undefined when the tag does not verify with it. */
const openWith = (key: DataKey, place: ReadModelPlace, subjectId: string, iv: string, sealed: string): JsonValue | undefined => {
  try {
    const bytes = fromB64u(sealed);
    const decipher = createDecipheriv('aes-256-gcm', key, fromB64u(iv), { authTagLength: 16 });
    decipher.setAAD(associatedData(place, subjectId));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    const plaintext = Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]);
    return JSON.parse(plaintext.toString('utf8')) as JsonValue;
  } catch {
    return undefined;
  }
};

/**
 * Opens a sealed value with the first of `keySources` whose key verifies it; erased when none
 * does and one of them destroyed the subject's key; DataKeyMissingError when none holds a key.
 */
const openValue = (keySources: Iterable<ReadModelKeys>, place: ReadModelPlace, text: string): JsonValue | ErasedPersonal => {
  const [subject = '', iv = '', sealed] = text.slice(PREFIX.length).split(':');
  const subjectId = fromB64u(subject).toString('utf8');
  if (iv === ERASED && sealed === undefined) return erasedPersonal(subjectId);
  let erased = false;
  let held = false;
  for (const keys of keySources) {
    const key = keys.keyForOpeningNow(subjectId);
    if (key === undefined) continue;
    held = true;
    if (key === 'erased') {
      erased = true;
      continue;
    }
    const value = sealed === undefined ? undefined : openWith(key, place, subjectId, iv, sealed);
    if (value !== undefined) return value;
  }
  if (erased) return erasedPersonal(subjectId);
  if (!held) throw new DataKeyMissingError(subjectId);
  throw new ReadModelIntegrityError(place);
};

/** Seals and opens a read model's personal values with one key store's keys. */
export class ReadModelSealer {
  constructor(private readonly keys: ReadModelKeys) {}

  seal(place: ReadModelPlace, subjectId: string, value: JsonValue): string {
    return sealValue(this.keys.keyForSealingNow(subjectId), place, subjectId, value);
  }

  open(place: ReadModelPlace, text: string): JsonValue | ErasedPersonal {
    return openValue([this.keys], place, text);
  }

  /** Registers this sealer's keys for `openSealed` (the read side) until the returned function is called. */
  activate(): () => void {
    active.set(this.keys, (active.get(this.keys) ?? 0) + 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const left = (active.get(this.keys) ?? 1) - 1;
      if (left > 0) active.set(this.keys, left);
      else active.delete(this.keys);
    };
  }
}

/**
 * The key sources of the trackers (and tools) open in this process. Resolvers read rows without
 * knowing which tracker's database they came from (in tests several run in one process): a
 * value opens with whichever source's key verifies it, and AES-GCM guarantees that no other
 * key does, so it never opens as another store's data.
 */
const active = new Map<ReadModelKeys, number>();

/** Opens a sealed value with the keys of any active sealer (ReadModelSealer.activate). */
export const openSealed = (place: ReadModelPlace, text: string): JsonValue | ErasedPersonal => openValue(active.keys(), place, text);

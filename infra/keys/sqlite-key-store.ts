import Database from 'better-sqlite3';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DataKeyMissingError, SubjectErasedError, type DataKey, type DataKeyForOpening, type KeyStore } from '../../services/privacy/key-store.js';
import type { ReadModelKeys } from '../../services/privacy/read-model-sealer.js';
import { unqualifiedKeyOfLegacyCopy } from '../../services/privacy/data-key-id.js';
import { ensurePrivateFile } from '../private-files.js';

/** The master key does not open this key store (another key, or a damaged store). */
export class KeyStoreLockedError extends Error {
  override readonly name = 'KeyStoreLockedError';
  constructor(readonly file: string) {
    super(
      `The master key does not open the key store ${file}. The tracker will not start with it: ` +
        'supply the master key this key store was created with (TRACKER_MASTER_KEY_FILE or TRACKER_MASTER_KEY, or master.key in TRACKER_KEY_DIR).',
    );
  }
}

const FORMAT = 1;
/** Unwrapped data keys kept in memory (32 bytes each); the oldest go first beyond this. */
const CACHE_LIMIT = 100_000;

/**
 * The embedded key store: one SQLite file in the key directory (0600), one row per subject,
 * each data key wrapped (AES-256-GCM) by the master key with the subject id as associated data,
 * so a wrapped key moved to another subject does not unwrap. A check value wrapped at creation
 * tells at open whether the master key is this store's. Created keys are durable (WAL,
 * synchronous=FULL) before they are handed out. Destroying a key overwrites its row with a
 * tombstone (`secure_delete` zeroes the freed bytes, and the WAL is checkpointed and truncated
 * so no older page copy stays behind in it). Limit: a copy of the key store taken before the
 * destruction, together with the master key, still holds the key: back them up apart, and
 * keep key-store backups no longer than the erasure promise allows.
 * Several processes may share the file (SQLite's locking); each keeps its own cache, so an
 * erasure is seen at once by the process that made it and by others at their next open.
 */
export class SqliteKeyStore implements KeyStore, ReadModelKeys {
  private readonly cache = new Map<string, DataKeyForOpening>();
  private selectKey: Database.Statement | undefined;

  private constructor(
    private readonly db: Database.Database,
    private masterKey: Buffer,
    private readonly clock: () => Date,
  ) {}

  /** Opens (or creates) the store; throws KeyStoreLockedError when the master key is not its own. */
  static open(file: string, masterKey: Buffer, clock: () => Date = () => new Date()): SqliteKeyStore {
    ensurePrivateFile(file);
    const db = new Database(file, { timeout: 10_000 });
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('secure_delete = ON');
      db.exec(`
        CREATE TABLE IF NOT EXISTS key_store (
          singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
          format INTEGER NOT NULL,
          check_value BLOB NOT NULL,
          created_at TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS data_keys (
          subject_id TEXT PRIMARY KEY,
          wrapped BLOB,
          created_at TEXT NOT NULL,
          destroyed_at TEXT
        ) WITHOUT ROWID;
      `);
      db.prepare('INSERT INTO key_store (singleton, format, check_value, created_at) VALUES (1, ?, ?, ?) ON CONFLICT DO NOTHING')
        .run(FORMAT, wrap(masterKey, CHECK_CONTEXT, randomBytes(32)), clock().toISOString());
      const row = db.prepare('SELECT check_value FROM key_store WHERE singleton = 1').get() as { check_value: Buffer };
      if (unwrap(masterKey, CHECK_CONTEXT, row.check_value) === undefined) throw new KeyStoreLockedError(file);
      return new SqliteKeyStore(db, masterKey, clock);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** True while the store holds no key at all (nothing was ever sealed with it). */
  isEmpty(): boolean {
    return this.db.prepare('SELECT 1 FROM data_keys LIMIT 1').get() === undefined;
  }

  keysForSealing(subjectIds: readonly string[]): Promise<ReadonlyMap<string, DataKey>> {
    return attempt(() => {
      const keys = new Map<string, DataKey>();
      const missing: string[] = [];
      for (const subjectId of subjectIds) {
        const cached = this.cache.get(subjectId) ?? this.stored(subjectId);
        if (cached === 'erased') throw new SubjectErasedError(subjectId);
        if (cached === undefined) missing.push(subjectId);
        else keys.set(subjectId, cached);
      }
      if (missing.length > 0) for (const [subjectId, key] of this.create(missing)) keys.set(subjectId, key);
      return keys;
    });
  }

  keysForOpening(subjectIds: readonly string[]): Promise<ReadonlyMap<string, DataKeyForOpening>> {
    return attempt(() => {
      const keys = new Map<string, DataKeyForOpening>();
      for (const subjectId of subjectIds) {
        const key = this.cache.get(subjectId) ?? this.stored(subjectId);
        if (key === undefined) throw new DataKeyMissingError(subjectId);
        keys.set(subjectId, key);
      }
      return keys;
    });
  }

  /** ReadModelKeys: synchronous (the cache, else one indexed read of the local file); a closed store holds no key. */
  keyForOpeningNow(subjectId: string): DataKeyForOpening | undefined {
    if (!this.db.open) return undefined;
    return this.cache.get(subjectId) ?? this.stored(subjectId);
  }

  /** ReadModelKeys: a subject without a key (events stored before encryption) gets one, durably. */
  keyForSealingNow(subjectId: string): DataKey | 'erased' {
    return this.keyForOpeningNow(subjectId) ?? this.create([subjectId]).get(subjectId)!;
  }

  destroy(subjectId: string): Promise<void> {
    return attempt(() => {
      this.db
        .prepare('INSERT INTO data_keys (subject_id, wrapped, created_at, destroyed_at) VALUES (?, NULL, ?, ?) ON CONFLICT (subject_id) DO UPDATE SET wrapped = NULL, destroyed_at = COALESCE(destroyed_at, excluded.destroyed_at)')
        .run(subjectId, this.clock().toISOString(), this.clock().toISOString());
      this.db.pragma('wal_checkpoint(TRUNCATE)');
      this.remember(subjectId, 'erased');
    });
  }

  /**
   * Re-wraps every data key (and the check value) with `newMasterKey`, in one transaction:
   * afterwards only the new master key opens the store. Events are untouched (the data keys
   * stay the same). Only with no other process using the store: one that kept the old master
   * key would wrap new keys with it.
   */
  rotateMasterKey(newMasterKey: Buffer): { readonly rewrapped: number } {
    const rows = this.db.prepare('SELECT subject_id, wrapped FROM data_keys WHERE wrapped IS NOT NULL').all() as Array<{ subject_id: string; wrapped: Buffer }>;
    const update = this.db.prepare('UPDATE data_keys SET wrapped = ? WHERE subject_id = ?');
    this.db
      .transaction(() => {
        for (const row of rows) {
          const key = unwrap(this.masterKey, dataKeyContext(row.subject_id), row.wrapped);
          if (key === undefined) throw new Error(`the wrapped data key of subject ${row.subject_id} does not unwrap with the master key (the key store was altered)`);
          update.run(wrap(newMasterKey, dataKeyContext(row.subject_id), key), row.subject_id);
        }
        this.db.prepare('UPDATE key_store SET check_value = ? WHERE singleton = 1').run(wrap(newMasterKey, CHECK_CONTEXT, randomBytes(32)));
      })
      .immediate();
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.masterKey = newMasterKey;
    return { rewrapped: rows.length };
  }

  close(): Promise<void> {
    return attempt(() => {
      this.cache.clear();
      if (this.db.open) this.db.close();
    });
  }

  /**
   * The keys stored before keys were qualified (data-key-id.ts) that are not destroyed yet. The
   * legacy copies qualify-legacy-keys.ts makes from them are the keys' only use after that.
   */
  aliveUnqualifiedKeys(): readonly string[] {
    return (this.db.prepare("SELECT subject_id FROM data_keys WHERE wrapped IS NOT NULL AND instr(subject_id, '/') = 0").pluck().all() as string[]);
  }

  /** The subject's key as stored (and now cached), `erased`, or undefined if it has none. */
  private stored(subjectId: string): DataKeyForOpening | undefined {
    // Prepared once: a rebuild after a start reads every subject's key once (preparing each time was a third of it).
    this.selectKey ??= this.db.prepare('SELECT wrapped FROM data_keys WHERE subject_id = ?');
    const row = this.selectKey.get(subjectId) as { wrapped: Buffer | null } | undefined;
    if (row === undefined) return this.copiedFromUnqualified(subjectId);
    const key = row.wrapped === null ? 'erased' : unwrap(this.masterKey, dataKeyContext(subjectId), row.wrapped);
    if (key === undefined) throw new Error(`the wrapped data key of subject ${subjectId} does not unwrap with the master key (the key store was altered)`);
    this.remember(subjectId, key);
    return key;
  }

  /**
   * A family's copy of an unqualified key for its envelopes sealed before keys were qualified
   * (data-key-id.ts `legacyDataKeyId`), made durably the first time it is asked for, while the
   * unqualified key is alive; once that key is retired (or was never held) the copy is what the
   * unqualified key is: `erased` or undefined. Undefined for any other key id.
   */
  private copiedFromUnqualified(keyId: string): DataKeyForOpening | undefined {
    const unqualified = unqualifiedKeyOfLegacyCopy(keyId);
    if (unqualified === undefined) return undefined;
    const key = this.stored(unqualified);
    if (key === undefined || key === 'erased') return key;
    this.db.prepare('INSERT INTO data_keys (subject_id, wrapped, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING')
      .run(keyId, wrap(this.masterKey, dataKeyContext(keyId), key), this.clock().toISOString());
    return this.stored(keyId);
  }

  /** Creates keys for these subjects in one durable transaction (another process may win a row: its key is used). */
  private create(subjectIds: readonly string[]): Map<string, DataKey> {
    const insert = this.db.prepare('INSERT INTO data_keys (subject_id, wrapped, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
    this.db
      .transaction(() => {
        for (const subjectId of subjectIds) insert.run(subjectId, wrap(this.masterKey, dataKeyContext(subjectId), randomBytes(32)), this.clock().toISOString());
      })
      .immediate();
    const keys = new Map<string, DataKey>();
    for (const subjectId of subjectIds) {
      const key = this.stored(subjectId);
      if (key === 'erased') throw new SubjectErasedError(subjectId);
      keys.set(subjectId, key!);
    }
    return keys;
  }

  private remember(subjectId: string, key: DataKeyForOpening): void {
    this.cache.delete(subjectId);
    if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(subjectId, key);
  }
}

/** Wrapping contexts and AES-256-GCM wrapping, shared with the key store in the event store (event-store-key-store.ts). */
export const CHECK_CONTEXT = 'tracker-key-store-check-v1';
export const dataKeyContext = (subjectId: string): string => `tracker-data-key-v1\u0000${subjectId}`;

/** AES-256-GCM under the master key: iv (12) + tag (16) + ciphertext, bound to `context`. */
export const wrap = (masterKey: Buffer, context: string, key: Buffer): Buffer => {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', masterKey, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ct = Buffer.concat([cipher.update(key), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ct]);
};

export const unwrap = (masterKey: Buffer, context: string, wrapped: Buffer): Buffer | undefined => {
  try {
    const decipher = createDecipheriv('aes-256-gcm', masterKey, wrapped.subarray(0, 12), { authTagLength: 16 });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(wrapped.subarray(12, 28));
    return Buffer.concat([decipher.update(wrapped.subarray(28)), decipher.final()]);
  } catch {
    return undefined;
  }
};

/** A synchronous step as a promise: its value, or its error as a rejection. */
const attempt = <T>(step: () => T): Promise<T> => {
  try {
    return Promise.resolve(step());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
};

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EsdbEventStore } from '../../../infra/event-store/esdb/esdb-event-store.js';
import { newEventId } from '../../../infra/event-store/event-id.js';
import {
  DataKeyNotInMemoryError,
  DataKeyWrappedElsewhereError,
  EventStoreHasNoKeyStoreError,
  EventStoreKeyStore,
  KEY_CHECK_STREAM,
  KeyLogIncompleteError,
  KEY_LOG_STREAM,
  keyStreamOf,
  MasterKeyRotatedError,
  rotateEventStoreMasterKey,
} from '../../../infra/keys/event-store-key-store.js';
import { CHECK_CONTEXT, dataKeyContext, KeyStoreLockedError, SqliteKeyStore, wrap } from '../../../infra/keys/sqlite-key-store.js';
import { StreamDeletedError } from '../../../services/event-store/errors.js';
import type { JsonObject } from '../../../services/event-store/port.js';
import { DataKeyMissingError, SubjectErasedError } from '../../../services/privacy/key-store.js';
import { EncryptingEventStore } from '../../../services/privacy/encrypting-event-store.js';
import { PersonalDataCipher } from '../../../services/privacy/personal-data-cipher.js';
import { collect, waitUntil } from '../../support/async.js';
import { EsdbProtocolTestServer } from '../../support/esdb-protocol-test-server.js';
import { makeTempDir } from '../../support/temp-dir.js';

/**
 * The key store in the event store, as two replicas use it: each its own connection (the real
 * client and adapter) to one protocol test server, each its own cache, one master key.
 */
describe('the key store in EventStoreDB, shared by replicas', () => {
  let server: EsdbProtocolTestServer;
  const connections: EsdbEventStore[] = [];
  const master = randomBytes(32);
  const replicas: EventStoreKeyStore[] = [];
  const replica = (masterKey = master) => {
    const connection = EsdbEventStore.connect(server.connectionString);
    connections.push(connection);
    const keys = new EventStoreKeyStore(connection, masterKey);
    replicas.push(keys);
    return keys;
  };

  beforeEach(async () => {
    server = await EsdbProtocolTestServer.start();
  });
  afterEach(async () => {
    await Promise.all(replicas.splice(0).map((keys) => keys.close()));
    await Promise.all(connections.splice(0).map((connection) => connection.close()));
    await server.stop();
  });

  it('a key created on one replica opens on the other; the store holds it wrapped, never the key itself', async () => {
    const [a, b] = [replica(), replica()];
    const sealing = await a.keysForSealing(['person-1']);
    const opening = await b.keysForOpening(['person-1']);
    expect(opening.get('person-1')).toEqual(sealing.get('person-1'));
    expect((await b.keysForSealing(['person-1'])).get('person-1')).toEqual(sealing.get('person-1'));

    const stored = server.log.streamEvents(keyStreamOf('person-1'))!;
    expect(stored.map((record) => record.type)).toEqual(['DataKeyCreated']);
    const key = sealing.get('person-1')!;
    const everything = Buffer.concat(server.log.records.map((record) => Buffer.from(record.data)));
    for (const encoding of ['hex', 'base64', 'base64url'] as const) expect(everything.toString('latin1')).not.toContain(key.toString(encoding));
    expect(everything.includes(key)).toBe(false);
  });

  it('replicas racing to create the same subjects agree on one key each (the no_stream append decides)', async () => {
    const [a, b] = [replica(), replica()];
    const subjects = Array.from({ length: 20 }, (_, index) => `racer-${String(index)}`);
    const [fromA, fromB] = await Promise.all([a.keysForSealing(subjects), b.keysForSealing(subjects)]);
    for (const subject of subjects) {
      expect(fromA.get(subject)).toEqual(fromB.get(subject));
      expect(server.log.streamEvents(keyStreamOf(subject))).toHaveLength(1);
    }
    // A third replica, cache empty, reads the winners' keys.
    const c = replica();
    const fromC = await c.keysForOpening(subjects);
    for (const subject of subjects) expect(fromC.get(subject)).toEqual(fromA.get(subject));
  });

  it('destroy on one replica: erased there at once, on the other as soon as its subscription sees the log entry (no read of its own); the stream is a tombstone no append revives', async () => {
    const a = replica();
    const b = replica();
    await a.keysForSealing(['doomed']);
    const before = (await b.keysForOpening(['doomed'])).get('doomed');
    expect(Buffer.isBuffer(before)).toBe(true);
    expect(b.keyForOpeningNow('doomed')).toEqual(before);
    const erasedOnB: string[] = [];
    b.listen({ erased: (subjectId) => erasedOnB.push(subjectId) });

    const readsBefore = server.calls.read;
    await a.destroy('doomed');
    expect((await a.keysForOpening(['doomed'])).get('doomed')).toBe('erased');
    await expect(a.keysForSealing(['doomed'])).rejects.toBeInstanceOf(SubjectErasedError);
    await waitUntil("B's memory to hold the subject as erased", () => b.keyForOpeningNow('doomed') === 'erased', 10_000);
    expect(erasedOnB).toEqual(['doomed']);
    expect((await b.keysForOpening(['doomed'])).get('doomed')).toBe('erased');
    await expect(b.keysForSealing(['doomed'])).rejects.toBeInstanceOf(SubjectErasedError);
    // Learnt from the subscription: B read no stream for it (A's own calls read none either).
    expect(server.calls.read).toBe(readsBefore);

    expect(server.log.isTombstoned(keyStreamOf('doomed'))).toBe(true);
    const raw = connections[0]!;
    await expect(collect(raw.readStream(keyStreamOf('doomed')))).rejects.toBeInstanceOf(StreamDeletedError);
    await expect(
      raw.appendToStream(keyStreamOf('doomed'), [{ id: newEventId(), type: 'DataKeyCreated', data: {}, metadata: {} }], { expectedRevision: 'no_stream' }),
    ).rejects.toBeInstanceOf(StreamDeletedError);
    // A replica that starts later loads it as erased from the log, and destroying again is a no-op.
    const c = replica();
    await c.open();
    expect(c.keyForOpeningNow('doomed')).toBe('erased');
    await c.destroy('doomed');
  });

  it('a replica loads every key into memory at open, and learns keys made elsewhere from its subscription: the synchronous view needs no read', async () => {
    const a = replica();
    const subjects = Array.from({ length: 50 }, (_, index) => `loaded-${String(index)}`);
    const made = await a.keysForSealing(subjects);
    await a.destroy('loaded-7');
    const b = replica();
    await b.open();
    for (const subject of subjects) expect(b.keyForOpeningNow(subject)).toEqual(subject === 'loaded-7' ? 'erased' : made.get(subject));
    expect(b.keyForSealingNow('loaded-3')).toEqual(made.get('loaded-3'));
    expect(b.keyForOpeningNow('never-keyed')).toBeUndefined();
    expect(() => b.keyForSealingNow('never-keyed')).toThrow(DataKeyNotInMemoryError);

    const later = await a.keysForSealing(['made-after-b-opened']);
    await waitUntil('B to learn the key A made', () => b.keyForOpeningNow('made-after-b-opened') !== undefined, 10_000);
    expect(b.keyForOpeningNow('made-after-b-opened')).toEqual(later.get('made-after-b-opened'));
    // prepareKeys brings a key into memory (creating one for a subject that has none): what the projector calls before a batch.
    await b.prepareKeys(['first-seen-by-the-projector', 'loaded-7']);
    expect(Buffer.isBuffer(b.keyForSealingNow('first-seen-by-the-projector'))).toBe(true);
    expect(b.keyForSealingNow('loaded-7')).toBe('erased');
    await waitUntil('A to learn the key B made', () => a.keyForOpeningNow('first-seen-by-the-projector') !== undefined, 10_000);
  });

  it('rotation re-wraps every live key under the new master key without changing it; a replica on the old key keeps opening but records no new person; the old key is refused at start', async () => {
    const old = replica();
    const made = await old.keysForSealing(['r-1', 'r-2', 'r-3']);
    await old.destroy('r-3');
    let rotatedAway = false;
    old.listen({ rotatedAway: () => (rotatedAway = true) });
    const next = randomBytes(32);
    const connection = EsdbEventStore.connect(server.connectionString);
    connections.push(connection);

    expect(await rotateEventStoreMasterKey(connection, master, next)).toEqual({ rewrapped: 2, alreadyNew: 0 });
    expect(server.log.streamEvents(keyStreamOf('r-1'))!.map((record) => record.type)).toEqual(['DataKeyCreated', 'DataKeyRewrapped']);
    await waitUntil('the old replica to see the rotation', () => rotatedAway, 10_000);
    expect(old.keyForOpeningNow('r-1')).toEqual(made.get('r-1'));
    expect((await old.keysForOpening(['r-2'])).get('r-2')).toEqual(made.get('r-2'));
    await expect(old.keysForSealing(['new-person'])).rejects.toBeInstanceOf(MasterKeyRotatedError);

    const fresh = replica(next);
    await fresh.open();
    expect(fresh.keyForOpeningNow('r-1')).toEqual(made.get('r-1'));
    expect(fresh.keyForOpeningNow('r-3')).toBe('erased');
    await expect(replica(master).open()).rejects.toBeInstanceOf(KeyStoreLockedError);
    // Run again with the same keys: nothing left to re-wrap.
    expect(await rotateEventStoreMasterKey(connection, master, next)).toEqual({ rewrapped: 0, alreadyNew: 2 });
    await expect(rotateEventStoreMasterKey(connection, randomBytes(32), randomBytes(32))).rejects.toBeInstanceOf(KeyStoreLockedError);
  });

  it('a key an old replica made before it saw the rotation: not opened with the new key (fail closed, a clear error), re-wrapped by running the rotation again', async () => {
    const next = randomBytes(32);
    const connection = EsdbEventStore.connect(server.connectionString);
    connections.push(connection);
    await replica().open();
    await rotateEventStoreMasterKey(connection, master, next);
    // As a replica on the old key would, before its subscription delivered the rotation.
    const late = replica();
    await expect(late.open()).rejects.toBeInstanceOf(KeyStoreLockedError);
    const wrapped = wrap(master, dataKeyContext('late-person'), randomBytes(32)).toString('base64');
    await connection.appendToStream(KEY_LOG_STREAM, [{ id: newEventId(), type: 'SubjectKeyed', data: { subjectId: 'late-person' }, metadata: {} }], { expectedRevision: 'any' });
    await connection.appendToStream(keyStreamOf('late-person'), [{ id: newEventId(), type: 'DataKeyCreated', data: { format: 1, subjectId: 'late-person', wrapped }, metadata: {} }], { expectedRevision: 'no_stream' });

    const fresh = replica(next);
    await fresh.open();
    expect(fresh.keyForOpeningNow('late-person')).toBeUndefined();
    await expect(fresh.keysForOpening(['late-person'])).rejects.toBeInstanceOf(DataKeyWrappedElsewhereError);
    expect(await rotateEventStoreMasterKey(connection, master, next)).toEqual({ rewrapped: 1, alreadyNew: 0 });
    await waitUntil('the new replica to learn the re-wrapped key', () => fresh.keyForOpeningNow('late-person') !== undefined, 10_000);
  });

  it('a subject never keyed is DataKeyMissingError (the wrong store, never "erased") and opening creates nothing', async () => {
    const a = replica();
    await expect(a.keysForOpening(['stranger'])).rejects.toBeInstanceOf(DataKeyMissingError);
    expect(server.log.streamEvents(keyStreamOf('stranger'))).toBeUndefined();
  });

  it('refuses a master key that does not open the check value; of two first starts with different keys, one wins and the other is refused', async () => {
    await replica().open();
    const wrong = replica(randomBytes(32));
    await expect(wrong.open()).rejects.toBeInstanceOf(KeyStoreLockedError);
    await expect(wrong.keysForOpening(['anyone'])).rejects.toBeInstanceOf(KeyStoreLockedError);
    await expect(wrong.keysForSealing(['anyone'])).rejects.toBeInstanceOf(KeyStoreLockedError);
    expect(server.log.streamEvents(keyStreamOf('anyone'))).toBeUndefined();

    const fresh = await EsdbProtocolTestServer.start();
    try {
      const first = [randomBytes(32), randomBytes(32)].map((key) => {
        const connection = EsdbEventStore.connect(fresh.connectionString);
        connections.push(connection);
        return new EventStoreKeyStore(connection, key);
      });
      const outcomes = await Promise.allSettled(first.map((store) => store.open()));
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      expect(outcomes.find((outcome) => outcome.status === 'rejected')?.reason).toBeInstanceOf(KeyStoreLockedError);
      expect(fresh.log.streamEvents(KEY_CHECK_STREAM)).toHaveLength(1);
    } finally {
      await Promise.all(connections.splice(0).map((connection) => connection.close()));
      await fresh.stop();
    }
  });

  it('a start while EventStoreDB is unavailable fails, and the next call opens once it is back (only a refusal stands for good)', async () => {
    const connection = EsdbEventStore.connect(server.connectionString, { unavailableRetryMs: 300 });
    connections.push(connection);
    const keys = new EventStoreKeyStore(connection, master);
    const { port, log } = server;
    await server.stop();
    await expect(keys.open()).rejects.toThrow(/unavailable/);
    server = await EsdbProtocolTestServer.start({ port, log });
    await keys.open();
    expect((await keys.keysForSealing(['after-outage'])).size).toBe(1);
  });

  it('refuses an event store that holds sealed data but no key store of its own (its keys are in an embedded key store)', async () => {
    const temp = makeTempDir();
    try {
      const embedded = SqliteKeyStore.open(join(temp.dir, 'data-keys.sqlite'), master);
      const connection = EsdbEventStore.connect(server.connectionString);
      connections.push(connection);
      const sealedElsewhere = new EncryptingEventStore(connection, new PersonalDataCipher(embedded));
      await sealedElsewhere.appendToStream('family-f1', [
        { id: newEventId(), type: 'ChildRegistered', data: { childId: 'c1', personal: { subjectId: 'c1', givenName: 'Canary' } }, metadata: {} },
      ], { expectedRevision: 'no_stream' });
      await embedded.close();
      await expect(replica().open()).rejects.toBeInstanceOf(EventStoreHasNoKeyStoreError);
      expect(server.log.streamEvents(KEY_CHECK_STREAM)).toBeUndefined();
    } finally {
      temp.remove();
    }
  });

  it('a store written before the key log (a080e3f) gets its keys into memory and into a rotation: the log is completed once at start', async () => {
    // The older key store's streams, written as it wrote them: a check value and one key stream per subject, no log.
    const connection = EsdbEventStore.connect(server.connectionString);
    connections.push(connection);
    const append = (stream: string, type: string, data: JsonObject) =>
      connection.appendToStream(stream, [{ id: newEventId(), type, data, metadata: { schemaVersion: 1 } }], { expectedRevision: 'no_stream' });
    await append(KEY_CHECK_STREAM, 'KeyStoreCreated', { format: 1, checkValue: wrap(master, CHECK_CONTEXT, randomBytes(32)).toString('base64') });
    const older = randomBytes(32);
    await append(keyStreamOf('older-person'), 'DataKeyCreated', { format: 1, subjectId: 'older-person', wrapped: wrap(master, dataKeyContext('older-person'), older).toString('base64') });

    const keys = replica();
    await keys.open();
    expect(keys.keyForOpeningNow('older-person')).toEqual(older);
    expect(server.log.streamEvents(KEY_LOG_STREAM)!.map((record) => record.type)).toEqual(['SubjectKeyed', 'KeyLogStarted']);
    // A second start reads the log alone and names nobody twice.
    await replica().open();
    expect(server.log.streamEvents(KEY_LOG_STREAM)!.map((record) => record.type)).toEqual(['SubjectKeyed', 'KeyLogStarted']);

    const next = randomBytes(32);
    expect((await rotateEventStoreMasterKey(connection, master, next)).rewrapped).toBe(1);
    const restarted = replica(next);
    await restarted.open();
    expect(restarted.keyForOpeningNow('older-person')).toEqual(older);
  });

  it('a rotation refuses a key log that does not name every key yet (nothing changes)', async () => {
    const connection = EsdbEventStore.connect(server.connectionString);
    connections.push(connection);
    await connection.appendToStream(KEY_CHECK_STREAM, [{ id: newEventId(), type: 'KeyStoreCreated', data: { format: 1, checkValue: wrap(master, CHECK_CONTEXT, randomBytes(32)).toString('base64') }, metadata: { schemaVersion: 1 } }], { expectedRevision: 'no_stream' });
    await expect(rotateEventStoreMasterKey(connection, master, randomBytes(32))).rejects.toBeInstanceOf(KeyLogIncompleteError);
    expect(server.log.streamEvents(KEY_CHECK_STREAM)!.map((record) => record.type)).toEqual(['KeyStoreCreated']);
  });
});

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EsdbEventStore } from '../../../infra/event-store/esdb/esdb-event-store.js';
import { newEventId } from '../../../infra/event-store/event-id.js';
import { EventStoreHasNoKeyStoreError, EventStoreKeyStore, KEY_CHECK_STREAM, keyStreamOf } from '../../../infra/keys/event-store-key-store.js';
import { KeyStoreLockedError, SqliteKeyStore } from '../../../infra/keys/sqlite-key-store.js';
import { StreamDeletedError } from '../../../services/event-store/errors.js';
import { DataKeyMissingError, SubjectErasedError } from '../../../services/privacy/key-store.js';
import { EncryptingEventStore } from '../../../services/privacy/encrypting-event-store.js';
import { PersonalDataCipher } from '../../../services/privacy/personal-data-cipher.js';
import { collect } from '../../support/async.js';
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
  const replica = (options: ConstructorParameters<typeof EventStoreKeyStore>[2] = {}, masterKey = master) => {
    const connection = EsdbEventStore.connect(server.connectionString);
    connections.push(connection);
    return new EventStoreKeyStore(connection, masterKey, options);
  };

  beforeEach(async () => {
    server = await EsdbProtocolTestServer.start();
  });
  afterEach(async () => {
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

  it('destroy on one replica: erased there at once, on the other once its cached key is older than the TTL; the stream is a tombstone no append revives', async () => {
    let now = 1_000_000;
    const a = replica();
    const b = replica({ cacheTtlMs: 5_000, now: () => now });
    await a.keysForSealing(['doomed']);
    const before = (await b.keysForOpening(['doomed'])).get('doomed');
    expect(Buffer.isBuffer(before)).toBe(true);

    await a.destroy('doomed');
    expect((await a.keysForOpening(['doomed'])).get('doomed')).toBe('erased');
    await expect(a.keysForSealing(['doomed'])).rejects.toBeInstanceOf(SubjectErasedError);
    // B's cache is younger than its TTL: the documented window in which it still has the key.
    now += 4_999;
    expect(Buffer.isBuffer((await b.keysForOpening(['doomed'])).get('doomed'))).toBe(true);
    now += 2;
    expect((await b.keysForOpening(['doomed'])).get('doomed')).toBe('erased');
    await expect(b.keysForSealing(['doomed'])).rejects.toBeInstanceOf(SubjectErasedError);

    expect(server.log.isTombstoned(keyStreamOf('doomed'))).toBe(true);
    const raw = connections[0]!;
    await expect(collect(raw.readStream(keyStreamOf('doomed')))).rejects.toBeInstanceOf(StreamDeletedError);
    await expect(
      raw.appendToStream(keyStreamOf('doomed'), [{ id: newEventId(), type: 'DataKeyCreated', data: {}, metadata: {} }], { expectedRevision: 'no_stream' }),
    ).rejects.toBeInstanceOf(StreamDeletedError);
    // A replica that starts later learns it from the stream, and destroying again is a no-op.
    const c = replica();
    expect((await c.keysForOpening(['doomed'])).get('doomed')).toBe('erased');
    await c.destroy('doomed');
  });

  it('a subject never keyed is DataKeyMissingError (the wrong store, never "erased") and opening creates nothing', async () => {
    const a = replica();
    await expect(a.keysForOpening(['stranger'])).rejects.toBeInstanceOf(DataKeyMissingError);
    expect(server.log.streamEvents(keyStreamOf('stranger'))).toBeUndefined();
  });

  it('refuses a master key that does not open the check value; of two first starts with different keys, one wins and the other is refused', async () => {
    await replica().open();
    const wrong = replica({}, randomBytes(32));
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
});

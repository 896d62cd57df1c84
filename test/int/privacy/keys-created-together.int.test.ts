import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newEventId } from '../../../infra/event-store/event-id.js';
import { SqliteEventStore } from '../../../infra/event-store/sqlite/sqlite-event-store.js';
import { SqliteKeyStore } from '../../../infra/keys/sqlite-key-store.js';
import type { EventToAppend } from '../../../services/event-store/port.js';
import { dataKeyId } from '../../../services/privacy/data-key-id.js';
import { EncryptingEventStore } from '../../../services/privacy/encrypting-event-store.js';
import { SubjectErasedError, type KeyStore } from '../../../services/privacy/key-store.js';
import { PersonalDataCipher } from '../../../services/privacy/personal-data-cipher.js';
import { collect } from '../../support/async.js';
import { makeTempDir } from '../../support/temp-dir.js';

const registered = (name: string): EventToAppend => ({
  id: newEventId(), type: 'ChildRegistered', data: { childId: 'c1', personal: { subjectId: 'c1', givenName: name, birthDate: '2015-03-01' } }, metadata: { schemaVersion: 1 },
});

/** The key store as seen through the port alone (asynchronous), counting the calls that may create keys. */
const counted = (inner: SqliteKeyStore): KeyStore & { sealingCalls: number } => {
  const port = {
    sealingCalls: 0,
    keysForSealing: (ids: readonly string[]) => { port.sealingCalls += 1; return inner.keysForSealing(ids); },
    keysForOpening: (ids: readonly string[]) => inner.keysForOpening(ids),
    destroy: (id: string) => inner.destroy(id),
    close: () => inner.close(),
  };
  return port;
};

describe('keys of appends that arrive together', () => {
  const temp = makeTempDir('keys-together-');
  afterAll(() => temp.remove());

  it('are created in one key-store call (one durable write), and each append reads back its own person', async () => {
    const keys = SqliteKeyStore.open(join(temp.dir, 'keys-1.sqlite'), randomBytes(32));
    const port = counted(keys);
    const store = new EncryptingEventStore(SqliteEventStore.open(join(temp.dir, 'events-1.sqlite')), new PersonalDataCipher(port));
    await Promise.all(Array.from({ length: 24 }, (_, i) => store.appendToStream(`family-f${String(i)}`, [registered(`Name ${String(i)}`)], { expectedRevision: 'no_stream' })));
    // Before: one call (one fsync of the key store) per append.
    expect(port.sealingCalls).toBe(1);
    for (let i = 0; i < 24; i += 1) {
      const [event] = await collect(store.readStream(`family-f${String(i)}`));
      expect((event!.data['personal'] as { givenName: string }).givenName).toBe(`Name ${String(i)}`);
    }
    await store.close();
    await keys.close();
  });

  it('appends of a person whose key exists (the synchronous path) read back as written', async () => {
    const keys = SqliteKeyStore.open(join(temp.dir, 'keys-2.sqlite'), randomBytes(32));
    const store = new EncryptingEventStore(SqliteEventStore.open(join(temp.dir, 'events-2.sqlite')), new PersonalDataCipher(keys));
    await store.appendToStream('family-g', [registered('Ana')], { expectedRevision: 'no_stream' });
    await store.appendToStream('family-g', [registered('Ana María')], { expectedRevision: 0 });
    const events = await collect(store.readStream('family-g'));
    expect(events.map((event) => (event.data['personal'] as { givenName: string }).givenName)).toEqual(['Ana', 'Ana María']);
    await store.close();
    await keys.close();
  });

  it('a person erased in the group fails only their own append', async () => {
    const keys = SqliteKeyStore.open(join(temp.dir, 'keys-3.sqlite'), randomBytes(32));
    const port = counted(keys);
    const store = new EncryptingEventStore(SqliteEventStore.open(join(temp.dir, 'events-3.sqlite')), new PersonalDataCipher(port));
    await keys.destroy(dataKeyId('family-h2', 'c1'));
    const results = await Promise.allSettled(['family-h1', 'family-h2', 'family-h3'].map((stream) => store.appendToStream(stream, [registered('Eva')], { expectedRevision: 'no_stream' })));
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(SubjectErasedError);
    await expect(collect(store.readStream('family-h2'))).rejects.toThrow();
    expect(await collect(store.readStream('family-h3'))).toHaveLength(1);
    await store.close();
    await keys.close();
  });
});

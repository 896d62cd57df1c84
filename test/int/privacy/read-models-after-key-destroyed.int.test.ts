import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../../infra/event-store/sqlite/sqlite-event-store.js';
import { SqliteKeyStore } from '../../../infra/keys/sqlite-key-store.js';
import { familiesProjection } from '../../../projections/families/families-projection.js';
import { decodeFamilyState, isErasedPerson } from '../../../projections/families/state-codec.js';
import { Projector } from '../../../projections/projector.js';
import { openReadModelDatabase } from '../../../projections/read-model-database.js';
import { sealReadModelsWith } from '../../../projections/read-model-sealing.js';
import type { JsonObject } from '../../../services/event-store/port.js';
import type { FamilyEvent } from '../../../services/family/events.js';
import { EncryptingEventStore } from '../../../services/privacy/encrypting-event-store.js';
import { PersonalDataCipher } from '../../../services/privacy/personal-data-cipher.js';
import { ReadModelSealer } from '../../../services/privacy/read-model-sealer.js';
import { childRegistered, event, opened, relativeAdded } from '../../support/family-fixtures.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { familyDataKeyId } from '../../../services/privacy/data-key-id.js';

const detained = event('ChildDetained', { childId: 'child-1', agency: 'ORR', detainedOn: '2024-01-02', personal: { subjectId: 'child-1', facility: 'Canary-Facility' } } as never);

/**
 * The families read model after a person's key is destroyed (what erasure does): the rows hold
 * the person sealed with that key, so they open as erased at once, before any event; a later
 * event of the family and a rebuild keep the person erased, and the others as they were.
 */
describe('families read model when a data key is destroyed (real SQLite event store, key store and read models)', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let keys: SqliteKeyStore;
  let store: EncryptingEventStore;
  let sealer: ReadModelSealer;
  let revision = -1;

  const append = async (...events: FamilyEvent[]): Promise<void> => {
    await store.appendToStream('family-fam-1', events.map((e) => ({ id: randomUUID(), type: e.type, data: e.data as unknown as JsonObject, metadata: {} })), { expectedRevision: revision === -1 ? 'no_stream' : revision });
    revision += events.length;
  };
  const project = async (file: string) => {
    const db = openReadModelDatabase(join(temp.dir, file));
    sealReadModelsWith(db, sealer);
    const projector = new Projector(store, db, [familiesProjection]);
    await projector.catchUp();
    const text = db.prepare("SELECT state_json FROM families WHERE family_id = 'fam-1'").pluck().get() as string;
    return { db, projector, text, state: () => decodeFamilyState(text, sealer) };
  };

  beforeEach(() => {
    temp = makeTempDir();
    keys = SqliteKeyStore.open(join(temp.dir, 'data-keys.sqlite'), randomBytes(32));
    store = new EncryptingEventStore(SqliteEventStore.open(join(temp.dir, 'events.sqlite')), new PersonalDataCipher(keys));
    sealer = new ReadModelSealer(keys);
    revision = -1;
  });
  afterEach(async () => {
    await store.close();
    await keys.close();
    temp.remove();
  });

  it('the person reads as erased at once, after a later event and after a rebuild; nobody else does', async () => {
    await append(opened, childRegistered(), relativeAdded(), detained);
    const live = await project('read-models.sqlite');
    expect(live.text).not.toContain('Canary');
    expect(live.state().children.get('child-1')).toMatchObject({ givenName: 'Canary-Child', birthDate: '2012-03-04' });

    await keys.destroy(familyDataKeyId('fam-1', 'child-1'));
    const erased = live.state().children.get('child-1')!;
    expect(isErasedPerson(erased)).toBe(true);
    expect(erased).toMatchObject({ childId: 'child-1', givenName: null, birthDate: null, nationality: 'HN' });

    await append(relativeAdded('aunt-1', 'AUNT'));
    await live.projector.catchUp();
    const after = decodeFamilyState(live.db.prepare("SELECT state_json FROM families WHERE family_id = 'fam-1'").pluck().get() as string, sealer);
    expect(live.projector.status()[0]!.stalled).toBeNull();
    expect(isErasedPerson(after.children.get('child-1')!)).toBe(true);
    expect(after.relatives.get('aunt-1')).toMatchObject({ givenName: 'Canary-Relative' });
    live.db.close();

    const rebuilt = await project('rebuilt.sqlite');
    expect(rebuilt.projector.status()[0]!.stalled).toBeNull();
    expect(isErasedPerson(rebuilt.state().children.get('child-1')!)).toBe(true);
    expect(rebuilt.state().children.get('child-1')!.placementHistory[0]).toMatchObject({ change: 'DETAINED', on: '2024-01-02' });
    expect(rebuilt.state().relatives.get('father-1')).toMatchObject({ givenName: 'Canary-Relative', relationship: 'FATHER' });
    rebuilt.db.close();
  });
});

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteKeyStore } from '../../../infra/keys/sqlite-key-store.js';
import { decodeFamilyState, encodeFamilyState, isErasedPerson } from '../../../projections/families/state-codec.js';
import { DataKeyMissingError } from '../../../services/privacy/key-store.js';
import { openSealed, ReadModelIntegrityError, ReadModelSealer, type ReadModelPlace } from '../../../services/privacy/read-model-sealer.js';
import { isErased } from '../../../services/privacy/sealed-data.js';
import { childRegistered, event, given, opened, relativeAdded } from '../../support/family-fixtures.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { familyDataKeyId } from '../../../services/privacy/data-key-id.js';

const place: ReadModelPlace = { readModel: 'families', rowKey: 'fam-1', field: 'child:child-1' };
const detained = event('ChildDetained', { childId: 'child-1', agency: 'ORR', detainedOn: '2024-01-02', personal: { subjectId: 'child-1', facility: 'Canary-Facility' } } as never);
const medical = event('MedicalNeedsRecorded', { childId: 'child-1', personal: { subjectId: 'child-1', medicalNeeds: 'Canary-Medical' } });
const family = () => given(opened, childRegistered(), relativeAdded(), medical, detained);

describe('ReadModelSealer (read-model values sealed per person, real SQLite key store)', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let keys: SqliteKeyStore;
  let sealer: ReadModelSealer;
  beforeEach(() => {
    temp = makeTempDir();
    keys = SqliteKeyStore.open(join(temp.dir, 'data-keys.sqlite'), randomBytes(32));
    sealer = new ReadModelSealer(keys);
  });
  afterEach(async () => {
    await keys.close();
    temp.remove();
  });

  it('seals to text without the value, deterministically, and opens it again', () => {
    const sealed = sealer.seal(place, 'child-1', { givenName: 'Canary-Name' });
    expect(sealed).not.toContain('Canary');
    expect(sealer.seal(place, 'child-1', { givenName: 'Canary-Name' })).toBe(sealed);
    expect(sealer.seal(place, 'child-1', { givenName: 'Canary-Other' })).not.toBe(sealed);
    expect(sealer.open(place, sealed)).toEqual({ givenName: 'Canary-Name' });
  });

  it('a value moved to another row, field or person fails its integrity check, never opens there', () => {
    const sealed = sealer.seal(place, 'child-1', 'Canary-Name');
    sealer.seal(place, 'child-2', 'x'); // child-2 has a key too
    expect(() => sealer.open({ ...place, rowKey: 'fam-2' }, sealed)).toThrow(ReadModelIntegrityError);
    expect(() => sealer.open({ ...place, field: 'relative:child-1' }, sealed)).toThrow(ReadModelIntegrityError);
    const [prefix, , iv, ct] = sealed.split(':');
    const otherSubject = `${prefix!}:${Buffer.from('child-2').toString('base64url')}:${iv!}:${ct!}`;
    expect(() => sealer.open(place, otherSubject)).toThrow(ReadModelIntegrityError);
  });

  it('a destroyed key opens as erased at once, and seals nothing new', async () => {
    const sealed = sealer.seal(place, 'child-1', 'Canary-Name');
    await keys.destroy('child-1');
    expect(isErased(sealer.open(place, sealed))).toBe(true);
    const after = sealer.seal(place, 'child-1', 'Canary-Name');
    expect(isErased(sealer.open(place, after))).toBe(true);
  });

  it('openSealed opens with any active key store, and a store never holding the key is DataKeyMissingError', () => {
    const sealed = sealer.seal(place, 'child-1', 'Canary-Name');
    expect(() => openSealed(place, sealed)).toThrow(DataKeyMissingError);
    const other = SqliteKeyStore.open(join(temp.dir, 'other-keys.sqlite'), randomBytes(32));
    const stopOther = new ReadModelSealer(other).activate();
    other.keyForSealingNow('child-1');
    try {
      // Another store's key for the same subject id does not open it (never someone else's data).
      expect(() => openSealed(place, sealed)).toThrow(ReadModelIntegrityError);
      const stop = sealer.activate();
      expect(openSealed(place, sealed)).toBe('Canary-Name');
      stop();
    } finally {
      stopOther();
      void other.close();
    }
  });

  it('the families snapshot holds no personal value, decodes to the same state, and encodes to the same text', () => {
    const state = family();
    const text = encodeFamilyState(state, sealer);
    for (const canary of ['Canary-Child', 'Canary-Relative', 'Canary-Medical', 'Canary-Facility', '2012-03-04']) expect(text).not.toContain(canary);
    expect(text).toContain('child-1');
    const decoded = decodeFamilyState(text, sealer);
    expect(encodeFamilyState(decoded)).toBe(encodeFamilyState(state));
    expect(encodeFamilyState(decoded, sealer)).toBe(text);
  });

  it('a person whose key was destroyed decodes to the erased shape; the others as they were', async () => {
    const text = encodeFamilyState(family(), sealer);
    await keys.destroy(familyDataKeyId('fam-1', 'child-1'));
    const state = decodeFamilyState(text, sealer);
    const child = state.children.get('child-1')!;
    expect(isErasedPerson(child)).toBe(true);
    expect(child).toMatchObject({ childId: 'child-1', givenName: null, birthDate: null, languages: [], nationality: 'HN', custody: 'DETAINED' });
    expect(child.medicalNeeds).toBeUndefined();
    expect(child.placementHistory[0]).toMatchObject({ change: 'DETAINED', on: '2024-01-02', personal: { subjectId: 'child-1', facility: null, erased: true } });
    expect(state.relatives.get('father-1')).toMatchObject({ givenName: 'Canary-Relative', relationship: 'FATHER' });
    expect(isErasedPerson(state.relatives.get('father-1')!)).toBe(false);
    // Re-encoded (the next event of the family), the erased person stays erased, with no ciphertext left.
    const again = encodeFamilyState(state, sealer);
    expect(isErasedPerson(decodeFamilyState(again, sealer).children.get('child-1')!)).toBe(true);
  });
});

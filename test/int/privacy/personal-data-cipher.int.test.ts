import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { SqliteKeyStore } from '../../../infra/keys/sqlite-key-store.js';
import type { JsonObject } from '../../../services/event-store/port.js';
import { DataKeyMissingError, SubjectErasedError } from '../../../services/privacy/key-store.js';
import { PersonalDataCipher } from '../../../services/privacy/personal-data-cipher.js';
import { isErased, SealedDataIntegrityError } from '../../../services/privacy/sealed-data.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { dataKeyId } from '../../../services/privacy/data-key-id.js';

const child: JsonObject = {
  childId: 'child-1',
  nationality: 'HN',
  personal: { subjectId: 'child-1', givenName: 'Canary-Givenname', familyName: 'Canary-Familyname', birthDate: '2012-03-04' },
};
const nested: JsonObject = {
  familyId: 'fam-1',
  people: [
    { relativeId: 'rel-1', personal: { subjectId: 'rel-1', phone: '+52 55 1234 0001', place: { city: 'Canary-City' } } },
    { relativeId: 'rel-2', deep: { personal: { subjectId: 'rel-2', narrative: 'Canary-Narrative' } } },
  ],
};

describe('PersonalDataCipher (AES-256-GCM per data subject, real SQLite key store)', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let keys: SqliteKeyStore;
  let cipher: PersonalDataCipher;
  beforeEach(() => {
    temp = makeTempDir();
    keys = SqliteKeyStore.open(join(temp.dir, 'data-keys.sqlite'), randomBytes(32));
    cipher = new PersonalDataCipher(keys);
  });
  afterEach(async () => {
    await keys.close();
    temp.remove();
  });

  it('seals every personal object wherever it occurs, keeps the facts, and opens to the same data', async () => {
    const sealed = await cipher.seal('family-1', 'event-1', nested);
    const text = JSON.stringify(sealed);
    for (const canary of ['Canary-City', 'Canary-Narrative', '1234 0001', 'phone', 'narrative']) expect(text).not.toContain(canary);
    expect(text).toContain('rel-1');
    const people = sealed['people'] as JsonObject[];
    expect(people[0]!['personal']).toMatchObject({ subjectId: 'rel-1', sealed: { v: 1 } });
    expect((people[1]!['deep'] as JsonObject)['personal']).toMatchObject({ subjectId: 'rel-2', sealed: { v: 1 } });
    expect(await cipher.open('family-1', 'event-1', sealed)).toEqual(nested);
    expect(nested['people']).toEqual((JSON.parse(JSON.stringify(nested)) as JsonObject)['people']);
  });

  it("seals a webhook's signing secret under the webhook as subject, and opens it as the string", async () => {
    const data: JsonObject = { webhookId: 'wh-1', url: 'https://example.org/hook', secret: 'whsec_Canary-Secret-0123456789' };
    const sealed = await cipher.seal('organization-1', 'event-9', data);
    expect(JSON.stringify(sealed)).not.toContain('Canary-Secret');
    expect(sealed['secret']).toMatchObject({ subjectId: 'webhook:wh-1' });
    expect(await cipher.open('organization-1', 'event-9', sealed)).toEqual(data);
  });

  it('a ciphertext moved to another event, another stream or another person fails its integrity check', async () => {
    const sealed = await cipher.seal('family-1', 'event-1', child);
    await expect(cipher.open('family-1', 'event-2', sealed)).rejects.toBeInstanceOf(SealedDataIntegrityError);
    await expect(cipher.open('family-2', 'event-1', sealed)).rejects.toBeInstanceOf(SealedDataIntegrityError);
    // The same ciphertext relabelled as another person who has a key of their own.
    await cipher.seal('family-1', 'event-3', { personal: { subjectId: 'child-2', givenName: 'Other' } });
    const relabelled = { ...sealed, personal: { ...(sealed['personal'] as JsonObject), subjectId: 'child-2' } };
    await expect(cipher.open('family-1', 'event-1', relabelled)).rejects.toBeInstanceOf(SealedDataIntegrityError);
    // Two people's ciphertexts swapped within one event.
    const two = await cipher.seal('family-1', 'event-4', { a: { personal: { subjectId: 'child-1', givenName: 'A' } }, b: { personal: { subjectId: 'child-2', givenName: 'B' } } });
    const swapped = { a: two['b']!, b: two['a']! };
    const error = await cipher.open('family-1', 'event-4', swapped).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SealedDataIntegrityError);
    expect(String(error)).not.toMatch(/\bA\b|\bB\b/);
  });

  it('a destroyed key opens as erased (a marker, not empty data) and refuses new sealing for that subject', async () => {
    const sealed = await cipher.seal('family-1', 'event-1', child);
    await keys.destroy(dataKeyId('family-1', 'child-1'));
    const opened = await cipher.open('family-1', 'event-1', sealed);
    expect(opened['personal']).toEqual({ subjectId: 'child-1', erased: true });
    expect(isErased(opened['personal'])).toBe(true);
    expect(opened['childId']).toBe('child-1');
    await expect(cipher.seal('family-1', 'event-2', child)).rejects.toBeInstanceOf(SubjectErasedError);
  });

  it('an erasure holds across a reopen of the key store; another key store refuses the data as a missing key, never as erased', async () => {
    const master = randomBytes(32);
    const file = join(temp.dir, 'reopened.sqlite');
    let store = SqliteKeyStore.open(file, master);
    const sealed = await new PersonalDataCipher(store).seal('family-1', 'event-1', child);
    await store.destroy(dataKeyId('family-1', 'child-1'));
    await store.close();
    store = SqliteKeyStore.open(file, master);
    expect((await new PersonalDataCipher(store).open('family-1', 'event-1', sealed))['personal']).toEqual({ subjectId: 'child-1', erased: true });
    await store.close();
    await expect(cipher.open('family-1', 'event-1', sealed)).rejects.toBeInstanceOf(DataKeyMissingError);
  });

  it('data without anything sealed (stored before encryption) opens unchanged', async () => {
    expect(await cipher.open('family-1', 'event-1', child)).toBe(child);
    const facts: JsonObject = { familyId: 'fam-1', status: 'OPEN' };
    expect(await cipher.seal('family-1', 'event-1', facts)).toBe(facts);
  });
});

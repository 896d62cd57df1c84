import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newEventId } from '../../../infra/event-store/event-id.js';
import { SqliteEventStore } from '../../../infra/event-store/sqlite/sqlite-event-store.js';
import { SqliteKeyStore } from '../../../infra/keys/sqlite-key-store.js';
import type { FamilyCommand } from '../../../services/family/commands.js';
import { familyStreamName } from '../../../services/family/family-decider.js';
import { executeFamilyCommand } from '../../../services/family/family-service.js';
import { executeOrganizationCommand } from '../../../services/organization/organization-service.js';
import { EncryptingEventStore } from '../../../services/privacy/encrypting-event-store.js';
import { PersonalDataCipher } from '../../../services/privacy/personal-data-cipher.js';
import { SealedDataIntegrityError } from '../../../services/privacy/sealed-data.js';
import { verifyHashChain } from '../../../services/verify-hash-chain.js';
import { collect } from '../../support/async.js';
import { ADVOCATE, NOW } from '../../support/family-fixtures.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { familyDataKeyId } from '../../../services/privacy/data-key-id.js';

const FAMILY = 'fam-privacy-1';
const STREAM = familyStreamName(FAMILY);
const CANARIES = ['Xylocanaryana', 'Quetzcanarybeto', '+52 55 9876 5432', 'CANA800101HDFRRY09'];

/** The event store on a real SQLite file, encrypted through a real key store, driven by the command handler. */
const open = (dir: string, master: Buffer) => {
  const raw = SqliteEventStore.open(join(dir, 'events.sqlite'));
  const keys = SqliteKeyStore.open(join(dir, 'data-keys.sqlite'), master);
  const store = new EncryptingEventStore(raw, new PersonalDataCipher(keys));
  const execute = (command: Record<string, unknown>) =>
    executeFamilyCommand({ store, newEventId }, { familyId: FAMILY, actor: ADVOCATE, issuedAt: NOW, occurredAt: NOW, ...command } as unknown as FamilyCommand);
  return { raw, keys, store, execute, close: async () => { await store.close(); await keys.close(); } };
};

const fileText = (file: string): string => {
  try {
    return readFileSync(file).toString('latin1');
  } catch {
    return '';
  }
};

describe('EncryptingEventStore over the SQLite store, through the command handler', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let tracker: ReturnType<typeof open>;
  const master = randomBytes(32);
  beforeEach(async () => {
    temp = makeTempDir();
    tracker = open(temp.dir, master);
    await tracker.execute({ type: 'OpenFamilyCase', leadOrganizationId: ADVOCATE.organizationId, programme: 'SEPARATED_FAMILY' });
    await tracker.execute({ type: 'RegisterChild', childId: 'c1', givenName: CANARIES[0], birthDate: '2012-03-04', nationality: 'HN', languages: [], needsInterpreter: false, birthDateEstimated: false });
    await tracker.execute({ type: 'AddRelative', relativeId: 'r1', relationship: 'MOTHER', givenName: CANARIES[1], phone: CANARIES[2], vitalStatus: 'ALIVE', adverse: false });
    await tracker.execute({ type: 'RecordIdentifier', personId: 'c1', kind: 'CURP', value: CANARIES[3] });
  });
  afterEach(async () => {
    await tracker.close();
    temp.remove();
  });

  it('stores no personal value in plaintext (file and WAL), and reads, readAll and the subscription give it back', async () => {
    const stored = fileText(join(temp.dir, 'events.sqlite')) + fileText(join(temp.dir, 'events.sqlite-wal'));
    expect(stored).toContain('ChildRegistered');
    for (const canary of CANARIES) expect(stored, canary).not.toContain(canary);
    const events = await collect(tracker.store.readStream(STREAM));
    expect(events.map((event) => event.type)).toEqual(['FamilyCaseOpened', 'ChildRegistered', 'RelativeAdded', 'IdentifierRecorded']);
    expect(events[1]!.data['personal']).toMatchObject({ subjectId: 'c1', givenName: CANARIES[0] });
    expect(events[2]!.data['personal']).toMatchObject({ subjectId: 'r1', givenName: CANARIES[1], phone: CANARIES[2] });
    expect(JSON.stringify((await collect(tracker.store.readAll())).map((event) => event.data))).toContain(CANARIES[3]);
    const subscription = tracker.store.subscribeToAll();
    const seen: string[] = [];
    for await (const item of subscription) {
      if (item.kind === 'caughtUp') break;
      seen.push(JSON.stringify(item.event.data));
    }
    await subscription.stop();
    expect(seen.join()).toContain(CANARIES[1]);
  });

  it('the hash chain covers the sealed form: it verifies as stored, without keys, and still after an erasure', async () => {
    expect(verifyHashChain(STREAM, await collect(tracker.raw.readStream(STREAM)))).toEqual({ ok: true, events: 4 });
    await tracker.keys.destroy(familyDataKeyId(FAMILY, 'c1'));
    const events = await collect(tracker.store.readStream(STREAM));
    expect(events[1]!.data['personal']).toEqual({ subjectId: 'c1', erased: true });
    expect(events[3]!.data['personal']).toEqual({ subjectId: 'c1', erased: true });
    expect(events[2]!.data['personal']).toMatchObject({ givenName: CANARIES[1] });
    expect(verifyHashChain(STREAM, await collect(tracker.raw.readStream(STREAM)))).toEqual({ ok: true, events: 4 });
    // A later command on the family still chains to the stored hashes (the Defender it names must exist).
    await executeOrganizationCommand({ store: tracker.store, newEventId }, { type: 'RegisterOrganization', organizationId: 'defenders', name: 'Defenders', kind: 'DEFENDER', countries: [], actor: { userId: 'admin', organizationId: 'system', role: 'ADMIN' }, issuedAt: NOW });
    await tracker.execute({ type: 'StartTracing', relativeId: 'r1', defenderOrganizationId: 'defenders' });
    expect(verifyHashChain(STREAM, await collect(tracker.raw.readStream(STREAM)))).toEqual({ ok: true, events: 5 });
  });

  it('a ciphertext swapped between two events in the SQLite file fails with an integrity error, never the other person', async () => {
    await tracker.close();
    const db = new Database(join(temp.dir, 'events.sqlite'));
    db.exec('DROP TRIGGER events_are_never_updated');
    const rows = db.prepare('SELECT position, data FROM events WHERE type IN (?, ?) ORDER BY position').all('ChildRegistered', 'RelativeAdded') as Array<{ position: number; data: string }>;
    const [child, relative] = rows.map((row) => JSON.parse(row.data) as Record<string, unknown>);
    const update = db.prepare('UPDATE events SET data = ? WHERE position = ?');
    update.run(JSON.stringify({ ...child, personal: relative!['personal'] }), rows[0]!.position);
    update.run(JSON.stringify({ ...relative, personal: child!['personal'] }), rows[1]!.position);
    db.close();
    tracker = open(temp.dir, master);
    const error = await collect(tracker.store.readStream(STREAM)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SealedDataIntegrityError);
    for (const canary of CANARIES) expect(String(error)).not.toContain(canary);
    expect(verifyHashChain(STREAM, await collect(tracker.raw.readStream(STREAM)))).toMatchObject({ ok: false, revision: 1, problem: 'changed' });
  });
});

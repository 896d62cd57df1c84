import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupDataDir } from '../../../infra/cli/backup.js';
import { exportHistory, replayFamily, verifyStreams } from '../../../infra/cli/audit-tools.js';
import { loadConfig } from '../../../infra/config.js';
import { newEventId } from '../../../infra/event-store/event-id.js';
import { openEncryptedEventStore } from '../../../infra/event-store/open-encrypted-event-store.js';
import { openEventStore } from '../../../infra/event-store/open-event-store.js';
import { KEY_STORE_FILE, loadMasterKey } from '../../../infra/keys/master-key.js';
import { SqliteKeyStore } from '../../../infra/keys/sqlite-key-store.js';
import { executeFamilyCommand } from '../../../services/family/family-service.js';
import type { Actor } from '../../../services/shared/decider.js';
import { waitUntil } from '../../support/async.js';
import { dataOf, postGraphQL, type GraphQLResponse } from '../../support/graphql-client.js';
import { startTrackerInProcess, type Tracker } from '../../support/in-process-tracker.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { familyDataKeyId } from '../../../services/privacy/data-key-id.js';

/**
 * Regression (issue 13 item 4): nothing could erase one person. Now eraseSubject (ADMIN of the
 * lead) records SubjectErased and destroys the person's data key: family, history, timeline and
 * search show a tombstone, the canary is in no file of the data and key directories, the hash
 * chain verifies, a rebuild and a restored pre-erasure backup show the tombstone, and a legal
 * hold refuses erasure (LEGAL_HOLD, nothing changes) until it is lifted.
 */
const KEY = 'erasure-e2e-admin-key-0123456789abcdef';
const CANARY = {
  givenName: 'Erasecanaryxiomara',
  familyName: 'Erasecanaryquintero',
  medicalNeeds: 'Erasecanarymedical insulin',
  facility: 'Erasecanaryfacility Tornillo',
  curp: 'ERAS800101HDFRRY09',
};
const MOTHER = 'Keptcanaryrosa';
const CHILD = 'child-x';

const temp = makeTempDir('tracker-erasure-');
const dataDir = join(temp.dir, 'data');
const keyDir = join(temp.dir, 'keys');
const env = { TRACKER_DATA_DIR: dataDir, TRACKER_KEY_DIR: keyDir, TRACKER_BOOTSTRAP_ADMIN_KEY: KEY };
let tracker: Tracker;
let familyId: string;

const ask = (query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse> => postGraphQL(tracker.url, KEY, query, variables);
const mutate = async (name: string, input: Record<string, unknown>): Promise<GraphQLResponse> => {
  const type = `${name.charAt(0).toUpperCase()}${name.slice(1)}Input`;
  return ask(`mutation($input: ${type}!) { ${name}(input: $input) { revision family { id } } }`, { input });
};
const ok = async (name: string, input: Record<string, unknown>) => dataOf(await mutate(name, input))[name] as { revision: number; family: { id: string } };

const FAMILY = `query($id: ID!) { family(id: $id) { revision
  children { id erased givenName birthDate nationality languages medicalNeeds custody placementHistory { change on facility } }
  relatives { id erased givenName relationship } } }`;
const family = async () => dataOf(await ask(FAMILY, { id: familyId })).family;
const history = async () => dataOf(await ask('query($id: ID!) { familyHistory(familyId: $id, first: 100) { edges { node { type data } } } }', { id: familyId }))
  .familyHistory.edges.map((edge: { node: { type: string; data: Record<string, unknown> } }) => edge.node);
const timeline = async (language = 'en') => dataOf(await ask('query($id: ID!, $l: String) { family(id: $id) { timeline(first: 100, language: $l) { edges { node { type sentence } } } } }', { id: familyId, l: language }))
  .family.timeline.edges.map((edge: { node: { type: string; sentence: string } }) => edge.node);
const searchHits = async (text: string) => dataOf(await ask('query($t: String!) { search(text: $t) { edges { node { personId displayName } } } }', { t: text })).search.edges;

/** Every file under the directory (the SQLite files with their -wal and -shm), as bytes. */
const filesUnder = (dir: string): Array<{ name: string; bytes: Buffer }> =>
  readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => ({ name: join(entry.parentPath, entry.name), bytes: readFileSync(join(entry.parentPath, entry.name)) }));
const filesHolding = (dir: string, needle: Buffer | string, only: (name: string) => boolean = () => true): string[] =>
  filesUnder(dir).filter((file) => only(file.name) && file.bytes.includes(needle)).map((file) => file.name);

/** The data key of a person of the family, as a fresh process opening the key store would find it. */
const keyOf = async (subjectId: string): Promise<'alive' | 'erased'> => {
  const keyStore = SqliteKeyStore.open(join(keyDir, KEY_STORE_FILE), loadMasterKey(loadConfig({ ...process.env, ...env }).keys).key);
  const keyId = familyDataKeyId(familyId, subjectId);
  try {
    return (await keyStore.keysForOpening([keyId])).get(keyId) === 'erased' ? 'erased' : 'alive';
  } finally {
    await keyStore.close();
  }
};
/** The wrapped data key as stored in data-keys.sqlite (to prove its bytes are gone afterwards). */
const wrappedKeyOf = (subjectId: string): Buffer => {
  const db = new Database(join(keyDir, 'data-keys.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT wrapped FROM data_keys WHERE subject_id = ?').get(familyDataKeyId(familyId, subjectId)) as { wrapped: Buffer }).wrapped;
  } finally {
    db.close();
  }
};
const codeOf = (response: GraphQLResponse): string | undefined => response.errors?.[0]?.extensions.code;

beforeAll(async () => {
  tracker = await startTrackerInProcess(env);
  familyId = (await ok('openFamilyCase', { programme: 'SEPARATED_FAMILY' })).family.id;
  for (const [name, input] of [
    ['registerChild', { childId: CHILD, givenName: CANARY.givenName, familyName: CANARY.familyName, birthDate: '2011-05-05', nationality: 'HN', languages: ['es', 'mam'], medicalNeeds: CANARY.medicalNeeds }],
    ['addRelative', { relativeId: 'mother', relationship: 'MOTHER', givenName: MOTHER }],
    ['recordIdentifier', { personId: CHILD, kind: 'CURP', value: CANARY.curp }],
    ['recordChildDetained', { childId: CHILD, agency: 'ORR', detainedOn: '2023-01-16', facility: CANARY.facility }],
  ] as const) await ok(name, { familyId, ...input });
}, 60_000);
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

describe('a person can be erased (eraseSubject), and a legal hold prevents it', () => {
  const backupDir = join(temp.dir, 'backup');
  let wrapped: Buffer;

  it('before: the person reads normally (family, history, timeline, search)', async () => {
    expect((await family()).children[0]).toMatchObject({ id: CHILD, erased: false, givenName: CANARY.givenName, birthDate: '2011-05-05', medicalNeeds: CANARY.medicalNeeds });
    expect((await history()).find((event: { type: string }) => event.type === 'ChildRegistered').data.personal).toMatchObject({ givenName: CANARY.givenName });
    expect((await timeline()).find((entry: { type: string }) => entry.type === 'ChildRegistered').sentence).toContain(CANARY.givenName);
    await waitUntil('search to index the child', async () => (await searchHits(CANARY.givenName)).length === 1, 20_000);
    expect(await keyOf(CHILD)).toBe('alive');
    wrapped = wrappedKeyOf(CHILD);
    // A backup taken before the erasure (tracker backup: SQLite's online backup while it runs).
    await backupDataDir({ readModels: join(dataDir, 'read-models.sqlite'), events: join(dataDir, 'events.sqlite') }, backupDir);
  });

  it('a legal hold refuses erasure with LEGAL_HOLD and changes nothing (no event, key alive); lifted, erasure works', async () => {
    await ok('placeLegalHold', { familyId, holdId: 'hold-1', reason: 'COURT_ORDER', reference: 'file-77' });
    const before = (await family()).revision;
    const refused = await mutate('eraseSubject', { familyId, subjectId: CHILD, reason: 'SUBJECT_REQUEST' });
    expect(codeOf(refused)).toBe('LEGAL_HOLD');
    expect((await family()).revision).toBe(before);
    expect(await keyOf(CHILD)).toBe('alive');
    await ok('liftLegalHold', { familyId, holdId: 'hold-1' });
    await ok('eraseSubject', { familyId, subjectId: CHILD, reason: 'SUBJECT_REQUEST', reference: 'REQ-2024-7' });
    expect(await keyOf(CHILD)).toBe('erased');
  });

  it('after: family, history, timeline and search show the tombstone; the other person is untouched', async () => {
    const after = await family();
    expect(after.children[0]).toEqual({
      id: CHILD, erased: true, givenName: null, birthDate: null, nationality: 'HN', languages: null, medicalNeeds: null, custody: 'DETAINED',
      placementHistory: [{ change: 'DETAINED', on: '2023-01-16', facility: null }],
    });
    expect(after.relatives[0]).toEqual({ id: 'mother', erased: false, givenName: MOTHER, relationship: 'MOTHER' });
    const events = await history();
    expect(events.find((event: { type: string }) => event.type === 'ChildRegistered').data.personal).toEqual({ subjectId: CHILD, erased: true });
    expect(events.find((event: { type: string }) => event.type === 'SubjectErased').data).toEqual({ subjectId: CHILD, personKind: 'CHILD', reason: 'SUBJECT_REQUEST', personal: { subjectId: 'case:notes', reference: 'REQ-2024-7' } });
    expect(JSON.stringify(events)).not.toContain('Erasecanary');
    const lines = await timeline();
    expect(lines.find((entry: { type: string }) => entry.type === 'ChildRegistered').sentence).toBe(`Registered child ${CHILD} (erased), nationality HN.`);
    expect(lines.find((entry: { type: string }) => entry.type === 'SubjectErased').sentence).toBe(`Erased the personal data of ${CHILD} (subject request).`);
    expect((await timeline('es')).find((entry: { type: string }) => entry.type === 'ChildRegistered').sentence).toContain('(borrado)');
    await waitUntil('search to forget the child', async () => (await searchHits(CANARY.givenName)).length === 0 && (await searchHits(CANARY.curp)).length === 0, 20_000);
    expect(await searchHits(MOTHER)).toHaveLength(1);
  });

  it('the CLI\'s replay and export (with the lead\'s key: personal data included) show the person as erased', async () => {
    const config = loadConfig({ ...process.env, ...env });
    const store = openEncryptedEventStore(config);
    const readDb = new Database(join(dataDir, 'read-models.sqlite'), { readonly: true });
    try {
      const replayed = await replayFamily(store, familyId, {});
      expect(replayed?.children[0]).toMatchObject({ erased: true });
      const lines: string[] = [];
      await exportHistory(store, readDb, { familyId, apiKey: KEY, now: new Date(), write: (line) => lines.push(line) });
      const registered = lines.map((line) => JSON.parse(line) as { type: string; data: { personal?: unknown } }).find((line) => line.type === 'ChildRegistered');
      expect(registered?.data.personal).toEqual({ subjectId: CHILD, erased: true });
      expect(lines.join('\n')).not.toContain('Erasecanary');
      expect(lines.join('\n')).toContain(MOTHER);
    } finally {
      readDb.close();
      await store.close();
    }
  });

  it('erasing twice is refused (INVALID_TRANSITION) and records nothing; nothing personal is recorded about the person again', async () => {
    const before = (await family()).revision;
    expect(codeOf(await mutate('eraseSubject', { familyId, subjectId: CHILD, reason: 'SUBJECT_REQUEST' }))).toBe('INVALID_TRANSITION');
    expect(codeOf(await mutate('recordMedicalNeeds', { familyId, childId: CHILD, medicalNeeds: 'again' }))).toBe('INVALID_TRANSITION');
    expect((await family()).revision).toBe(before);
  });

  it('the canary and the wrapped key are in no file of the event store or the key store (raw bytes, -wal, -shm); the hash chain verifies', async () => {
    const canaries = Object.values(CANARY);
    const storeFiles = (name: string): boolean => name.includes('events.sqlite') || name.includes('data-keys.sqlite');
    for (const canary of canaries) expect(filesHolding(dataDir, canary, storeFiles), canary).toEqual([]);
    expect(filesHolding(keyDir, wrapped)).toEqual([]);
    for (const canary of canaries) expect(filesHolding(keyDir, canary), canary).toEqual([]);
    expect(dataOf(await ask('query($id: ID!) { verifyFamilyHistory(familyId: $id) { ok } }', { id: familyId })).verifyFamilyHistory.ok).toBe(true);
    await tracker.stop();
    const store = openEventStore(loadConfig({ ...process.env, ...env }).eventStore);
    const report = await verifyStreams(store, {}).finally(() => store.close());
    expect(report.broken).toEqual([]);
    for (const canary of canaries) expect(filesHolding(dataDir, canary, storeFiles), canary).toEqual([]);
  });

  it('the read models hold no canary either (sealed per person: what freed pages keep is ciphertext)', () => {
    for (const canary of Object.values(CANARY)) expect(filesHolding(dataDir, canary), canary).toEqual([]);
  });

  it('a rebuild of every read model from the events keeps the tombstone and indexes nothing of the person', async () => {
    for (const name of readdirSync(dataDir)) if (!name.startsWith('events.sqlite') && !name.startsWith('.')) rmSync(join(dataDir, name), { recursive: true, force: true });
    tracker = await startTrackerInProcess(env);
    await waitUntil('the rebuilt read models to show the family', async () => Boolean((await ask(FAMILY, { id: familyId })).data?.family), 30_000);
    expect((await family()).children[0]).toMatchObject({ id: CHILD, erased: true, givenName: null, birthDate: null, medicalNeeds: null });
    await waitUntil('search to index the mother again', async () => (await searchHits(MOTHER)).length === 1, 30_000);
    expect(await searchHits(CANARY.givenName)).toEqual([]);
    await tracker.stop();
  });

  it('a backup taken before the erasure, restored beside the current key store, cannot show the person', async () => {
    const restored = join(temp.dir, 'restored');
    mkdirSync(restored, { mode: 0o700 });
    // The documented restore of a damaged store: events.sqlite from the backup; the read models rebuild by themselves.
    copyFileSync(join(backupDir, 'events.sqlite'), join(restored, 'events.sqlite'));
    tracker = await startTrackerInProcess({ ...env, TRACKER_DATA_DIR: restored });
    await waitUntil('the restored tracker to show the family', async () => Boolean((await ask(FAMILY, { id: familyId })).data?.family), 30_000);
    expect((await family()).children[0]).toMatchObject({ id: CHILD, erased: true, givenName: null, birthDate: null, medicalNeeds: null });
    // The copy predates SubjectErased, but every personal part of the child opens as erased.
    const events = await history();
    expect(events.some((event: { type: string }) => event.type === 'SubjectErased')).toBe(false);
    expect(JSON.stringify(events)).not.toContain('Erasecanary');
    expect(events.find((event: { type: string }) => event.type === 'ChildRegistered').data.personal).toEqual({ subjectId: CHILD, erased: true });
    await tracker.stop();
  });

  it('a restored backup of the read models cannot show the person either (their values are sealed with the destroyed key)', async () => {
    const restored = join(temp.dir, 'restored-with-read-models');
    mkdirSync(restored, { mode: 0o700 });
    for (const name of readdirSync(backupDir)) copyFileSync(join(backupDir, name), join(restored, name));
    for (const canary of Object.values(CANARY)) expect(filesHolding(restored, canary), canary).toEqual([]);
    tracker = await startTrackerInProcess({ ...env, TRACKER_DATA_DIR: restored });
    await waitUntil('the restored tracker to show the family', async () => Boolean((await ask(FAMILY, { id: familyId })).data?.family), 30_000);
    expect((await family()).children[0]).toMatchObject({ id: CHILD, erased: true, givenName: null, birthDate: null, medicalNeeds: null });
    expect(JSON.stringify(await family())).not.toContain('Erasecanary');
    await tracker.stop();
  });
});

describe('an erasure interrupted between its event and the key destruction', () => {
  it('the key is destroyed at the next start (erasures projection, erasure sweep)', async () => {
    // The tracker is stopped: append SubjectErased for the mother as the writer would, then "crash" before destroying the key.
    const config = loadConfig({ ...process.env, ...env });
    const store = openEncryptedEventStore(config);
    const admin: Actor = { userId: 'system-admin', organizationId: 'system', role: 'ADMIN' };
    const lead = dataOf(await (async () => {
      tracker = await startTrackerInProcess(env);
      return ask('query($id: ID!) { family(id: $id) { leadOrganization { id } } }', { id: familyId });
    })()).family.leadOrganization.id as string;
    await tracker.stop();
    const now = new Date().toISOString();
    await executeFamilyCommand({ store, newEventId }, { type: 'EraseSubject', familyId, subjectId: 'mother', reason: 'GUARDIAN_REQUEST', actor: { ...admin, organizationId: lead }, issuedAt: now, occurredAt: now })
      .finally(() => store.close());
    expect(await keyOf('mother')).toBe('alive');
    tracker = await startTrackerInProcess(env);
    await waitUntil('the sweep to destroy the surviving key', async () => (await keyOf('mother')) === 'erased', 30_000);
    await waitUntil('the family to show the relative as erased', async () => (await family()).relatives[0].erased === true, 30_000);
    expect((await family()).relatives[0]).toEqual({ id: 'mother', erased: true, givenName: null, relationship: 'MOTHER' });
    expect(tracker.output()).toContain('survived an interrupted erasure');
    await tracker.stop();
  });
});

describe('a ciphertext swapped between two events in the SQLite file', () => {
  it('fails with an integrity error over HTTP, never shows the other person\'s data', async () => {
    const swapDir = makeTempDir('tracker-swap-');
    const swapEnv = { TRACKER_DATA_DIR: swapDir.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: KEY };
    try {
      tracker = await startTrackerInProcess(swapEnv);
      const id = (await ok('openFamilyCase', { programme: 'SEPARATED_FAMILY' })).family.id;
      await ok('registerChild', { familyId: id, childId: 'first', givenName: 'Swapcanaryfirst', birthDate: '2012-01-01', nationality: 'HN' });
      await ok('registerChild', { familyId: id, childId: 'second', givenName: 'Swapcanarysecond', birthDate: '2013-01-01', nationality: 'HN' });
      await tracker.stop();
      const db = new Database(join(swapDir.dir, 'events.sqlite'));
      db.exec('DROP TRIGGER events_are_never_updated');
      const rows = db.prepare("SELECT position, data FROM events WHERE type = 'ChildRegistered' ORDER BY position").all() as Array<{ position: number; data: string }>;
      const [first, second] = rows.map((row) => JSON.parse(row.data) as Record<string, unknown>);
      const update = db.prepare('UPDATE events SET data = ? WHERE position = ?');
      // Each child's sealed part moved to the other's event, with the subject it names made to match the event.
      const moved = (from: Record<string, unknown>, subjectId: string) => ({ ...(from['personal'] as object), subjectId });
      update.run(JSON.stringify({ ...first, personal: moved(second!, 'first') }), rows[0]!.position);
      update.run(JSON.stringify({ ...second, personal: moved(first!, 'second') }), rows[1]!.position);
      db.close();
      tracker = await startTrackerInProcess(swapEnv);
      for (const query of [
        'query($id: ID!) { familyHistory(familyId: $id) { edges { node { type data } } } }',
        'query($id: ID!) { family(id: $id) { timeline { edges { node { sentence } } } } }',
      ]) {
        const response = await postGraphQL(tracker.url, KEY, query, { id });
        expect(response.errors?.length, query).toBeGreaterThan(0);
        expect(JSON.stringify(response)).not.toMatch(/Swapcanary/);
      }
      expect(tracker.output()).toContain('SealedDataIntegrityError');
      await tracker.stop();
    } finally {
      swapDir.remove();
    }
  });
});

import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMasterKey } from '../../../infra/keys/master-key.js';
import { dataKeyContext, SqliteKeyStore, unwrap } from '../../../infra/keys/sqlite-key-store.js';
import { isSealedEnvelope, openBytes, type SealedEnvelope } from '../../../services/privacy/sealed-data.js';
import { dataOf, issueKey, postGraphQL } from '../../support/graphql-client.js';
import { startTrackerInProcess, type Tracker } from '../../support/in-process-tracker.js';
import { makeTempDir } from '../../support/temp-dir.js';

/**
 * Regression (issue 13): a store written by the release before data keys were named within
 * their family (test/fixtures/store-with-unqualified-keys: the demo plus two families whose
 * mother is `mother` in both, made with 8c7f440) sealed every `mother` with one key, `mother`.
 * The next release qualified new keys (`family-<id>/mother`) but opened the older envelopes with
 * the unqualified key, so erasing a person destroyed only her new key: her name still opened
 * from her older events through the unqualified key, which stayed. Now those envelopes open with
 * a copy per family, made at the first start, the unqualified keys are retired, and erasure
 * destroys the person's copy with her key. Limit (docs/ERASURE.md): where two families used the
 * same person id, their older envelopes were sealed with one key, and the other family's copy
 * is that key: only re-sealing those events (rewriting history) could separate them.
 */
const FIXTURE = new URL('../../fixtures/store-with-unqualified-keys/', import.meta.url).pathname;
const SYSTEM_ADMIN = 'trk_wGCwciDHvEZHdACnKRzGvCc8_pyK0nfMP0SpOX_jUNA';
const [ERASED_FAMILY, OTHER_FAMILY] = ['01a2332f-ef88-73b7-b7eb-c1cdfd77357c', '01a2332f-efcd-733b-932c-bc6c677b864a'] as const;
/** The demo's Elena: her id, `mother-elena`, is in no other family; her family was transferred to the demo's North Carolina organisation. */
const ELENAS_FAMILY = 'dfbce5cc-9c91-8f59-79a7-1b42e5f1904c';
const FAMILY = 'query($id: ID!) { family(id: $id) { relatives { id givenName erased } } }';
const HISTORY = 'query($id: ID!) { familyHistory(familyId: $id, first: 100) { edges { node { type data } } } }';

let tracker: Tracker;
let dataDir: string;
let keyDir: string;
let admin: string;
let elenasAdmin: string;

const masterKey = (): Buffer => loadMasterKey({ keyDir, masterKeyFile: undefined, masterKey: undefined }).key;

const startOnFixture = () => startTrackerInProcess({ TRACKER_DATA_DIR: dataDir, TRACKER_KEY_DIR: keyDir });
const query = async (text: string, variables: Record<string, unknown>, key = admin) => dataOf(await postGraphQL(tracker.url, key, text, variables));

/** The sealed envelope of the relative's RelativeAdded event in this family's stream, as stored. */
const storedEnvelope = (familyId: string, relativeId: string): { eventId: string; envelope: SealedEnvelope } => {
  const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
  try {
    const row = db.prepare("SELECT e.id AS event_id, e.data FROM events e JOIN streams s ON s.stream_id = e.stream_id WHERE s.name = ? AND e.type = 'RelativeAdded' AND json_extract(e.data, '$.relativeId') = ?")
      .get(`family-${familyId}`, relativeId) as { event_id: string; data: string };
    const personal = (JSON.parse(row.data) as { personal: unknown }).personal;
    if (!isSealedEnvelope(personal)) throw new Error('the fixture holds a sealed RelativeAdded');
    return { eventId: row.event_id, envelope: personal };
  } finally {
    db.close();
  }
};

/** Every key the key store still holds (unwrapped with its master key), by id: what a thief of both files would have. */
const everyAliveKey = (): Array<{ id: string; key: Buffer }> => {
  const db = new Database(join(keyDir, 'data-keys.sqlite'), { readonly: true });
  try {
    const rows = db.prepare('SELECT subject_id, wrapped FROM data_keys WHERE wrapped IS NOT NULL').all() as Array<{ subject_id: string; wrapped: Buffer }>;
    return rows.map((row) => ({ id: row.subject_id, key: unwrap(masterKey(), dataKeyContext(row.subject_id), row.wrapped)! }));
  } finally {
    db.close();
  }
};

/** The ids of the keys in the key store that open the relative's older envelope. */
const keysOpening = (familyId: string, relativeId: string): string[] => {
  const { eventId, envelope } = storedEnvelope(familyId, relativeId);
  return everyAliveKey().filter(({ key }) => {
    try {
      openBytes(key, { stream: `family-${familyId}`, eventId, subjectId: relativeId, path: 'personal' }, envelope);
      return true;
    } catch {
      return false;
    }
  }).map(({ id }) => id);
};

const erase = async (familyId: string, subjectId: string, key = admin) =>
  dataOf(await postGraphQL(tracker.url, key, 'mutation($input: EraseSubjectInput!) { eraseSubject(input: $input) { revision } }', {
    input: { familyId, subjectId, reason: 'SUBJECT_REQUEST' },
  }));

beforeAll(async () => {
  const root = makeTempDir('older-envelopes').dir;
  dataDir = join(root, 'data');
  keyDir = join(root, 'keys');
  mkdirSync(dataDir, { mode: 0o700 });
  mkdirSync(keyDir, { mode: 0o700 });
  copyFileSync(join(FIXTURE, 'events.sqlite'), join(dataDir, 'events.sqlite'));
  for (const file of ['data-keys.sqlite', 'master.key']) copyFileSync(join(FIXTURE, file), join(keyDir, file));
  tracker = await startOnFixture();
  admin = await issueKey(tracker.url, SYSTEM_ADMIN, 'demo-us-legal', 'older-envelopes-admin', 'ADMIN');
  elenasAdmin = await issueKey(tracker.url, SYSTEM_ADMIN, 'demo-nc-legal', 'older-envelopes-nc-admin', 'ADMIN');
}, 60_000);
afterAll(() => tracker?.stop());

describe('a store written before keys were named within their family', () => {
  it('reads as before: both mothers by name', async () => {
    expect(readFileSync(join(dataDir, 'events.sqlite')).includes('Legacymotherone')).toBe(false);
    expect((await query(FAMILY, { id: ERASED_FAMILY })).family.relatives).toEqual([{ id: 'mother', givenName: 'Legacymotherone', erased: false }]);
    expect((await query(FAMILY, { id: OTHER_FAMILY })).family.relatives).toEqual([{ id: 'mother', givenName: 'Legacymothertwo', erased: false }]);
  });

  it('keeps no key that opens every family\'s mother: the unqualified keys are retired at the first start', async () => {
    await tracker.stop();
    const keys = SqliteKeyStore.open(join(keyDir, 'data-keys.sqlite'), masterKey());
    try {
      expect(keys.aliveUnqualifiedKeys()).toEqual([]);
    } finally {
      await keys.close();
    }
    tracker = await startOnFixture();
    expect((await query(FAMILY, { id: OTHER_FAMILY })).family.relatives).toEqual([{ id: 'mother', givenName: 'Legacymothertwo', erased: false }]);
  });

  it('erases a person from her older events: no key left opens them', async () => {
    const relative = async () => (await query(FAMILY, { id: ELENAS_FAMILY }, elenasAdmin)).family.relatives.find((r: { id: string }) => r.id === 'mother-elena');
    const before = await relative();
    expect(before.givenName).toEqual(expect.any(String));
    expect(keysOpening(ELENAS_FAMILY, 'mother-elena')).toEqual([`family-${ELENAS_FAMILY}/mother-elena#unqualified`]);
    await erase(ELENAS_FAMILY, 'mother-elena', elenasAdmin);
    expect(await relative()).toEqual({ id: 'mother-elena', givenName: null, erased: true });
    expect(JSON.stringify((await query(HISTORY, { id: ELENAS_FAMILY }, elenasAdmin)).familyHistory)).not.toContain(before.givenName);
    expect(keysOpening(ELENAS_FAMILY, 'mother-elena')).toEqual([]);
  });

  it('erases the mother of one family and no one else where two families used her id', async () => {
    await erase(ERASED_FAMILY, 'mother');
    expect((await query(FAMILY, { id: ERASED_FAMILY })).family.relatives).toEqual([{ id: 'mother', givenName: null, erased: true }]);
    expect(JSON.stringify((await query(HISTORY, { id: ERASED_FAMILY })).familyHistory)).not.toContain('Legacymotherone');
    expect((await query(FAMILY, { id: OTHER_FAMILY })).family.relatives).toEqual([{ id: 'mother', givenName: 'Legacymothertwo', erased: false }]);
    expect(JSON.stringify((await query(HISTORY, { id: OTHER_FAMILY })).familyHistory)).toContain('Legacymothertwo');
    // The limit: both were sealed with one key, and the other family's copy is that key.
    expect(keysOpening(ERASED_FAMILY, 'mother')).toEqual([`family-${OTHER_FAMILY}/mother#unqualified`]);
  });
});

import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identifierForm } from '../../../projections/search/normalise.js';
import { termHasher } from '../../../projections/search/search-terms.js';
import { waitUntil } from '../../support/async.js';
import { dataOf, postGraphQL } from '../../support/graphql-client.js';
import { startTrackerInProcess, type Tracker } from '../../support/in-process-tracker.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { mutateOk } from '../../support/probe-support.js';

/**
 * Regression (found by a probe; issue 13 items 2-3, data at rest; an attacker with a copy of the disk): with the master
 * key kept off the disk (TRACKER_MASTER_KEY, or TRACKER_MASTER_KEY_FILE on a mounted secret, as
 * README advises), a copy of the data and key directories should open nothing personal: the data
 * keys in data-keys.sqlite are wrapped by the master key. But the blind-index key
 * (`search-index.key`) lies beside them unwrapped, and with it and search-index.sqlite every
 * guess can be tested offline, with the product's own hashing: an A-number has 10^9 values
 * (2,000 tested here in about 0.2 s of plain Node, so about a day on one core, far less on a
 * GPU), a phone number a few more, names a dictionary. The test enumerates a
 * range of A-numbers from the copy alone and finds the one recorded.
 */
const ADMIN = 'probe-blind-index-admin-key-012345678';
const A_NUMBER = '207654321';
const temp = makeTempDir('tracker-probe-blind-index-');
const dataDir = join(temp.dir, 'data');
const keyDir = join(temp.dir, 'keys');
let tracker: Tracker;

beforeAll(async () => {
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: dataDir, TRACKER_KEY_DIR: keyDir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN, TRACKER_MASTER_KEY: randomBytes(32).toString('base64') });
  const familyId = (await mutateOk(tracker.url, ADMIN, 'openFamilyCase', { programme: 'SEPARATED_FAMILY' })).family.id as string;
  await mutateOk(tracker.url, ADMIN, 'addRelative', { familyId, relativeId: 'mother', relationship: 'MOTHER', givenName: 'Blindcanary' });
  await mutateOk(tracker.url, ADMIN, 'recordIdentifier', { familyId, personId: 'mother', kind: 'A_NUMBER', value: A_NUMBER });
  await waitUntil('the search index to hold the A-number', async () => {
    const response = await postGraphQL(tracker.url, ADMIN, 'query($t: String!) { search(text: $t) { edges { node { personId } } } }', { t: A_NUMBER });
    return response.errors === undefined && dataOf(response).search.edges.length === 1;
  }, 20_000);
  await tracker.stop();
}, 60_000);
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

/** The A-numbers of `candidates` whose identifier term is among the index's postings, from the files alone. */
const recoverFromCopy = (candidates: readonly string[]): string[] => {
  // Whatever the file holds, read as the key in hex or base64 (after any `name:` prefix).
  const text = readFileSync(join(keyDir, 'search-index.key'), 'utf8').trim().replace(/^[a-z]+:/, '');
  const hashes = [Buffer.from(text, 'hex'), Buffer.from(text, 'base64')].filter((key) => key.length > 0).map((key) => termHasher(key));
  const db = new Database(join(dataDir, 'search-index.sqlite'), { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'search_postings%'").pluck().all() as string[];
    const terms = new Set(tables.flatMap((table) => (db.prepare(`SELECT term FROM ${table}`).pluck().safeIntegers().all() as bigint[]).map(String)));
    return candidates.filter((candidate) => hashes.some((hash) => terms.has(String(hash('identifier', identifierForm(candidate)!)))));
  } finally {
    db.close();
  }
};

describe('a copy of the data and key directories, without the master key', () => {
  it('holds no master key (it was supplied by the environment)', () => {
    expect(existsSync(join(keyDir, 'master.key'))).toBe(false);
  });

  it('does not let recorded identifiers be recovered by enumeration', () => {
    const candidates = Array.from({ length: 2_000 }, (_, i) => String(207_653_500 + i));
    expect(candidates).toContain(A_NUMBER);
    expect(recoverFromCopy(candidates)).toEqual([]);
  });
});

import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyStreams } from '../../../infra/cli/audit-tools.js';
import { SqliteEventStore } from '../../../infra/event-store/sqlite/sqlite-event-store.js';
import { SqliteKeyStore } from '../../../infra/keys/sqlite-key-store.js';
import type { RecordedEvent } from '../../../services/event-store/port.js';
import { evolve } from '../../../services/family/evolve.js';
import { initialFamilyState, type FamilyState } from '../../../services/family/state.js';
import { familyEventOf } from '../../../services/family/upcast.js';
import { EncryptingEventStore } from '../../../services/privacy/encrypting-event-store.js';
import { PersonalDataCipher } from '../../../services/privacy/personal-data-cipher.js';
import { loadCasePatternsInParallel } from '../../bench/parallel-case-pattern-load.js';
import type { CasePatternLoad } from '../../bench/case-pattern-load.js';
import { collect } from '../../support/async.js';
import { makeTempDir } from '../../support/temp-dir.js';

/**
 * The loader of `npm run bench:scale` (and of the interleaved rebuild in `npm run bench`) must
 * write what the tracker would store, only faster: commands decided on two worker threads and
 * sealed there by the real encrypting store with the real key store, appended by this thread
 * with hundreds in flight. Checked on a small load: every acknowledged event stored, each
 * family's revisions in order, every hash chain intact as `tracker verify` checks it, no given
 * name of the case patterns in the store's bytes, and every event opening with the key store
 * into the states the decider built.
 */
describe('the scale loader on worker threads (real encrypting store, real key store)', () => {
  const temp = makeTempDir('tracker-scale-loader-');
  const masterKey = randomBytes(32);
  const file = join(temp.dir, 'events.sqlite');
  const keyStoreFile = join(temp.dir, 'data-keys.sqlite');
  let loaded: CasePatternLoad;
  let stored: SqliteEventStore;
  let sealed: EncryptingEventStore;
  let events: RecordedEvent[];

  beforeAll(async () => {
    const keys = SqliteKeyStore.open(keyStoreFile, masterKey);
    const store = SqliteEventStore.open(file);
    const writer = new EncryptingEventStore(store, new PersonalDataCipher(keys), { alsoClose: () => keys.close() });
    loaded = await loadCasePatternsInParallel({ store, sealed: writer, keyStoreFile, masterKey, target: 3_000, open: 20, workers: 2 });
    await writer.close();
    stored = SqliteEventStore.open(file);
    const reader = SqliteKeyStore.open(keyStoreFile, masterKey);
    sealed = new EncryptingEventStore(stored, new PersonalDataCipher(reader), { alsoClose: () => reader.close() });
    events = await collect(stored.readAll());
  }, 120_000);
  afterAll(async () => {
    await sealed.close();
    temp.remove();
  });

  it('stores every acknowledged family event, each family in revision order from 0', () => {
    const families = events.filter((event) => event.stream.startsWith('family-'));
    expect(families.length).toBe(loaded.events);
    expect(loaded.events).toBeGreaterThanOrEqual(3_000);
    const next = new Map<string, number>();
    for (const event of families) {
      expect(event.revision).toBe(next.get(event.stream) ?? 0);
      next.set(event.stream, event.revision + 1);
    }
    expect(next.size).toBe(loaded.families);
    expect(next.get(`family-${loaded.longest.familyId}`)).toBe(loaded.longest.events);
  });

  it('interleaves the families of both workers in the store', () => {
    const streams = events.filter((event) => event.stream.startsWith('family-')).slice(0, 200).map((event) => event.stream);
    const switches = streams.filter((stream, i) => i > 0 && stream !== streams[i - 1]).length;
    expect(switches).toBeGreaterThan(100);
  });

  it('chains every stream over the stored, sealed form (tracker verify finds no break)', async () => {
    const report = await verifyStreams(stored, {});
    expect(report.broken).toEqual([]);
    expect(report.events).toBeGreaterThanOrEqual(loaded.events);
  });

  it('seals personal data with the key store: no given name in the store, every family opens into the decided state', async () => {
    const files = [file, `${file}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f));
    for (const name of ['Lupita', 'Rosa', 'Reyes', 'Ramón']) expect(files.some((bytes) => bytes.includes(Buffer.from(name, 'utf8'))), name).toBe(false);
    let state: FamilyState = initialFamilyState;
    let opened = 0;
    for await (const event of sealed.readStream(`family-${loaded.longest.familyId}`)) {
      state = evolve(state, familyEventOf(event));
      opened += 1;
    }
    expect(opened).toBe(loaded.longest.events);
    const names = [...state.children.values()].map((child) => child.givenName);
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((name) => typeof name === 'string' && name.length > 0)).toBe(true);
  });
});

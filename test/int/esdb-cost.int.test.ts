import { randomBytes } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EsdbEventStore } from '../../infra/event-store/esdb/esdb-event-store.js';
import { SqliteEventStore } from '../../infra/event-store/sqlite/sqlite-event-store.js';
import { PROJECTIONS } from '../../projections/all-projections.js';
import { familiesProjection } from '../../projections/families/families-projection.js';
import { physicalTable } from '../../projections/projection.js';
import { Projector } from '../../projections/projector.js';
import { openReadModelDatabase } from '../../projections/read-model-database.js';
import type { EventStore } from '../../services/event-store/port.js';
import { EsdbProtocolTestServer } from '../support/esdb-protocol-test-server.js';
import { loadFamilies } from '../support/family-load.js';
import { dataOf, issueKey, postGraphQL, registerOrganization } from '../support/graphql-client.js';
import { startTrackerInProcess } from '../support/in-process-tracker.js';
import { makeTempDir } from '../support/temp-dir.js';

/**
 * What the EventStoreDB adapter costs against the embedded store, measured in the same run on
 * the same machine: loading families (one append each), a full rebuild of the read models, and
 * an HTTP mutation end to end (read the stream, decide, append, wait for the read model). The
 * EventStoreDB side goes through the real client and gRPC on loopback to the protocol test
 * server, so it measures the adapter and the protocol, not EventStoreDB's own storage.
 */
const FAMILIES = 500;
const EVENTS_PER_FAMILY = 20;
const MUTATIONS = 40;
const KEY = 'cost-admin-key-0123456789abcdefgh';

interface Figures { load: number; events: number; rebuildMs: number; families: number; mutationMs: number; readModelBytes: number; eventBytes: number }
const figures: Record<string, Figures> = {};
const temps: Array<{ remove: () => void }> = [];
afterAll(() => {
  for (const temp of temps) temp.remove();
});

const measure = async (kind: string, open: (trackerDir: string) => Promise<{ store: EventStore; env: Record<string, string>; close: () => Promise<void> }>) => {
  const temp = makeTempDir(`tracker-cost-${kind}-`);
  temps.push(temp);
  const trackerDir = join(temp.dir, 'tracker');
  const target = await open(trackerDir);
  try {
    let started = performance.now();
    const events = await loadFamilies(target.store, FAMILIES, EVENTS_PER_FAMILY);
    const load = performance.now() - started;

    const db = openReadModelDatabase(join(temp.dir, 'rebuild.sqlite'));
    started = performance.now();
    await new Projector(target.store, db, PROJECTIONS, () => undefined).catchUp();
    const rebuildMs = performance.now() - started;
    const { n } = db.prepare(`SELECT count(*) AS n FROM ${physicalTable('families', familiesProjection.version)}`).get() as { n: number };
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const readModelBytes = statSync(join(temp.dir, 'rebuild.sqlite')).size;
    let eventBytes = 0;
    for await (const event of target.store.readAll()) eventBytes += Buffer.byteLength(JSON.stringify(event.data)) + Buffer.byteLength(JSON.stringify(event.metadata));

    const tracker = await startTrackerInProcess({ ...target.env, TRACKER_DATA_DIR: trackerDir, TRACKER_BOOTSTRAP_ADMIN_KEY: KEY, TRACKER_RATE_LIMIT_REQUESTS: '0' });
    try {
      await registerOrganization(tracker.url, KEY, 'cost-org');
      const advocate = await issueKey(tracker.url, KEY, 'cost-org', 'cost-advocate', 'ADVOCATE');
      const familyId = dataOf(await postGraphQL(tracker.url, advocate, 'mutation { openFamilyCase(input: { programme: SIJ }) { family { id } } }')).openFamilyCase.family.id as string;
      const add = (k: number) => postGraphQL(tracker.url, advocate, 'mutation($input: AddRelativeInput!) { addRelative(input: $input) { revision } }', {
        input: { familyId, relativeId: `cost-${String(k)}`, relationship: 'AUNT', givenName: `Aunt ${String(k)}` },
      });
      const warmUp = await add(-1);
      if (warmUp.errors) throw new Error(`warm-up mutation failed: ${JSON.stringify(warmUp.errors)}`);
      started = performance.now();
      for (let k = 0; k < MUTATIONS; k += 1) dataOf(await add(k));
      const mutationMs = (performance.now() - started) / MUTATIONS;
      figures[kind] = { load, events, rebuildMs, families: n, mutationMs, readModelBytes, eventBytes };
    } finally {
      await tracker.stop();
    }
  } finally {
    await target.close();
  }
};

describe('cost of the EventStoreDB adapter against the embedded store (same run)', () => {
  it('loads, rebuilds and mutates on both; prints the figures', async () => {
    await measure('sqlite', (trackerDir) => {
      mkdirSync(trackerDir, { recursive: true });
      // The tracker's own file: it serves the families loaded here (both connections are WAL).
      const store = SqliteEventStore.open(join(trackerDir, 'events.sqlite'));
      return Promise.resolve({ store, env: {}, close: () => store.close() });
    });
    const server = await EsdbProtocolTestServer.start();
    await measure('esdb', () => {
      const store = EsdbEventStore.connect(server.connectionString);
      return Promise.resolve({ store, env: { EVENTSTORE_CONNECTION_STRING: server.connectionString, TRACKER_MASTER_KEY: randomBytes(32).toString('hex') }, close: () => store.close() });
    });
    await server.stop();

    const line = (kind: string) => {
      const f = figures[kind]!;
      return `${kind.padEnd(7)} load ${String(Math.round(f.load))} ms (${String(Math.round((f.load * 1000) / FAMILIES))} µs/append of ${String(EVENTS_PER_FAMILY)} events) | rebuild ${String(Math.round(f.rebuildMs))} ms for ${String(f.events)} events (${String(Math.round(f.events / (f.rebuildMs / 1000)))} events/s) | mutation ${f.mutationMs.toFixed(1)} ms | read models ${String(Math.round(f.readModelBytes / f.families))} B/family | event data+metadata ${String(Math.round(f.eventBytes / f.events))} B/event`;
    };
    const ratio = (pick: (f: Figures) => number) => (pick(figures['esdb']!) / pick(figures['sqlite']!)).toFixed(1);
    console.warn(
      `\n[cost] ${line('sqlite')}\n[cost] ${line('esdb')}\n[cost] adapter/SQLite: load x${ratio((f) => f.load)}, rebuild x${ratio((f) => f.rebuildMs)}, mutation x${ratio((f) => f.mutationMs)}\n`,
    );
    expect(figures['sqlite']!.families).toBe(FAMILIES);
    expect(figures['esdb']!.families).toBe(FAMILIES);
    expect(figures['esdb']!.events).toBe(figures['sqlite']!.events);
  });
});

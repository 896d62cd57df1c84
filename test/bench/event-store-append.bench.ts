import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { newEventId } from '../../infra/event-store/event-id.js';
import type { EventToAppend, JsonObject } from '../../services/event-store/port.js';
import { openDurableDatabase } from '../../infra/event-store/sqlite/open-database.js';
import { SqliteEventStore } from '../../infra/event-store/sqlite/sqlite-event-store.js';
import { makeTempDir } from '../support/temp-dir.js';
import { formatRate, formatRatio, perSecond, type BenchRow } from './table.js';

const STREAMS = 1_000;
/** The run alternates store and raw in slices, so drift in machine load hits both alike. */
const SLICES = 10;

/** About 300 bytes of JSON, shaped like a real event's facts. */
const payload = (n: number): JsonObject => ({
  childId: '0190f3a2-7c1e-7b3e-9d4a-2f6c8e1b5a90',
  facilityCode: `ORR-TX-${String(n % 97)}`,
  agency: 'ORR',
  occurredOn: '2024-03-02',
  contactResult: 'NO_ANSWER',
  channel: 'PHONE',
  attempt: n,
  notesRef: 'c3d1e2f4-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
  padding: 'x'.repeat(90),
});

interface Lane {
  /** Appends `count` events in transactions of `batch`, returns the milliseconds taken. */
  run(firstIndex: number, count: number, batch: number): Promise<number>;
  close(): Promise<void>;
}

/**
 * The events of a slice, built before the clock starts: building them (ids, payloads) is the
 * caller's work in both lanes; what is timed is storing them durably.
 */
const buildSlice = (firstIndex: number, count: number, batch: number): EventToAppend[][] =>
  Array.from({ length: count / batch }, (_, b) =>
    Array.from({ length: batch }, (_, k) => ({
      id: newEventId(),
      type: 'ContactAttemptMade',
      data: payload(firstIndex + b * batch + k),
      metadata: { schemaVersion: 1, commandId: '0190f3a2-7c1e-7b3e-9d4a-2f6c8e1b5a91' },
    })),
  );

const streamOf = (firstIndex: number, batch: number): number => (firstIndex / batch) % STREAMS;

const storeLane = (file: string): Lane => {
  const store = SqliteEventStore.open(file);
  const revisions = new Array<number>(STREAMS).fill(-1);
  return {
    async run(firstIndex, count, batch) {
      const batches = buildSlice(firstIndex, count, batch);
      const started = performance.now();
      for (const [b, events] of batches.entries()) {
        const streamIndex = streamOf(firstIndex + b * batch, batch);
        const revision = revisions[streamIndex] ?? -1;
        const result = await store.appendToStream(`family-${String(streamIndex)}`, events, {
          expectedRevision: revision === -1 ? 'no_stream' : revision,
        });
        revisions[streamIndex] = result.nextExpectedRevision;
      }
      return performance.now() - started;
    },
    close: () => store.close(),
  };
};

/**
 * The baseline: the same events (id, stream, type, data, metadata) as plain rows of one
 * table with the same durability settings: no index but the rowid, no checks, no revisions.
 */
const rawLane = (file: string): Lane => {
  const db: Database.Database = openDurableDatabase(file);
  db.pragma('cache_size = -2000'); db.pragma('wal_autocheckpoint = 1000');
  db.exec(
    'CREATE TABLE raw (rowid INTEGER PRIMARY KEY, id TEXT, stream TEXT, type TEXT, data TEXT, metadata TEXT)',
  );
  const insert = db.prepare('INSERT INTO raw (id, stream, type, data, metadata) VALUES (?, ?, ?, ?, ?)');
  const write = db.transaction((stream: string, events: EventToAppend[]) => {
    for (const event of events) {
      insert.run(event.id, stream, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata));
    }
  });
  return {
    run(firstIndex, count, batch) {
      const batches = buildSlice(firstIndex, count, batch);
      const started = performance.now();
      for (const [b, events] of batches.entries()) {
        write.immediate(`family-${String(streamOf(firstIndex + b * batch, batch))}`, events);
      }
      return Promise.resolve(performance.now() - started);
    },
    close: () => {
      db.close();
      return Promise.resolve();
    },
  };
};

const compare = async (events: number, batch: number, dir: string): Promise<{ store: number; raw: number }> => {
  const store = storeLane(join(dir, `store-${String(batch)}.sqlite`));
  const raw = rawLane(join(dir, `raw-${String(batch)}.sqlite`));
  const slice = events / SLICES;
  let storeMs = 0;
  let rawMs = 0;
  for (let s = 0; s < SLICES; s += 1) {
    rawMs += await raw.run(s * slice, slice, batch);
    storeMs += await store.run(s * slice, slice, batch);
  }
  await store.close();
  await raw.close();
  return { store: perSecond(events, storeMs), raw: perSecond(events, rawMs) };
};

export const benchEventStoreAppends = async (events: number): Promise<BenchRow[]> => {
  const temp = makeTempDir('tracker-bench-');
  try {
    const single = await compare(events, 1, temp.dir);
    const batched = await compare(events, 100, temp.dir);
    return [
      {
        benchmark: `append 1 event/txn (${events.toLocaleString('en-US')} events, ${String(STREAMS)} streams)`,
        value: formatRate(single.store, 'ev/s'),
        baseline: `${formatRate(single.raw, 'ev/s')} raw insert`,
        ratio: formatRatio(single.store, single.raw),
        target: '>= 70%',
      },
      {
        benchmark: `append 100 events/txn (${events.toLocaleString('en-US')} events)`,
        value: formatRate(batched.store, 'ev/s'),
        baseline: `${formatRate(batched.raw, 'ev/s')} raw insert`,
        ratio: formatRatio(batched.store, batched.raw),
        target: '>= 80%',
      },
    ];
  } finally {
    temp.remove();
  }
};

/** Concurrent writers: each appends single events to its own streams, awaiting each append. */
const concurrentStoreRun = async (
  store: SqliteEventStore,
  revisions: Map<string, number>,
  writers: number,
  eventsPerWriter: number,
  offset: number,
): Promise<number> => {
  const slices = Array.from({ length: writers }, (_, w) => buildSlice(offset + w * eventsPerWriter, eventsPerWriter, 1));
  const started = performance.now();
  await Promise.all(
    slices.map(async (batches, w) => {
      for (const [b, events] of batches.entries()) {
        const stream = `w${String(w)}-${String(b % 8)}`;
        const revision = revisions.get(stream);
        const result = await store.appendToStream(stream, events, { expectedRevision: revision ?? 'no_stream' });
        revisions.set(stream, result.nextExpectedRevision);
      }
    }),
  );
  return performance.now() - started;
};

export interface ConcurrentAppendFigures {
  readonly writers: number;
  readonly store: number;
  readonly raw: number;
  readonly largestGroup: number;
}

/**
 * Single-event appends from 1, 8, 32, 128 concurrent writers against the raw ceiling: one
 * plain insert per fsynced transaction (raw better-sqlite3 cannot share a commit between
 * callers). Store and raw alternate in slices, like the sequential benchmark.
 */
export const measureConcurrentAppends = async (writerCounts: readonly number[], events: number): Promise<ConcurrentAppendFigures[]> => {
  const temp = makeTempDir('tracker-bench-concurrent-');
  try {
    const figures: ConcurrentAppendFigures[] = [];
    for (const writers of writerCounts) {
      const store = SqliteEventStore.open(join(temp.dir, `store-c${String(writers)}.sqlite`));
      const raw = rawLane(join(temp.dir, `raw-c${String(writers)}.sqlite`));
      const perSlice = Math.max(writers, Math.floor(events / SLICES / writers) * writers);
      const revisions = new Map<string, number>();
      let storeMs = 0;
      let rawMs = 0;
      for (let s = 0; s < SLICES / 2; s += 1) {
        rawMs += await raw.run(s * perSlice, perSlice, 1);
        storeMs += await concurrentStoreRun(store, revisions, writers, perSlice / writers, s * perSlice);
      }
      figures.push({
        writers,
        store: perSecond(perSlice * (SLICES / 2), storeMs),
        raw: perSecond(perSlice * (SLICES / 2), rawMs),
        largestGroup: store.groupCommitStats().largestGroup,
      });
      await store.close();
      await raw.close();
    }
    return figures;
  } finally {
    temp.remove();
  }
};

/** The raw ceiling alone: `count` single plain inserts, each its own fsynced transaction, in ev/s. */
export const measureRawSingleInserts = async (dir: string, count: number): Promise<number> => {
  const raw = rawLane(join(dir, `raw-single-${String(Date.now())}-${String(Math.random()).slice(2, 8)}.sqlite`));
  try {
    return perSecond(count, await raw.run(0, count, 1));
  } finally {
    await raw.close();
  }
};

export const benchConcurrentAppends = async (events: number): Promise<BenchRow[]> =>
  (await measureConcurrentAppends([1, 8, 32, 128], events)).map((figure) => ({
    benchmark: `append 1 event/txn, ${String(figure.writers)} concurrent writers (largest group ${String(figure.largestGroup)})`,
    value: formatRate(figure.store, 'ev/s'),
    baseline: `${formatRate(figure.raw, 'ev/s')} raw FULL single inserts`,
    ratio: formatRatio(figure.store, figure.raw),
    target: figure.writers === 1 ? '>= 70%' : figure.writers >= 32 ? '>= 500%' : 'report',
  }));

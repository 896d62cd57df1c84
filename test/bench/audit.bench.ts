import { verifyStreams, type VerifyReport } from '../../infra/cli/audit-tools.js';
import { SqliteEventStore } from '../../infra/event-store/sqlite/sqlite-event-store.js';
import { familyAt } from '../../services/family/family-history.js';
import { familyEvents } from '../support/family-load.js';
import { formatRate, formatRatio, perSecond, type BenchRow } from './table.js';

const BIG_FAMILY_EVENTS = 10_002;
const RUNS = 15;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

const timed = async (run: () => Promise<unknown>): Promise<number> => {
  const started = performance.now();
  await run();
  return performance.now() - started;
};

/**
 * The auditors' reads: verifying every hash chain in the store against a plain read of the same
 * events, and `family(asOf)` on a family of 10,000 events against a plain read of its stream.
 */
export const benchAudit = async (eventsFile: string): Promise<BenchRow[]> => {
  const store = SqliteEventStore.open(eventsFile);
  try {
    let read = 0;
    const rawMs = await timed(async () => {
      for await (const _event of store.readAll()) read += 1;
    });
    let report: VerifyReport = { streams: 0, events: 0, broken: [], seal: '' };
    const verifyMs = await timed(async () => {
      report = await verifyStreams(store, {});
    });
    if (report.broken.length > 0) throw new Error('verify benchmark: the loaded store does not verify');

    const big = familyEvents(9_999_999, 7, BIG_FAMILY_EVENTS);
    await store.appendToStream(big.stream, big.sealed as never, { expectedRevision: 'no_stream' });
    const readTimes: number[] = [];
    const foldTimes: number[] = [];
    // As known just after its last event was recorded: the whole stream is folded.
    const asOf = new Date(Date.parse(big.sealed.at(-1)!.metadata.recordedAt) + 1).toISOString();
    for (let run = 0; run < RUNS; run += 1) {
      readTimes.push(await timed(async () => {
        for await (const _event of store.readStream(big.stream));
      }));
      foldTimes.push(await timed(() => familyAt(store.readStream(big.stream), { asOf })));
    }
    const verifyRate = perSecond(report.events, verifyMs);
    const readRate = perSecond(read, rawMs);
    return [
      {
        benchmark: `verify every hash chain (${report.events.toLocaleString('en-US')} events)`,
        value: formatRate(verifyRate, 'ev/s'),
        baseline: `${formatRate(readRate, 'ev/s')} plain read of $all`,
        ratio: formatRatio(verifyRate, readRate),
        target: '-',
      },
      {
        benchmark: `family(asOf) on a family of ${big.sealed.length.toLocaleString('en-US')} events, p50 of ${String(RUNS)}`,
        value: `${median(foldTimes).toFixed(1)} ms`,
        baseline: `${median(readTimes).toFixed(1)} ms plain stream read`,
        ratio: formatRatio(1 / median(foldTimes), 1 / median(readTimes)),
        target: '-',
      },
    ];
  } finally {
    await store.close();
  }
};

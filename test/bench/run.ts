/**
 * `npm run bench`: every benchmark, each beside a baseline measured in the same run, printed
 * as one table. Figures are ratios because the machines are shared and noisy; absolute
 * numbers are shown for context only. BENCH_EVENTS scales the event counts down for a quick look.
 */
import { benchEventStoreAppends } from './event-store-append.bench.js';
import { formatTable, type BenchRow } from './table.js';

const events = Number(process.env['BENCH_EVENTS'] ?? 100_000);

const rows: BenchRow[] = [];
const step = async (name: string, run: () => Promise<BenchRow[]>): Promise<void> => {
  process.stderr.write(`running ${name}...\n`);
  rows.push(...(await run()));
};

await step('event-store appends', () => benchEventStoreAppends(events));

process.stdout.write(`\n${formatTable(rows)}\n`);

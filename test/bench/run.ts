/**
 * `npm run bench`: every benchmark, each beside a baseline measured in the same run, printed
 * as one table. Figures are ratios because the machines are shared and noisy; absolute
 * numbers are shown for context only. BENCH_EVENTS scales the append benchmark, BENCH_FAMILIES
 * the read-side data set (families of about 20 events), BENCH_HTTP_SECONDS the load duration,
 * BENCH_SUBSCRIBERS and BENCH_CHANGES the subscription fan-out, BENCH_INTERLEAVED_EVENTS the
 * rebuild of real-shaped interleaved families (default 100,000 events; sealed as the tracker runs), `--scale N` (or BENCH_SEARCH_PEOPLE)
 * the people in the search index (default 20,000; the issue's figure is `npm run bench -- --scale 100000`).
 * `npm run bench -- --only appends,concurrent` runs only the named steps (STEP_NAMES).
 * `encryption` (issue 13): appends, rebuild and families(first: 50) with and without encryption
 * at rest (encryption.bench.ts; BENCH_ENCRYPTION_FAMILIES, BENCH_ENCRYPTION_READ_FAMILIES).
 */
import { join } from 'node:path';
import { SqliteEventStore } from '../../infra/event-store/sqlite/sqlite-event-store.js';
import { loadFamilies } from '../support/family-load.js';
import { makeTempDir } from '../support/temp-dir.js';
import { benchAudit } from './audit.bench.js';
import { benchConcurrentAppends, benchEventStoreAppends } from './event-store-append.bench.js';
import { benchEncryption } from './encryption.bench.js';
import { benchCommandHandler } from './commands.bench.js';
import { benchGraphqlHttp } from './graphql-http.bench.js';
import { benchMutations } from './mutations.bench.js';
import { benchInterleavedRebuild, benchProjectionRebuild } from './projection-rebuild.bench.js';
import { benchSearch, searchScale } from './search.bench.js';
import { benchSubscriptions } from './subscriptions.bench.js';
import { issueTableRows } from './issue-table.js';
import { formatTable, type BenchRow } from './table.js';

const events = Number(process.env['BENCH_EVENTS'] ?? 100_000);
const families = Number(process.env['BENCH_FAMILIES'] ?? 11_500);

const STEP_NAMES = ['appends', 'concurrent', 'commands', 'rebuild', 'interleaved', 'graphql', 'audit', 'mutations', 'search', 'subscriptions', 'encryption'] as const;
type StepName = (typeof STEP_NAMES)[number];

const selected = ((): ReadonlySet<StepName> => {
  const index = process.argv.indexOf('--only');
  if (index === -1) return new Set(STEP_NAMES);
  const names = (process.argv[index + 1] ?? '').split(',').filter((name) => name !== '');
  const unknown = names.filter((name) => !(STEP_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new Error(`--only takes a comma-separated list of: ${STEP_NAMES.join(', ')}`);
  }
  return new Set(names as StepName[]);
})();

const rows: BenchRow[] = [];
const step = async (name: StepName, run: () => Promise<BenchRow[]>): Promise<void> => {
  if (!selected.has(name)) return;
  process.stderr.write(`running ${name}...\n`);
  rows.push(...(await run()));
};

await step('appends', () => benchEventStoreAppends(events));
await step('concurrent', () => benchConcurrentAppends(Math.min(events, 40_000)));
await step('commands', () => benchCommandHandler());

if (['rebuild', 'graphql', 'audit'].some((name) => selected.has(name as StepName))) {
  const temp = makeTempDir('tracker-bench-read-');
  try {
    const eventsFile = join(temp.dir, 'events.sqlite');
    process.stderr.write(`loading ${String(families)} families...\n`);
    const store = SqliteEventStore.open(eventsFile);
    const loaded = await loadFamilies(store, families, 20);
    await store.close();
    process.stderr.write(`loaded ${String(loaded)} events\n`);
    await step('rebuild', () => benchProjectionRebuild(eventsFile, temp.dir));
    await step('graphql', () => benchGraphqlHttp(eventsFile, temp.dir));
    await step('audit', () => benchAudit(eventsFile));
  } finally {
    temp.remove();
  }
}
if (selected.has('interleaved')) {
  const temp = makeTempDir('tracker-bench-interleaved-');
  try {
    await step('interleaved', () => benchInterleavedRebuild(temp.dir, Number(process.env['BENCH_INTERLEAVED_EVENTS'] ?? 100_000)));
  } finally {
    temp.remove();
  }
}
await step('mutations', benchMutations);
await step('search', () => benchSearch(searchScale(process.argv)));
await step('subscriptions', () => benchSubscriptions(Number(process.env['BENCH_SUBSCRIBERS'] ?? 500), Number(process.env['BENCH_CHANGES'] ?? 1_000)));
await step('encryption', () => benchEncryption());

process.stdout.write(`\n${formatTable(rows)}\n`);
process.stdout.write(`\nIssue 17's table, row by row (the same figures):\n${formatTable(issueTableRows(rows, selected))}\n`);

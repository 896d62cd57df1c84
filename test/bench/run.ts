/**
 * `npm run bench`: every benchmark, each beside a baseline measured in the same run, printed
 * as one table. Figures are ratios because the machines are shared and noisy; absolute
 * numbers are shown for context only. BENCH_EVENTS scales the append benchmark, BENCH_FAMILIES
 * the read-side data set (families of about 20 events), BENCH_HTTP_SECONDS the load duration,
 * BENCH_SUBSCRIBERS and BENCH_CHANGES the subscription fan-out, `--scale N` (or BENCH_SEARCH_PEOPLE)
 * the people in the search index (default 20,000; the figure is `npm run bench -- --scale 100000`).
 */
import { join } from 'node:path';
import { SqliteEventStore } from '../../infra/event-store/sqlite/sqlite-event-store.js';
import { loadFamilies } from '../support/family-load.js';
import { makeTempDir } from '../support/temp-dir.js';
import { benchAudit } from './audit.bench.js';
import { benchEventStoreAppends } from './event-store-append.bench.js';
import { benchGraphqlHttp } from './graphql-http.bench.js';
import { benchMutations } from './mutations.bench.js';
import { benchProjectionRebuild } from './projection-rebuild.bench.js';
import { benchSearch, searchScale } from './search.bench.js';
import { benchSubscriptions } from './subscriptions.bench.js';
import { formatTable, type BenchRow } from './table.js';

const events = Number(process.env['BENCH_EVENTS'] ?? 100_000);
const families = Number(process.env['BENCH_FAMILIES'] ?? 11_500);

const rows: BenchRow[] = [];
const step = async (name: string, run: () => Promise<BenchRow[]>): Promise<void> => {
  process.stderr.write(`running ${name}...\n`);
  rows.push(...(await run()));
};

await step('event-store appends', () => benchEventStoreAppends(events));

const temp = makeTempDir('tracker-bench-read-');
try {
  const eventsFile = join(temp.dir, 'events.sqlite');
  process.stderr.write(`loading ${String(families)} families...\n`);
  const store = SqliteEventStore.open(eventsFile);
  const loaded = await loadFamilies(store, families, 20);
  await store.close();
  process.stderr.write(`loaded ${String(loaded)} events\n`);
  await step('projection rebuild', () => benchProjectionRebuild(eventsFile, temp.dir));
  await step('GraphQL over HTTP', () => benchGraphqlHttp(eventsFile, temp.dir));
  await step('auditors: verify and asOf', () => benchAudit(eventsFile));
} finally {
  temp.remove();
}
await step('mutations over HTTP', benchMutations);
await step('search latency', () => benchSearch(searchScale(process.argv)));
await step('subscription fan-out', () => benchSubscriptions(Number(process.env['BENCH_SUBSCRIBERS'] ?? 500), Number(process.env['BENCH_CHANGES'] ?? 1_000)));

process.stdout.write(`\n${formatTable(rows)}\n`);

import type { BenchRow } from './table.js';

/**
 * The rows of issue 17's table ("Speed where users feel it"), in its order, each with the step
 * of `npm run bench` that measures it and the pattern of that step's row. `npm run bench` prints
 * them as a second table after all rows, so every row of the issue shows with its same-run
 * baseline and ratio; a row whose step ran but printed nothing matching is MISSING (a renamed
 * or dropped benchmark), one whose step was left out by `--only` says so.
 */
const ISSUE_ROWS: ReadonlyArray<{ readonly row: string; readonly step: string; readonly pattern: RegExp }> = [
  { row: 'durable single appends through the store, 1 writer', step: 'appends', pattern: /^append 1 event\/txn \(/ },
  ...[1, 8, 32, 128].map((writers) => ({ row: `single appends, ${String(writers)} concurrent writers`, step: 'concurrent', pattern: new RegExp(`^append 1 event/txn, ${String(writers)} concurrent writers`) })),
  ...[32, 128].map((writers) => ({ row: `command handler (read, fold, decide, append), ${String(writers)} writers`, step: 'commands', pattern: new RegExp(`^command handler .*, ${String(writers)} writers`) })),
  ...[1, 8, 32, 128].map((clients) => ({ row: `recordContactAttempt mutations over HTTP, ${String(clients)} clients (p99 in the value)`, step: 'mutations', pattern: new RegExp(`^recordContactAttempt over HTTP, ${String(clients)} clients`) })),
  { row: 'batches of 100', step: 'appends', pattern: /^append 100 events\/txn/ },
  { row: 'projection rebuild, bench layout', step: 'rebuild', pattern: /^projection rebuild, bench layout/ },
  { row: 'projection rebuild, families shaped like real cases (interleaved)', step: 'interleaved', pattern: /^projection rebuild, real-shaped families/ },
  { row: 'family(id) of a family with a long history vs a short one', step: 'graphql', pattern: /^family\(id\) with \d+ events of history/ },
  { row: 'families(first: 50) nested, 10 connections, vs bare yoga', step: 'graphql', pattern: /^families\(first: 50\) nested, HTTP/ },
  { row: 'families(first: 50) p50 / p99', step: 'graphql', pattern: /^families\(first: 50\) latency/ },
];

export const issueTableRows = (rows: readonly BenchRow[], ran: ReadonlySet<string>): BenchRow[] =>
  ISSUE_ROWS.map(({ row, step, pattern }) => {
    const found = rows.find((measured) => pattern.test(measured.benchmark));
    if (found) return { ...found, benchmark: row };
    const why = ran.has(step) ? `MISSING: step ${step} ran but printed no such row` : `not run (--only without ${step})`;
    return { benchmark: row, value: why, baseline: '-', ratio: '-', target: '-' };
  });

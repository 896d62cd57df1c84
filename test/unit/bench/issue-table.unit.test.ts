import { describe, expect, it } from 'vitest';
import { issueTableRows } from '../../bench/issue-table.js';
import type { BenchRow } from '../../bench/table.js';

const row = (benchmark: string): BenchRow => ({ benchmark, value: `v ${benchmark}`, baseline: 'b', ratio: '50%', target: 't' });

describe("npm run bench: issue 17's table row by row", () => {
  it('gives every row of the issue its measured figure, in the issue order', () => {
    const rows = [
      row('append 100 events/txn (100 events)'),
      row('append 1 event/txn (100 events, 1000 streams)'),
      row('append 1 event/txn, 8 concurrent writers (largest group 8)'),
      row('recordContactAttempt over HTTP, 128 clients (store-call time summed: 3% of wall)'),
    ];
    const table = issueTableRows(rows, new Set(['appends', 'concurrent', 'mutations']));
    expect(table[0]!.value).toBe('v append 1 event/txn (100 events, 1000 streams)');
    expect(table.find((r) => r.benchmark === 'batches of 100')!.value).toBe('v append 100 events/txn (100 events)');
    expect(table.find((r) => r.benchmark === 'single appends, 8 concurrent writers')!.ratio).toBe('50%');
    expect(table.find((r) => r.benchmark.startsWith('recordContactAttempt mutations over HTTP, 128 clients'))!.value).toContain('128 clients');
    expect(table).toHaveLength(17);
  });

  it('says MISSING for a row whose step ran without printing it, and "not run" for a step left out', () => {
    const table = issueTableRows([], new Set(['concurrent']));
    expect(table.find((r) => r.benchmark === 'single appends, 32 concurrent writers')!.value).toMatch(/^MISSING/);
    expect(table.find((r) => r.benchmark === 'batches of 100')!.value).toBe('not run (--only without appends)');
  });
});

export interface BenchRow {
  readonly benchmark: string;
  readonly value: string;
  readonly baseline: string;
  readonly ratio: string;
  readonly target: string;
}

const COLUMNS: ReadonlyArray<[keyof BenchRow, string]> = [
  ['benchmark', 'benchmark'],
  ['value', 'measured'],
  ['baseline', 'baseline (same run)'],
  ['ratio', 'ratio'],
  ['target', 'target'],
];

/** A plain fixed-width table: easy to paste into an issue note. */
export const formatTable = (rows: readonly BenchRow[]): string => {
  const widths = COLUMNS.map(([key, title]) => Math.max(title.length, ...rows.map((row) => row[key].length)));
  const line = (cells: string[]): string => `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [
    line(COLUMNS.map(([, title]) => title)),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map((row) => line(COLUMNS.map(([key]) => row[key]))),
  ].join('\n');
};

export const perSecond = (count: number, ms: number): number => (count * 1000) / ms;

export const formatRate = (value: number, unit: string): string =>
  `${Math.round(value).toLocaleString('en-US')} ${unit}`;

export const formatRatio = (value: number, baseline: number): string => `${((value / baseline) * 100).toFixed(0)}%`;

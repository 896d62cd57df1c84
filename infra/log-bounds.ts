/**
 * A bound on every log line, whatever a caller passes (pino `formatters.log`): strings are cut to
 * 1,000 characters, arrays to 20 entries, nesting to 4 levels. Log lines carry ids, codes and
 * counts, far below these; the bound holds even when a request's value reaches a log by mistake
 * (a 900 KB id once wrote 880 KB of log per request).
 */
export const MAX_LOGGED_STRING = 1_000;
const MAX_LOGGED_ENTRIES = 20;
const MAX_DEPTH = 4;

const boundValue = (value: unknown, depth: number): unknown => {
  if (typeof value === 'string') return value.length > MAX_LOGGED_STRING ? `${value.slice(0, MAX_LOGGED_STRING)}… (${String(value.length - MAX_LOGGED_STRING)} characters cut)` : value;
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (depth >= MAX_DEPTH) return '[nested too deep]';
  if (Array.isArray(value)) return value.slice(0, MAX_LOGGED_ENTRIES).map((item) => boundValue(item, depth + 1));
  if (value instanceof Error) return { name: value.name };
  return boundedLogObject(value as Record<string, unknown>, depth + 1);
};

export const boundedLogObject = (object: Record<string, unknown>, depth = 0): Record<string, unknown> =>
  Object.fromEntries(Object.entries(object).slice(0, MAX_LOGGED_ENTRIES * 2).map(([key, value]) => [key.slice(0, 100), boundValue(value, depth)]));

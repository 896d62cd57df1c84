import { createHash } from 'node:crypto';

/** The hash an empty stream's first event chains to. */
export const GENESIS_HASH = '0'.repeat(64);

type Canonical = null | boolean | number | string | Canonical[] | { [key: string]: Canonical };

/**
 * JSON with object keys sorted at every level and no whitespace: the same value always gives
 * the same bytes, whatever order its keys were built in.
 */
export const canonicalJson = (value: unknown): string => written(value, false) as string;

/**
 * Writes what `JSON.stringify` writes for the value with its keys sorted (`sortedKeysJson`),
 * in one pass and without building the sorted copy (every stored hash covers these bytes, so
 * they must not change: test/unit/services/shared/hash-chain.unit.test.ts compares the two).
 * Undefined, functions and symbols are left out of objects and written as null in arrays.
 */
const written = (value: unknown, inArray: boolean): string | undefined => {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'bigint':
      return JSON.stringify(value);
    case 'undefined':
    case 'function':
    case 'symbol':
      return inArray ? 'null' : undefined;
    case 'object':
      if (value === null) return 'null';
      break;
  }
  if (Array.isArray(value)) return `[${value.map((item: unknown) => written(item, true)).join(',')}]`;
  const object = value as Record<string, unknown>;
  let out = '';
  for (const key of keyOrder(Object.keys(object))) {
    const part = written(object[key], false);
    if (part === undefined) continue;
    out += `${out === '' ? '' : ','}${JSON.stringify(key)}:${part}`;
  }
  return `{${out}}`;
};

/**
 * The order the definition writes keys in: sorted, then rebuilt as an object, where JavaScript
 * puts integer-like keys ("9", "10") first in numeric order and the others after them in the
 * order given. Stored hashes depend on it.
 */
const keyOrder = (keys: string[]): string[] => {
  const sorted = keys.sort();
  const integers = sorted.filter(isArrayIndex);
  if (integers.length === 0) return sorted;
  return [...integers.sort((a, b) => Number(a) - Number(b)), ...sorted.filter((key) => !isArrayIndex(key))];
};

const isArrayIndex = (key: string): boolean => /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < 4_294_967_295;

/** The definition `canonicalJson` keeps to: a copy with sorted keys, through JSON.stringify. */
export const sortedKeysJson = (value: unknown): string => JSON.stringify(sortKeys(value as Canonical));

const sortKeys = (value: Canonical): Canonical => {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort()
      .map((key) => [key, sortKeys(value[key] as Canonical)]),
  );
};

export interface ChainedContent {
  readonly stream: string;
  readonly revision: number;
  readonly type: string;
  readonly data: unknown;
  /** The event's metadata without `hash` (it includes `prevHash`). */
  readonly metadata: unknown;
}

/** SHA-256 over the canonical encoding of the event and, through `prevHash`, its predecessor. */
export const eventHash = (content: ChainedContent): string =>
  createHash('sha256').update(canonicalJson(content)).digest('hex');

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

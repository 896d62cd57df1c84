import { createHash } from 'node:crypto';

/** The hash an empty stream's first event chains to. */
export const GENESIS_HASH = '0'.repeat(64);

type Canonical = null | boolean | number | string | Canonical[] | { [key: string]: Canonical };

/**
 * JSON with object keys sorted at every level and no whitespace: the same value always gives
 * the same bytes, whatever order its keys were built in.
 */
export const canonicalJson = (value: unknown): string => JSON.stringify(sortKeys(value as Canonical));

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

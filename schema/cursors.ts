import { rule } from '../services/shared/domain-error.js';
import { badUserInput } from './errors.js';

const notACursor = () => badUserInput('after', rule`is not a cursor returned by this API`);

/**
 * Opaque page cursors: `<kind>:<value>` in base64url, so a client cannot mistake one kind for
 * another or build one by hand. A cursor of another kind, or none at all, is BAD_USER_INPUT on
 * `after`.
 */
export const opaqueCursor = (kind: string) => {
  const prefix = `${kind}:`;
  const decode = (cursor: string): string => {
    const text = Buffer.from(cursor, 'base64url').toString('utf8');
    if (!text.startsWith(prefix) || text.length === prefix.length) throw notACursor();
    return text.slice(prefix.length);
  };
  return {
    encode: (value: string | number): string => Buffer.from(`${prefix}${String(value)}`).toString('base64url'),
    decode,
    /** For cursors that hold a revision or a sequence number. */
    decodeIndex: (cursor: string): number => {
      const text = decode(cursor);
      const index = Number(text);
      if (!/^\d+$/.test(text) || !Number.isSafeInteger(index)) throw notACursor();
      return index;
    },
  };
};

import { describe, expect, it } from 'vitest';
import { comparePositions, formatPosition, parsePosition, positionOf } from '../../../../services/event-store/position.js';

describe('global positions', () => {
  it('print the embedded store position as a plain number', () => {
    expect(formatPosition(positionOf(42n))).toBe('42');
  });

  it('print EventStoreDB positions with both parts when they differ', () => {
    expect(formatPosition({ commit: 10n, prepare: 7n })).toBe('10-7');
    expect(parsePosition('10-7')).toEqual({ commit: 10n, prepare: 7n });
  });

  it('round-trip values beyond 2^53 without rounding', () => {
    const big = 2n ** 63n - 1n;
    expect(parsePosition(formatPosition(positionOf(big)))).toEqual(positionOf(big));
  });

  it.each(['', 'abc', '-1', '1.5', '1-2-3', ' 1', '123456789012345678901'])('reject %j', (text) => {
    expect(parsePosition(text)).toBeUndefined();
  });

  it('order by commit, then prepare', () => {
    expect(comparePositions({ commit: 1n, prepare: 9n }, { commit: 2n, prepare: 0n })).toBe(-1);
    expect(comparePositions({ commit: 2n, prepare: 1n }, { commit: 2n, prepare: 0n })).toBe(1);
    expect(comparePositions(positionOf(5n), positionOf(5n))).toBe(0);
  });
});

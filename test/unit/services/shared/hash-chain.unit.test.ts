import { describe, expect, it } from 'vitest';
import { canonicalJson, sortedKeysJson } from '../../../../services/shared/hash-chain.js';

/** A deterministic generator of JSON-like values, with the odd cases a hash input could hold. */
const values = (seed: number, count: number): unknown[] => {
  let state = seed;
  const random = (): number => ((state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  const texts = ['', 'a', 'é', 'line\nbreak', '"quoted"', '\u2028', 'z', 'Z', '10', '2', '0', '01', '-1', '4294967294', '4294967295', '\u0000', '😀'];
  const leaf = (): unknown => [null, true, false, 0, -0, 1.5, -3, 1e21, Number.NaN, Infinity, undefined, texts[Math.floor(random() * texts.length)]][Math.floor(random() * 12)];
  const value = (depth: number): unknown => {
    const pick = random();
    if (depth > 3 || pick < 0.4) return leaf();
    if (pick < 0.65) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
    return Object.fromEntries(Array.from({ length: Math.floor(random() * 5) }, () => [texts[Math.floor(random() * texts.length)]!, value(depth + 1)]));
  };
  return Array.from({ length: count }, () => value(0));
};

describe('canonical JSON (every stored hash covers these bytes)', () => {
  it('writes exactly what JSON.stringify writes for the copy with sorted keys', () => {
    for (const value of values(17, 2_000)) expect(canonicalJson(value)).toBe(sortedKeysJson(value));
  });

  it('keeps the definition for the cases a generator rarely makes', () => {
    const odd = [
      { b: 1, a: { d: [1, undefined, () => 1], c: Symbol('s') }, e: undefined },
      [undefined], new Date(0), { when: new Date(0) }, new Map([['k', 1]]), { n: null }, 'top', 3, null,
      { a: new String('ab') }, { '': 1, ' ': 2, 'B': 3, 'a': 4, '10': 5, '9': 6 },
    ];
    for (const value of odd) expect(canonicalJson(value)).toBe(sortedKeysJson(value));
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] })).toBe('{"a":[2,{"c":4,"d":3}],"b":1}');
  });
});

import { describe, expect, it } from 'vitest';
import { LatestRevisionCache } from '../../../projections/families/latest-revision-cache.js';

describe('LatestRevisionCache', () => {
  it('answers only for the revision kept; a newer revision replaces the entry, an older one does not', () => {
    const cache = new LatestRevisionCache<string>(10);
    cache.set('f', 3, 'three');
    expect(cache.get('f', 3)).toBe('three');
    expect(cache.get('f', 2)).toBeUndefined();
    cache.set('f', 2, 'two');
    expect(cache.get('f', 3)).toBe('three');
    cache.set('f', 4, 'four');
    expect(cache.get('f', 3)).toBeUndefined();
    expect(cache.has('f', 4)).toBe(true);
  });

  it('past the limit drops the oldest entry not used since, keeping one used since it was set', () => {
    const cache = new LatestRevisionCache<number>(3);
    cache.set('a', 1, 1);
    cache.set('b', 1, 2);
    cache.set('c', 1, 3);
    expect(cache.get('a', 1)).toBe(1);
    cache.set('d', 1, 4);
    expect(cache.has('a', 1)).toBe(true);
    expect(cache.has('b', 1)).toBe(false);
    expect([cache.has('c', 1), cache.has('d', 1)]).toEqual([true, true]);
    // a's second chance is spent: unused since, it is now the oldest.
    cache.set('e', 1, 5);
    cache.set('f', 1, 6);
    expect(cache.has('a', 1)).toBe(false);
    expect(cache.has('c', 1)).toBe(false);
    expect([cache.has('d', 1), cache.has('e', 1), cache.has('f', 1)]).toEqual([true, true, true]);
  });

  it('stays within its limit when every entry was used', () => {
    const cache = new LatestRevisionCache<number>(4);
    for (let i = 0; i < 4; i += 1) cache.set(`k${String(i)}`, 1, i);
    for (let i = 0; i < 4; i += 1) cache.get(`k${String(i)}`, 1);
    cache.set('new', 1, 9);
    const kept = ['k0', 'k1', 'k2', 'k3', 'new'].filter((key) => cache.has(key, 1));
    expect(kept).toHaveLength(4);
    expect(kept).toContain('new');
  });
});

import type { FamilyState } from '../../services/family/state.js';

/**
 * The family state as JSON for the read model's snapshot column: Maps and Sets become tagged
 * arrays, and object keys are sorted, so the same state always encodes to the same text however
 * it was built (regression: a family folded in one pass and one decoded and then evolved put
 * `separatedOn` in different places, and `projections check` reported the rows as different).
 */
const replacer = (_key: string, value: unknown): unknown => {
  if (value instanceof Map) return { $map: [...(value as Map<string, unknown>).entries()] };
  if (value instanceof Set) return { $set: [...(value as Set<unknown>).values()] };
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
  return value;
};

const reviver = (_key: string, value: unknown): unknown => {
  if (value !== null && typeof value === 'object') {
    if ('$map' in value) return new Map((value as { $map: Array<[string, unknown]> }).$map);
    if ('$set' in value) return new Set((value as { $set: unknown[] }).$set);
  }
  return value;
};

export const encodeFamilyState = (state: FamilyState): string => JSON.stringify(state, replacer);
export const decodeFamilyState = (text: string): FamilyState => JSON.parse(text, reviver) as FamilyState;

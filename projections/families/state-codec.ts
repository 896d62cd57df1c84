import type { FamilyState } from '../../services/family/state.js';

/**
 * The family state as JSON for the read model's snapshot column: Maps and Sets become tagged
 * arrays. Deterministic: the same state always encodes to the same text.
 */
const replacer = (_key: string, value: unknown): unknown => {
  if (value instanceof Map) return { $map: [...(value as Map<string, unknown>).entries()] };
  if (value instanceof Set) return { $set: [...(value as Set<unknown>).values()] };
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

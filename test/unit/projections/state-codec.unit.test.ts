import { describe, expect, it } from 'vitest';
import { decodeFamilyState, encodeFamilyState } from '../../../projections/families/state-codec.js';
import { initialFamilyState, type FamilyState } from '../../../services/family/state.js';

describe('family state codec', () => {
  it('encodes the same state to the same text whatever order its keys were set in (regression)', () => {
    const { separatedOn: _ignored, ...rest } = { ...initialFamilyState, separatedOn: '2020-01-01' } as FamilyState & { separatedOn: string };
    const late = { ...rest, separatedOn: '2020-01-01' } as unknown as FamilyState;
    const early = { separatedOn: '2020-01-01', ...rest } as unknown as FamilyState;
    expect(encodeFamilyState(late)).toBe(encodeFamilyState(early));
    expect(encodeFamilyState(decodeFamilyState(encodeFamilyState(late)))).toBe(encodeFamilyState(late));
  });
});

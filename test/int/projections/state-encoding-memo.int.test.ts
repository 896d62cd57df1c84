import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteKeyStore } from '../../../infra/keys/sqlite-key-store.js';
import { decodeFamilyState, encodeFamilyState, EncodingMemo } from '../../../projections/families/state-codec.js';
import { type FamilyState } from '../../../services/family/state.js';
import { ReadModelSealer } from '../../../services/privacy/read-model-sealer.js';
import { caseStateHistories } from '../../support/case-pattern-histories.js';
import { makeTempDir } from '../../support/temp-dir.js';

/**
 * The snapshot text of a family state with the encoding memo (families-projection.ts keeps one
 * per family between batches) is the text a fresh encoding gives, after every event of real
 * case-pattern histories (placements with facilities, protection concerns, hand-offs, long
 * tails of documents and deadlines), sealed and not; and the unsealed text is the encoding the
 * snapshot had before the memo (JSON.stringify with a key-sorting replacer), so rows written by
 * either code are the same bytes (`tracker projections check`).
 */
const replacedBefore = (_key: string, value: unknown): unknown => {
  if (value instanceof Map) return { $map: [...(value as Map<string, unknown>).entries()] };
  if (value instanceof Set) return { $set: [...(value as Set<unknown>).values()] };
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
  return value;
};

describe('family state encoding with a memo (real case-pattern load in SQLite, real key store)', () => {
  const temp = makeTempDir();
  let histories: Map<string, FamilyState[]>;
  let keys: SqliteKeyStore;

  beforeAll(async () => {
    histories = await caseStateHistories(temp.dir, 3_000, 5);
    keys = SqliteKeyStore.open(join(temp.dir, 'data-keys.sqlite'), randomBytes(32));
  }, 120_000);
  afterAll(async () => {
    await keys.close();
    temp.remove();
  });

  it('loads families with long histories (the memo is exercised over many revisions)', () => {
    expect(histories.size).toBeGreaterThan(20);
    expect(Math.max(...[...histories.values()].map((states) => states.length))).toBeGreaterThan(100);
  });

  it('unsealed: the memo gives the fresh text, and the fresh text is the encoding before the memo', () => {
    for (const states of histories.values()) {
      const memo = new EncodingMemo(states.at(-1)!.familyId, undefined);
      for (const state of states.slice(1)) {
        const fresh = encodeFamilyState(state);
        expect(fresh).toBe(JSON.stringify(state, replacedBefore));
        expect(encodeFamilyState(state, undefined, undefined, memo)).toBe(fresh);
      }
    }
  });

  it('sealed: the memo gives the fresh text (one memo across the whole history), which decodes to the state', () => {
    const sealer = new ReadModelSealer(keys);
    for (const states of histories.values()) {
      const last = states.at(-1)!;
      const memo = new EncodingMemo(last.familyId, sealer);
      for (const [index, state] of states.slice(1).entries()) {
        const fresh = encodeFamilyState(state, sealer);
        expect(encodeFamilyState(state, sealer, undefined, memo)).toBe(fresh);
        if (index % 25 === 0 || state === last) expect(encodeFamilyState(decodeFamilyState(fresh, sealer))).toBe(encodeFamilyState(state));
      }
    }
  });

  it('an object met both sealed (as a person) and plain keeps both texts: neither is taken for the other', () => {
    const sealer = new ReadModelSealer(keys);
    const state = [...histories.values()].map((states) => states.at(-1)!).find((s) => s.children.size > 0)!;
    const [childId, child] = [...state.children][0]!;
    // The same child object also held where nothing is sealed (the snapshot's plain parts), in both orders.
    const alsoPlain = { ...state, matters: new Map<string, unknown>([...state.matters, [childId, child]]) } as unknown as FamilyState;
    for (const order of [[state, alsoPlain], [alsoPlain, state]]) {
      const memo = new EncodingMemo(state.familyId, sealer);
      for (const each of order) expect(encodeFamilyState(each, sealer, undefined, memo)).toBe(encodeFamilyState(each, sealer));
    }
    const plainText = encodeFamilyState(alsoPlain, sealer);
    expect(plainText).toContain(JSON.stringify(child.givenName));
  });

  it('a memo made for another family or sealer is not used (sealed values are bound to their family)', () => {
    const sealer = new ReadModelSealer(keys);
    const first = [...histories.values()].map((states) => states.at(-1)!).find((state) => state.children.size > 0)!;
    const memo = new EncodingMemo(first.familyId, sealer);
    encodeFamilyState(first, sealer, undefined, memo);
    // The same parts under another family id: sealed at that family's places, not taken from the memo.
    const moved = { ...first, familyId: 'moved-family' };
    expect(encodeFamilyState(moved, sealer, undefined, memo)).toBe(encodeFamilyState(moved, sealer));
    expect(encodeFamilyState(moved, sealer)).not.toBe(encodeFamilyState(first, sealer).replaceAll(first.familyId, 'moved-family'));
    const plain = new EncodingMemo(first.familyId, undefined);
    encodeFamilyState(first, undefined, undefined, plain);
    expect(encodeFamilyState(first, sealer, undefined, plain)).toBe(encodeFamilyState(first, sealer));
  });
});

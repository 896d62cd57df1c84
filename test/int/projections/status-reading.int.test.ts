import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hiddenPersonIds } from '../../../services/family/disclosure.js';
import { statusByScope, statusReadingOf, type StatusReading } from '../../../projections/families/family-rows.js';
import { type FamilyState } from '../../../services/family/state.js';
import { caseStateHistories } from '../../support/case-pattern-histories.js';
import { makeTempDir } from '../../support/temp-dir.js';

/**
 * The families projection computes a family's statuses per scope again only when a part of the
 * state they were computed from changed (statusReadingOf, family-rows.ts). Over real
 * case-pattern histories (hidden relatives, protection concerns, long tails of documents and
 * deadlines), the reading carried from event to event gives, after every event, exactly the
 * statuses a fresh computation gives; and it is reused for a good share of the events (else the
 * projection gains nothing).
 */
describe('statuses per scope carried from event to event (real case-pattern load in SQLite)', () => {
  const temp = makeTempDir();
  let histories: Map<string, FamilyState[]>;

  beforeAll(async () => {
    histories = await caseStateHistories(temp.dir, 3_000, 11);
  }, 120_000);
  afterAll(() => temp.remove());

  it('after every event the carried statuses are the fresh ones, and most events reuse them', () => {
    let reused = 0;
    let events = 0;
    for (const states of histories.values()) {
      let reading: StatusReading | undefined;
      for (const state of states.slice(1)) {
        const next = statusReadingOf(state, reading);
        if (next === reading) reused += 1;
        events += 1;
        expect(next.statuses).toEqual(statusByScope(state));
        reading = next;
      }
    }
    expect(events).toBeGreaterThan(2_500);
    expect(reused / events).toBeGreaterThan(0.3);
  });

  it('families with people hidden below FULL are among them (the scopes\' views are read through their own proxies)', () => {
    const hidden = [...histories.values()].filter((states) => states.some((state) => hiddenPersonIds(state, 'STATUS').size > 0));
    expect(hidden.length).toBeGreaterThan(0);
  });

  it('changing a part the statuses read computes them again, also for a family with people hidden below FULL', () => {
    const withHidden = [...histories.values()].map((states) => states.at(-1)!).find((state) => hiddenPersonIds(state, 'STATUS').size > 0 && state.children.size > 0);
    expect(withHidden).toBeDefined();
    const state = withHidden!;
    const reading = statusReadingOf(state);
    // `reunifiedChildIds` is copied into each scope's view by the spread in familySeenAt and read there and on the state.
    const reunified: FamilyState = { ...state, reunifiedChildIds: new Set(state.children.keys()) };
    const again = statusReadingOf(reunified, reading);
    expect(again).not.toBe(reading);
    expect(again.statuses).toEqual(statusByScope(reunified));
    expect(again.statuses.STATUS).toBe(state.lifecycle === 'CLOSED' ? 'CLOSED' : 'REUNIFIED');
    // The same parts as other objects of equal content are not the same parts: computed again, same answer.
    const copied: FamilyState = { ...state, documents: new Map(state.documents) };
    const third = statusReadingOf(copied, reading);
    expect(third).not.toBe(reading);
    expect(third.statuses).toEqual(reading.statuses);
  });

  it('a state whose parts are the very same objects reuses the reading (an unrelated part changed)', () => {
    const state = [...histories.values()].map((states) => states.at(-1)!).find((s) => s.children.size > 0)!;
    const reading = statusReadingOf(state);
    const parts = new Set(reading.parts.map(([key]) => key));
    const unread = (Object.keys(state) as Array<keyof FamilyState>).find((key) => !parts.has(key));
    expect(unread).toBeDefined();
    expect(statusReadingOf({ ...state, [unread!]: structuredClone(state[unread!]) }, reading)).toBe(reading);
  });
});

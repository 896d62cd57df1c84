import { describe, expect, it } from 'vitest';
import { showsPersonalData } from '../../../projections/families/disclose.js';

/** The access log records a history read that shows personal data: a `personal` part, or a separation's per-child copies of its place. */
describe('showsPersonalData', () => {
  it('counts a personal part and a separation place copy, never an erased marker', () => {
    expect(showsPersonalData({ personal: { subjectId: 'c1', givenName: 'Ana' } })).toBe(true);
    expect(showsPersonalData({ personal: { subjectId: 'c1', erased: true } })).toBe(false);
    expect(showsPersonalData({ places: [{ childId: 'c1', personal: { subjectId: 'c1', erased: true } }, { childId: 'c2', personal: { subjectId: 'c2', place: 'the bridge' } }] })).toBe(true);
    expect(showsPersonalData({ places: [{ childId: 'c1', personal: { subjectId: 'c1', erased: true } }] })).toBe(false);
    expect(showsPersonalData({ redacted: ['places'] })).toBe(false);
  });
});

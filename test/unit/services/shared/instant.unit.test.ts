import { describe, expect, it } from 'vitest';
import { compareInstants, hasExpired, isInstant, toUtcInstant } from '../../../../services/shared/instant.js';

describe('toUtcInstant: every instant in UTC normal form', () => {
  it.each([
    ['2024-06-01T00:00:00Z', '2024-06-01T00:00:00.000Z'],
    ['2024-06-01T12:00:00+12:00', '2024-06-01T00:00:00.000Z'],
    ['2024-05-31T12:00:00-12:00', '2024-06-01T00:00:00.000Z'],
    ['2024-06-01T14:00:00+14:00', '2024-06-01T00:00:00.000Z'],
    ['2024-05-31T18:00:00-06:00', '2024-06-01T00:00:00.000Z'],
    ['2024-06-01T05:30:00+05:30', '2024-06-01T00:00:00.000Z'],
    ['2024-06-01T00:00:00+00:00', '2024-06-01T00:00:00.000Z'],
    ['2024-06-01T00:00:00-00:00', '2024-06-01T00:00:00.000Z'],
    ['2024-06-01T00:00:00.5Z', '2024-06-01T00:00:00.500Z'],
    ['2024-06-01T00:00:00.123456789Z', '2024-06-01T00:00:00.123Z'],
    ['2024-06-01T00:00:00.999999999+01:00', '2024-05-31T23:00:00.999Z'],
    ['2024-02-29T23:00:00-02:00', '2024-03-01T01:00:00.000Z'],
    ['2023-12-31T23:30:00-01:00', '2024-01-01T00:30:00.000Z'],
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
  ])('%s is %s', (written, normal) => {
    expect(toUtcInstant(written)).toBe(normal);
  });

  it.each([
    '2024-06-01', '2024-06-01T00:00:00', '2024-06-01 00:00:00Z', '2024-06-01t00:00:00z', '2024-06-01T00:00Z',
    '2024-02-30T00:00:00Z', '2023-02-29T00:00:00Z', '2024-13-01T00:00:00Z', '2024-06-01T24:00:00Z', '2024-06-01T23:60:00Z',
    '2024-06-31T23:59:60Z', '2024-06-01T00:00:00+24:00', '2024-06-01T00:00:00+0100', '2024-06-01T00:00:00.Z', '+002024-06-01T00:00:00Z',
    // An offset that pushes the instant out of years 0001 to 9999.
    '9999-12-31T23:00:00-05:00', '0001-01-01T00:00:00+01:00', '',
  ])('refuses %j', (text) => {
    expect(toUtcInstant(text)).toBeUndefined();
    expect(isInstant(text)).toBe(false);
  });
});

describe('instants compare as instants, never as text', () => {
  it('the same instant with different offsets is equal; text order is not time order', () => {
    expect(compareInstants('2024-06-01T12:00:00+12:00', '2024-06-01T00:00:00Z')).toBe(0);
    // As text "2024-06-01T09:00:00+12:00" sorts after "2024-06-01T00:00:00Z"; it is three hours earlier.
    expect(compareInstants('2024-06-01T09:00:00+12:00', '2024-06-01T00:00:00Z')).toBeLessThan(0);
    // As text "2024-05-31T15:00:00-12:00" sorts before; it is three hours later.
    expect(compareInstants('2024-05-31T15:00:00-12:00', '2024-06-01T00:00:00.000Z')).toBeGreaterThan(0);
  });

  it('an expiry is reached at its instant, and an unreadable one counts as reached (fail closed)', () => {
    const now = '2024-06-01T00:00:00.000Z';
    expect(hasExpired('2024-06-01T09:00:00+12:00', now)).toBe(true);
    expect(hasExpired('2024-06-01T14:00:00+14:00', now)).toBe(true);
    expect(hasExpired('2024-05-31T15:00:00-12:00', now)).toBe(false);
    expect(hasExpired('2024-06-01T03:00:00Z', now)).toBe(false);
    expect(hasExpired('not an instant', now)).toBe(true);
  });
});

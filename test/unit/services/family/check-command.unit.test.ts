import { describe, expect, it } from 'vitest';
import { checkFamilyCommand } from '../../../../services/family/check-command.js';
import { DomainError } from '../../../../services/shared/domain-error.js';
import { command, country, date } from '../../../support/family-fixtures.js';

const child = command('RegisterChild', { childId: 'child-1', givenName: '  Ana  ', birthDate: date('2012-03-04'), birthDateEstimated: false, nationality: country('HN'), languages: ['es'], needsInterpreter: false });

const failure = (run: () => unknown): { code: string; field: string | undefined } | undefined => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, field: error.field };
    throw error;
  }
  return undefined;
};

describe('family command construction checks', () => {
  it('passes a well-formed command, trimming text', () => {
    expect(checkFamilyCommand(child)).toEqual({ ...child, givenName: 'Ana' });
  });

  it.each(['2024-02-30', '2023-02-29', '2024-1-5', '2024-13-01', '2024-00-10', '24-01-01', '2024-01-01T00:00:00Z', ''])(
    'rejects the impossible or malformed date %j, naming the field',
    (text) => {
      expect(failure(() => checkFamilyCommand({ ...child, birthDate: date(text) }))).toEqual({ code: 'BAD_USER_INPUT', field: 'birthDate' });
    },
  );

  it('accepts 29 February in a leap year', () => {
    expect(checkFamilyCommand({ ...child, birthDate: date('2012-02-29') }).birthDate).toBe('2012-02-29');
  });

  it.each(['XX', 'hn', 'HND', 'UK'])('rejects %j as a country code', (code) => {
    expect(failure(() => checkFamilyCommand({ ...child, nationality: country(code) }))).toEqual({ code: 'BAD_USER_INPUT', field: 'nationality' });
  });

  it('bounds strings and lists', () => {
    expect(failure(() => checkFamilyCommand({ ...child, givenName: 'x'.repeat(201) }))).toEqual({ code: 'BAD_USER_INPUT', field: 'givenName' });
    expect(failure(() => checkFamilyCommand({ ...child, givenName: '   ' }))).toEqual({ code: 'BAD_USER_INPUT', field: 'givenName' });
    expect(failure(() => checkFamilyCommand({ ...child, languages: Array.from({ length: 51 }, () => 'es') }))).toEqual({ code: 'BAD_USER_INPUT', field: 'languages' });
    const narrative = command('RecordFollowUp', { childId: 'child-1', note: 'x'.repeat(4_001) });
    expect(failure(() => checkFamilyCommand(narrative))).toEqual({ code: 'BAD_USER_INPUT', field: 'note' });
  });

  it('rejects values outside a closed vocabulary and malformed ids', () => {
    expect(failure(() => checkFamilyCommand(command('AddRelative', { relativeId: 'r', relationship: 'COUSIN' as never, givenName: 'A', biological: null, vitalStatus: 'ALIVE', adverse: false })))).toEqual({ code: 'BAD_USER_INPUT', field: 'relationship' });
    expect(failure(() => checkFamilyCommand({ ...child, childId: '../etc/passwd' }))).toEqual({ code: 'BAD_USER_INPUT', field: 'childId' });
    expect(failure(() => checkFamilyCommand(command('RecordParentLocated', { relativeId: 'r', country: country('HN'), method: 'DNA' as never })))).toEqual({ code: 'BAD_USER_INPUT', field: 'method' });
  });

  it('rejects an occurredAt that is not an RFC 3339 instant', () => {
    expect(failure(() => checkFamilyCommand({ ...child, occurredAt: '2024-06-01 10:00' }))).toEqual({ code: 'BAD_USER_INPUT', field: 'occurredAt' });
  });
});

describe('a command parsed once (issue 17: the resolver parses it, the service does not again)', () => {
  it('comes back as the same object when checked again, and frozen to the bottom', () => {
    const checked = checkFamilyCommand(child);
    expect(checkFamilyCommand(checked)).toBe(checked);
    expect(Object.isFrozen(checked) && Object.isFrozen(checked.languages) && Object.isFrozen(checked.actor)).toBe(true);
    expect(() => {
      (checked.languages as string[]).push('xx');
    }).toThrow(TypeError);
  });

  it('does not freeze the actor object it was given, nor vouch for a copy changed after the check', () => {
    const actor = { ...child.actor };
    const checked = checkFamilyCommand({ ...child, actor });
    expect(Object.isFrozen(actor)).toBe(false);
    expect(failure(() => checkFamilyCommand({ ...checked, givenName: 'x'.repeat(201) }))).toEqual({ code: 'BAD_USER_INPUT', field: 'givenName' });
  });
});

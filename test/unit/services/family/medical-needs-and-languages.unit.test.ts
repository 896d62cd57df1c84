import { describe, expect, it } from 'vitest';
import { checkFamilyCommand } from '../../../../services/family/check-command.js';
import { childRegistered, closed, command, country, date, given, opened, rejected, relativeAdded, suspended, when } from '../../../support/family-fixtures.js';

/** Issue 14, item 8: a child's medical needs, and languages and interpreter needs of children and relatives, recorded as personal data. */
const register = { childId: 'child-1', givenName: 'X', birthDate: date('2022-01-10'), birthDateEstimated: false, nationality: country('NI'), languages: ['es'], needsInterpreter: false };

describe('a child\'s medical needs', () => {
  it('given a family, when a child is registered with medical needs, then they are personal data of the child in ChildRegistered and in the state', () => {
    const events = when(given(opened), 'RegisterChild', { ...register, medicalNeeds: 'Congenital heart condition; daily medication' });
    expect(events[0]).toMatchObject({ type: 'ChildRegistered', data: { personal: { subjectId: 'child-1', medicalNeeds: 'Congenital heart condition; daily medication' } } });
    expect(given(opened, ...events).children.get('child-1')?.medicalNeeds).toBe('Congenital heart condition; daily medication');
  });

  it('registered without them: none recorded, and no medicalNeeds key in the event', () => {
    const events = when(given(opened), 'RegisterChild', register);
    expect(Object.keys((events[0]?.data as { personal: object }).personal)).not.toContain('medicalNeeds');
    expect(given(opened, ...events).children.get('child-1')?.medicalNeeds).toBeUndefined();
  });

  it('given a child, when medical needs are recorded, then MedicalNeedsRecorded holds them under personal; the latest replaces the earlier', () => {
    const first = when(given(opened, childRegistered()), 'RecordMedicalNeeds', { childId: 'child-1', medicalNeeds: 'Asthma' });
    expect(first).toEqual([{ type: 'MedicalNeedsRecorded', data: { childId: 'child-1', personal: { subjectId: 'child-1', medicalNeeds: 'Asthma' } } }]);
    const second = when(given(opened, childRegistered(), ...first), 'RecordMedicalNeeds', { childId: 'child-1', medicalNeeds: 'Asthma; inhaler twice a day' });
    expect(given(opened, childRegistered(), ...first, ...second).children.get('child-1')?.medicalNeeds).toBe('Asthma; inhaler twice a day');
  });

  it('refuses an unknown child (NOT_FOUND naming the field), the same text again (BAD_USER_INPUT), and a closed case', () => {
    rejected(given(opened), 'RecordMedicalNeeds', { childId: 'nobody', medicalNeeds: 'x' }, 'NOT_FOUND', /child not found/, 'childId');
    const recorded = given(opened, childRegistered(), { type: 'MedicalNeedsRecorded', data: { childId: 'child-1', personal: { subjectId: 'child-1', medicalNeeds: 'Asthma' } } });
    rejected(recorded, 'RecordMedicalNeeds', { childId: 'child-1', medicalNeeds: 'Asthma' }, 'BAD_USER_INPUT', /medicalNeeds is already recorded/, 'medicalNeeds');
    rejected(given(opened, childRegistered(), closed), 'RecordMedicalNeeds', { childId: 'child-1', medicalNeeds: 'x' }, 'INVALID_TRANSITION');
  });

  it('is unavoidable work: it can be recorded while a stop-work order holds', () => {
    expect(when(given(opened, childRegistered(), suspended), 'RecordMedicalNeeds', { childId: 'child-1', medicalNeeds: 'Asthma' })).toHaveLength(1);
  });

  it('is free text: trimmed, up to 4,000 characters with line breaks, no control characters', () => {
    const checked = checkFamilyCommand(command('RecordMedicalNeeds', { childId: 'child-1', medicalNeeds: '  Epilepsy\nseizure plan attached  ' }));
    expect(checked.medicalNeeds).toBe('Epilepsy\nseizure plan attached');
    expect(() => checkFamilyCommand(command('RecordMedicalNeeds', { childId: 'child-1', medicalNeeds: 'x'.repeat(4_001) }))).toThrow(/medicalNeeds must be at most 4000 characters/);
    expect(() => checkFamilyCommand(command('RecordMedicalNeeds', { childId: 'child-1', medicalNeeds: 'a\u0000b' }))).toThrow(/medicalNeeds must not contain control/);
  });
});

describe('languages and interpreter needs', () => {
  it('of a child: kept in the state as registered', () => {
    const child = given(opened, ...when(given(opened), 'RegisterChild', { ...register, languages: ['mam', 'es'], needsInterpreter: true })).children.get('child-1');
    expect(child).toMatchObject({ languages: ['mam', 'es'], needsInterpreter: true });
  });

  it('of a relative: recorded by AddRelative and kept in the state', () => {
    const events = when(given(opened), 'AddRelative', {
      relativeId: 'father-1', relationship: 'FATHER', givenName: 'Y', biological: true, vitalStatus: 'ALIVE', adverse: false, languages: ['kiche'], needsInterpreter: true,
    });
    expect(events[0]).toMatchObject({ type: 'RelativeAdded', data: { needsInterpreter: true, personal: { subjectId: 'father-1', languages: ['kiche'] } } });
    expect(given(opened, ...events).relatives.get('father-1')).toMatchObject({ languages: ['kiche'], needsInterpreter: true });
  });

  it('of a relative added before they were recorded (an older event without them): none known, no interpreter', () => {
    expect(given(opened, relativeAdded()).relatives.get('father-1')).toMatchObject({ languages: [], needsInterpreter: false });
  });
});

import { describe, expect, it } from 'vitest';
import { sijAgeLimit, sijAgeOutDate, asylumOneYearDate } from '../../../../services/family/deadlines.js';
import { childRegistered, date, event, given, matterOpened, opened, rejected, when } from '../../../support/family-fixtures.js';

describe('deadlines from facts', () => {
  it('computes the SIJ age-out as the day before the birthday at the state limit, capped at 21', () => {
    expect(sijAgeLimit('US-NY')).toBe(21);
    expect(sijAgeLimit('US-TX')).toBe(18);
    expect(sijAgeLimit('US-NE')).toBe(19);
    expect(sijAgeLimit('US-ZZ')).toBe(18);
    expect(sijAgeOutDate(date('2007-08-15'), 'US-NY')).toBe('2028-08-14');
    expect(sijAgeOutDate(date('2007-08-15'), 'US-TX')).toBe('2025-08-14');
    expect(sijAgeOutDate(date('2008-02-29'), 'US-CA')).toBe('2029-02-27');
  });

  it('computes the asylum one-year filing deadline from the arrival date', () => {
    expect(asylumOneYearDate(date('2023-11-20'))).toBe('2024-11-19');
  });

  it('sets the SIJ age-out deadline when an SIJ matter opens', () => {
    const state = given(opened, childRegistered('child-1', '2007-08-15'));
    expect(when(state, 'OpenLegalMatter', { matterId: 'sij', matterType: 'SIJ', childId: 'child-1', jurisdiction: 'US-NY' })).toEqual([
      { type: 'LegalMatterOpened', data: { matterId: 'sij', matterType: 'SIJ', childId: 'child-1', jurisdiction: 'US-NY', openedOn: '2024-06-01' } },
      { type: 'DeadlineSet', data: { deadlineId: 'sij-sij-age-out', kind: 'SIJ_AGE_OUT', matterId: 'sij', childId: 'child-1', derivedFrom: 'birthDate;age limit 21 in US-NY', personal: { subjectId: 'child-1', dueOn: '2028-08-14' } } },
    ]);
  });

  it('sets the asylum deadline only when the arrival date is known', () => {
    const known = given(opened, childRegistered('child-1', '2010-01-01', '2023-11-20'));
    expect(when(known, 'OpenLegalMatter', { matterId: 'asy', matterType: 'ASYLUM', childId: 'child-1', jurisdiction: 'US' })[1]).toMatchObject({ data: { kind: 'ASYLUM_ONE_YEAR', dueOn: '2024-11-19' } });
    const unknown = given(opened, childRegistered('child-1', '2010-01-01'));
    expect(when(unknown, 'OpenLegalMatter', { matterId: 'asy', matterType: 'ASYLUM', childId: 'child-1', jurisdiction: 'US' })).toHaveLength(1);
  });

  it('moves the age-out deadline when the birth date is corrected, as an event', () => {
    const state = given(
      opened, childRegistered('child-1', '2007-08-15'), matterOpened('sij', 'SIJ', 'child-1', 'US-NY'),
      event('DeadlineSet', { deadlineId: 'sij-sij-age-out', kind: 'SIJ_AGE_OUT', matterId: 'sij', childId: 'child-1', dueOn: date('2028-08-14'), derivedFrom: 'birthDate' }),
    );
    expect(when(state, 'CorrectChildBirthDate', { childId: 'child-1', birthDate: date('2007-01-15'), birthDateEstimated: false })).toEqual([
      { type: 'ChildBirthDateCorrected', data: { childId: 'child-1', birthDateEstimated: false, ageReviewRequired: false, personal: { subjectId: 'child-1', birthDate: '2007-01-15' } } },
      { type: 'DeadlineRecomputed', data: { deadlineId: 'sij-sij-age-out', derivedFrom: 'corrected birthDate', personal: { subjectId: 'child-1', previousDueOn: '2028-08-14', dueOn: '2028-01-14' } } },
    ]);
  });

  it('sets explicit deadlines and meets or misses them once', () => {
    const state = given(opened, childRegistered());
    expect(when(state, 'SetDeadline', { deadlineId: 'd-1', kind: 'RESPONSE_WINDOW', dueOn: date('2024-07-01') })).toEqual([
      { type: 'DeadlineSet', data: { deadlineId: 'd-1', kind: 'RESPONSE_WINDOW', dueOn: '2024-07-01' } },
    ]);
    rejected(state, 'SetDeadline', { deadlineId: 'd-1', kind: 'OTHER', dueOn: date('2024-07-01'), matterId: 'ghost' }, 'NOT_FOUND', undefined, 'matterId');
    const set = given(opened, event('DeadlineSet', { deadlineId: 'd-1', kind: 'OTHER', dueOn: date('2024-07-01') }));
    expect(when(set, 'RecordDeadlineMet', { deadlineId: 'd-1' })).toEqual([{ type: 'DeadlineMet', data: { deadlineId: 'd-1' } }]);
    expect(when(set, 'RecordDeadlineMissed', { deadlineId: 'd-1' })[0]?.type).toBe('DeadlineMissed');
    const met = given(opened, event('DeadlineSet', { deadlineId: 'd-1', kind: 'OTHER', dueOn: date('2024-07-01') }), event('DeadlineMet', { deadlineId: 'd-1' }));
    rejected(met, 'RecordDeadlineMissed', { deadlineId: 'd-1' }, 'INVALID_TRANSITION', /MET/);
    rejected(set, 'RecordDeadlineMet', { deadlineId: 'd-9' }, 'NOT_FOUND', undefined, 'deadlineId');
  });
});

describe('arrival date corrections', () => {
  const withAsylum = given(
    opened, childRegistered('child-1', '2010-01-01', '2023-11-20'), matterOpened('asy', 'ASYLUM', 'child-1', 'US'),
    event('DeadlineSet', { deadlineId: 'asy-asylum-one-year', kind: 'ASYLUM_ONE_YEAR', matterId: 'asy', childId: 'child-1', dueOn: date('2024-11-19'), derivedFrom: 'arrivalDate' }),
  );
  it('moves the asylum deadline', () => {
    expect(when(withAsylum, 'CorrectChildArrivalDate', { childId: 'child-1', arrivalDate: date('2023-10-01') })).toEqual([
      { type: 'ChildArrivalDateCorrected', data: { childId: 'child-1', arrivalDate: '2023-10-01' } },
      { type: 'DeadlineRecomputed', data: { deadlineId: 'asy-asylum-one-year', previousDueOn: '2024-11-19', dueOn: '2024-09-30', derivedFrom: 'corrected arrivalDate' } },
    ]);
  });
  it('sets the asylum deadline once the arrival date becomes known', () => {
    const unknown = given(opened, childRegistered('child-1', '2010-01-01'), matterOpened('asy', 'ASYLUM', 'child-1', 'US'));
    expect(when(unknown, 'CorrectChildArrivalDate', { childId: 'child-1', arrivalDate: date('2023-10-01') })[1]).toMatchObject({
      type: 'DeadlineSet', data: { deadlineId: 'asy-asylum-one-year', dueOn: '2024-09-30' },
    });
  });
  it('rejects an arrival before birth, in the future, or unchanged', () => {
    rejected(withAsylum, 'CorrectChildArrivalDate', { childId: 'child-1', arrivalDate: date('2009-01-01') }, 'BAD_USER_INPUT', undefined, 'arrivalDate');
    rejected(withAsylum, 'CorrectChildArrivalDate', { childId: 'child-1', arrivalDate: date('2025-01-01') }, 'BAD_USER_INPUT', undefined, 'arrivalDate');
    rejected(withAsylum, 'CorrectChildArrivalDate', { childId: 'child-1', arrivalDate: date('2023-11-20') }, 'BAD_USER_INPUT', undefined, 'arrivalDate');
  });
});

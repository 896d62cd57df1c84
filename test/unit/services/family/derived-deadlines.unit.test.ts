import { describe, expect, it } from 'vitest';
import { blockers, DEADLINE_HORIZON_DAYS } from '../../../../services/family/status.js';
import { childRegistered, country, date, event, given, NOW, opened, relativeAdded, when } from '../../../support/family-fixtures.js';

/** Issue 14, item 7: deadlines follow from the facts, for every child they make potentially eligible. NOW is 2024-06-01. */
const inProgramme = (programme: 'SIJ' | 'ASYLUM') => event('FamilyCaseOpened', { familyId: 'fam-1', leadOrganizationId: 'org-a', programme });
const register = { childId: 'c1', givenName: 'X', birthDate: date('2006-06-21'), birthDateEstimated: false, nationality: country('MX'), languages: [], needsInterpreter: false };
const sijSet = (dueOn: string, derivedFrom: string) => ({
  type: 'DeadlineSet', data: { deadlineId: 'c1-sij-age-out', kind: 'SIJ_AGE_OUT', childId: 'c1', derivedFrom, personal: { subjectId: 'c1', dueOn } },
});

describe('SIJ age-out from the facts', () => {
  it('given the SIJ programme, when a child twenty days before 18 is registered, then the age-out is set at once (state unknown: limit 18) and is a blocker', () => {
    const events = when(given(inProgramme('SIJ')), 'RegisterChild', register);
    expect(events.slice(1)).toEqual([sijSet('2024-06-20', 'birthDate;age limit 18 (state of residence unknown)')]);
    expect(blockers(given(inProgramme('SIJ'), ...events), date('2024-06-01'))).toEqual(['SIJ age-out in 19 days']);
  });

  it('given a child-level age-out, when the SIJ matter opens in a state whose limit is the default, then the new basis is recorded though the day stays (its absence would tell DOCUMENTS the limit differs)', () => {
    const state = given(inProgramme('SIJ'), childRegistered('c1', '2006-06-21'), event('DeadlineSet', sijSet('2024-06-20', 'birthDate;age limit 18 (state of residence unknown)').data as never));
    const events = when(state, 'OpenLegalMatter', { matterId: 'sij', matterType: 'SIJ', childId: 'c1', jurisdiction: 'US-TX' });
    expect(events.slice(1)).toEqual([
      { type: 'DeadlineRecomputed', data: { deadlineId: 'c1-sij-age-out', derivedFrom: 'birthDate;age limit 18 in US-TX', personal: { subjectId: 'c1', previousDueOn: '2024-06-20', dueOn: '2024-06-20' } } },
    ]);
    // Recorded once: the next command finds the basis current and adds nothing.
    const after = given(inProgramme('SIJ'), childRegistered('c1', '2006-06-21'), event('DeadlineSet', sijSet('2024-06-20', 'birthDate;age limit 18 (state of residence unknown)').data as never), ...events);
    expect(when(after, 'AddRelative', { relativeId: 'r1', relationship: 'AUNT', givenName: 'Y', biological: true, vitalStatus: 'ALIVE', adverse: false })).toHaveLength(1);
  });

  it('given a child-level age-out, when the SIJ matter opens in a state with a higher limit, then the same deadline moves, no second one', () => {
    const state = given(inProgramme('SIJ'), childRegistered('c1', '2006-06-21'), event('DeadlineSet', sijSet('2024-06-20', 'birthDate;age limit 18 (state of residence unknown)').data as never));
    expect(when(state, 'OpenLegalMatter', { matterId: 'sij', matterType: 'SIJ', childId: 'c1', jurisdiction: 'US-NY' })).toEqual([
      { type: 'LegalMatterOpened', data: { matterId: 'sij', matterType: 'SIJ', childId: 'c1', jurisdiction: 'US-NY', openedOn: '2024-06-01' } },
      { type: 'DeadlineRecomputed', data: { deadlineId: 'c1-sij-age-out', derivedFrom: 'birthDate;age limit 21 in US-NY', personal: { subjectId: 'c1', previousDueOn: '2024-06-20', dueOn: '2027-06-20' } } },
    ]);
  });

  it('given a family outside the SIJ programme, when an abuse concern about the child is recorded, then the age-out is set', () => {
    const state = given(opened, childRegistered('c1', '2010-05-05'));
    expect(when(state, 'RecordProtectionConcern', { concernId: 'pc', kind: 'ABUSE', neverDiscloseTo: [], subjectPersonId: 'c1' }).slice(1))
      .toEqual([sijSet('2028-05-04', 'birthDate;age limit 18 (state of residence unknown)')]);
  });

  it('given an abuse concern about the mother (named by its narrative), then the children get no age-out from it', () => {
    const state = given(opened, childRegistered('c1', '2010-05-05'), relativeAdded('mother-1', 'MOTHER'));
    expect(when(state, 'RecordProtectionConcern', { concernId: 'pc', kind: 'ABUSE', neverDiscloseTo: [], subjectPersonId: 'mother-1', narrative: 'n' })).toHaveLength(1);
  });

  it('given two children, when a separation by ABANDONMENT is recorded for one, then only that one gets the age-out; PARENT_DEPORTED alone gives none', () => {
    const state = given(opened, childRegistered('c1', '2010-05-05'), childRegistered('c2', '2011-05-05'));
    expect(when(state, 'RecordSeparation', { separatedOn: date('2024-01-01'), cause: 'ABANDONMENT', childIds: ['c2'] }).slice(1)).toEqual([
      { type: 'DeadlineSet', data: { deadlineId: 'c2-sij-age-out', kind: 'SIJ_AGE_OUT', childId: 'c2', derivedFrom: 'birthDate;age limit 18 (state of residence unknown)', personal: { subjectId: 'c2', dueOn: '2029-05-04' } } },
    ]);
    expect(when(state, 'RecordSeparation', { separatedOn: date('2024-01-01'), cause: 'PARENT_DEPORTED', childIds: ['c1', 'c2'] })).toHaveLength(1);
  });

  it('given a mother deceased, when the father is reported deceased, then no parent is available and the age-out is set', () => {
    const state = given(
      opened, childRegistered('c1', '2010-05-05'), relativeAdded('father-1'),
      event('RelativeAdded', { relativeId: 'mother-1', relationship: 'MOTHER', biological: true, vitalStatus: 'DECEASED', adverse: false, personal: { subjectId: 'mother-1', givenName: 'M' } }),
    );
    expect(when(state, 'RecordPersonDeceased', { relativeId: 'father-1' }).map((e) => e.type)).toEqual(['PersonReportedDeceased', 'DeadlineSet']);
  });

  it('uses the state of a custody matter in the US as the state of residence when there is no SIJ matter', () => {
    const state = given(opened, childRegistered('c1', '2010-05-05'), event('LegalMatterOpened', { matterId: 'fc', matterType: 'FAMILY_COURT_CUSTODY', childId: 'c1', jurisdiction: 'US-CA' }));
    expect(when(state, 'RecordProtectionConcern', { concernId: 'pc', kind: 'ABUSE', neverDiscloseTo: [], subjectPersonId: 'c1' })[1])
      .toMatchObject({ data: { personal: { dueOn: '2031-05-04' }, derivedFrom: 'birthDate;age limit 21 in US-CA' } });
  });

  it('does not open an age-out that has already passed on potential eligibility alone', () => {
    const state = given(opened, childRegistered('c1', '2000-05-05'));
    expect(when(state, 'RecordProtectionConcern', { concernId: 'pc', kind: 'ABUSE', neverDiscloseTo: [], subjectPersonId: 'c1' })).toHaveLength(1);
  });

  it('never moves or duplicates an age-out set by hand', () => {
    const state = given(inProgramme('SIJ'), childRegistered('c1', '2006-06-21'), event('DeadlineSet', { deadlineId: 'manual', kind: 'SIJ_AGE_OUT', childId: 'c1', dueOn: date('2024-06-10') }));
    expect(when(state, 'OpenLegalMatter', { matterId: 'sij', matterType: 'SIJ', childId: 'c1', jurisdiction: 'US-NY' })).toHaveLength(1);
  });
});

describe('asylum one-year deadline from the arrival date', () => {
  it('given the ASYLUM programme, when a child is registered with an arrival date, then the deadline is set without waiting for a matter', () => {
    const events = when(given(inProgramme('ASYLUM')), 'RegisterChild', { ...register, birthDate: date('2010-01-01'), arrivalDate: date('2023-11-20') });
    expect(events.slice(1)).toEqual([
      { type: 'DeadlineSet', data: { deadlineId: 'c1-asylum-one-year', kind: 'ASYLUM_ONE_YEAR', childId: 'c1', dueOn: '2024-11-19', derivedFrom: 'arrivalDate;one year' } },
    ]);
  });

  it('given the arrival date unknown, then it is a blocker, and once corrected the deadline follows', () => {
    const state = given(inProgramme('ASYLUM'), childRegistered('c1', '2010-01-01'));
    expect(blockers(state, date('2024-06-01'))).toEqual(['arrival date unknown: asylum one-year deadline cannot be computed']);
    expect(when(state, 'CorrectChildArrivalDate', { childId: 'c1', arrivalDate: date('2023-10-01') })[1])
      .toMatchObject({ type: 'DeadlineSet', data: { deadlineId: 'c1-asylum-one-year', dueOn: '2024-09-30' } });
  });

  it('given a child-level asylum deadline, when an asylum matter opens, then no second deadline is set', () => {
    const state = given(
      inProgramme('ASYLUM'), childRegistered('c1', '2010-01-01', '2023-11-20'),
      event('DeadlineSet', { deadlineId: 'c1-asylum-one-year', kind: 'ASYLUM_ONE_YEAR', childId: 'c1', dueOn: date('2024-11-19'), derivedFrom: 'arrivalDate;one year' }),
    );
    expect(when(state, 'OpenLegalMatter', { matterId: 'asy', matterType: 'ASYLUM', childId: 'c1', jurisdiction: 'US' })).toHaveLength(1);
  });

  it('no derived deadline outside the programme without a matter', () => {
    expect(when(given(opened), 'RegisterChild', { ...register, birthDate: date('2010-01-01'), arrivalDate: date('2023-11-20') })).toHaveLength(1);
    expect(when(given(opened, childRegistered('c1', '2010-01-01', '2023-11-20')), 'OpenLegalMatter', { matterId: 'asy', matterType: 'ASYLUM', childId: 'c1', jurisdiction: 'US' })[1])
      .toMatchObject({ data: { deadlineId: 'asy-asylum-one-year', matterId: 'asy' } });
  });
});

describe('the deadline horizon', () => {
  it('is a setting: 90 days by default, narrower or wider when passed', () => {
    const state = given(opened, event('DeadlineSet', { deadlineId: 'a', kind: 'HEARING', dueOn: date('2024-07-16') }));
    expect(DEADLINE_HORIZON_DAYS).toBe(90);
    expect(blockers(state, date('2024-06-01'))).toEqual(['hearing in 45 days']);
    expect(blockers(state, date('2024-06-01'), { horizonDays: 30 })).toEqual([]);
    expect(NOW.startsWith('2024-06-01')).toBe(true);
  });
});

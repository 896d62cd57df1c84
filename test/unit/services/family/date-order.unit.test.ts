import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../../services/shared/domain-error.js';
import {
  childRegistered, country, date, event, given, matterOpened, opened, rejected, relativeAdded, tracingStarted, when,
} from '../../../support/family-fixtures.js';

/** Rejected with BAD_USER_INPUT on `field`, with this message, which never repeats a date. */
const outOfOrder = (run: () => unknown, field: string, message: string): void => {
  let error: unknown;
  try {
    run();
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe('BAD_USER_INPUT');
  expect((error as DomainError).field).toBe(field);
  expect((error as DomainError).message).toBe(message);
  expect((error as DomainError).message).not.toMatch(/\d{4}-\d{2}-\d{2}/);
};

// A child born in 2014 (the case).
const born2014 = childRegistered('child-1', '2014-03-04');
const detained = event('ChildDetained', { childId: 'child-1', agency: 'ORR', detainedOn: date('2023-01-05') });

describe('dates in order: nothing about a child before the birth', () => {
  it('refuses a detention, separation or any step of the child dated before the birth', () => {
    const state = given(opened, born2014);
    outOfOrder(() => when(state, 'RecordChildDetained', { childId: 'child-1', agency: 'ORR', detainedOn: date('2010-01-01') }), 'detainedOn', "detainedOn is before the child's birth (birthDate)");
    outOfOrder(() => when(state, 'RecordSeparation', { separatedOn: date('2013-12-31'), cause: 'OTHER', childIds: ['child-1'] }), 'separatedOn', "separatedOn is before the child's birth (birthDate)");
    outOfOrder(() => when(state, 'RecordFollowUp', { childId: 'child-1', occurredAt: '2013-01-01T00:00:00.000Z' }), 'occurredAt', "occurredAt is before the child's birth (birthDate)");
    expect(when(state, 'RecordChildDetained', { childId: 'child-1', agency: 'ORR', detainedOn: date('2014-03-04') })).toHaveLength(1);
  });
});

describe('dates in order: custody steps follow each other', () => {
  const inShelter = given(opened, born2014, detained);
  it('refuses a release dated before the detention, naming the field and the fact', () => {
    outOfOrder(() => when(inShelter, 'RecordChildReleased', { childId: 'child-1', releasedOn: date('2023-01-04'), placement: 'SPONSOR' }), 'releasedOn', "releasedOn is before the child's detention (detainedOn)");
    expect(when(inShelter, 'RecordChildReleased', { childId: 'child-1', releasedOn: date('2023-01-05'), placement: 'SPONSOR' })).toHaveLength(1);
  });
  it('refuses a transfer before the detention, and a release before the last transfer', () => {
    outOfOrder(() => when(inShelter, 'RecordChildTransferred', { childId: 'child-1', transferredOn: date('2022-12-01') }), 'transferredOn', "transferredOn is before the child's detention (detainedOn)");
    const moved = given(opened, born2014, detained, event('ChildTransferred', { childId: 'child-1', transferredOn: date('2023-02-01') }));
    outOfOrder(() => when(moved, 'RecordChildReleased', { childId: 'child-1', releasedOn: date('2023-01-20'), placement: 'SPONSOR' }), 'releasedOn', "releasedOn is before the child's transfer (transferredOn)");
  });
  it('refuses a placement change, repatriation or new detention before the release', () => {
    const out = given(opened, born2014, detained, event('ChildReleased', { childId: 'child-1', releasedOn: date('2023-03-01'), placement: 'SPONSOR' }));
    outOfOrder(() => when(out, 'ChangeChildPlacement', { childId: 'child-1', placement: 'FOSTER_CARE', changedOn: date('2023-02-01') }), 'changedOn', "changedOn is before the child's release (releasedOn)");
    outOfOrder(() => when(out, 'RecordChildRepatriated', { childId: 'child-1', country: country('HN'), repatriatedOn: date('2023-02-01') }), 'repatriatedOn', "repatriatedOn is before the child's release (releasedOn)");
    outOfOrder(() => when(out, 'RecordChildDetained', { childId: 'child-1', agency: 'ICE', detainedOn: date('2023-02-01') }), 'detainedOn', "detainedOn is before the child's release (releasedOn)");
  });
});

describe('dates in order: tracing and reunification', () => {
  const sought = given(opened, born2014, relativeAdded(), tracingStarted('father-1', '2024-01-10'));
  it('refuses a location dated before tracing started, and contact before the location', () => {
    outOfOrder(() => when(sought, 'RecordParentLocated', { relativeId: 'father-1', country: country('HN'), method: 'PHONE', occurredAt: '2024-01-09T10:00:00.000Z' }), 'occurredAt', "occurredAt is before the relative's start of tracing (startedOn)");
    const found = when(sought, 'RecordParentLocated', { relativeId: 'father-1', country: country('HN'), method: 'PHONE', occurredAt: '2024-02-01T10:00:00.000Z' });
    expect(found).toEqual([{ type: 'RelativeLocated', data: { relativeId: 'father-1', country: 'HN', method: 'PHONE', locatedOn: '2024-02-01' } }]);
    const state = given(opened, born2014, relativeAdded(), tracingStarted('father-1', '2024-01-10'), ...found);
    outOfOrder(() => when(state, 'RecordContactEstablished', { relativeId: 'father-1', occurredAt: '2024-01-31T10:00:00.000Z' }), 'occurredAt', "occurredAt is before the relative's location (locatedOn)");
    outOfOrder(() => when(state, 'RecordReunification', { childId: 'child-1', relativeId: 'father-1', reunifiedOn: date('2024-01-20'), country: country('HN') }), 'reunifiedOn', "reunifiedOn is before the relative's location (locatedOn)");
  });
  it('refuses a reunification before the child was released', () => {
    const out = given(opened, born2014, relativeAdded(), detained, event('ChildReleased', { childId: 'child-1', releasedOn: date('2023-03-01'), placement: 'SPONSOR' }));
    outOfOrder(() => when(out, 'RecordReunification', { childId: 'child-1', relativeId: 'father-1', reunifiedOn: date('2023-02-01'), country: country('US') }), 'reunifiedOn', "reunifiedOn is before the child's release (releasedOn)");
  });
  it('does not compare with a location stored before its date was recorded', () => {
    const legacy = given(opened, born2014, relativeAdded(), tracingStarted(), event('RelativeLocated', { relativeId: 'father-1', country: country('HN'), method: 'PHONE' }));
    expect(when(legacy, 'RecordReunification', { childId: 'child-1', relativeId: 'father-1', reunifiedOn: date('2014-05-01'), country: country('HN') })).toHaveLength(1);
  });
});

describe('dates in order: legal matters', () => {
  const opening = event('LegalMatterOpened', { matterId: 'm-1', matterType: 'MEXICAN_CUSTODY', childId: 'child-1', jurisdiction: 'MX', openedOn: date('2023-06-01') });
  const filed = event('PetitionFiled', { matterId: 'm-1', filedOn: date('2023-07-01') });
  it('records the opening date and refuses a filing before it', () => {
    expect(when(given(opened, born2014), 'OpenLegalMatter', { matterId: 'm-1', matterType: 'MEXICAN_CUSTODY', childId: 'child-1', jurisdiction: 'MX', occurredAt: '2023-06-01T09:00:00.000Z' })[0]?.data).toMatchObject({ openedOn: '2023-06-01' });
    outOfOrder(() => when(given(opened, born2014, opening), 'RecordPetitionFiled', { matterId: 'm-1', filedOn: date('2023-05-31') }), 'filedOn', "filedOn is before the matter's opening (openedOn)");
  });
  it('refuses hearings, orders, custody recovered and decisions before the filing, and a decision before the order', () => {
    const state = given(opened, born2014, opening, filed);
    outOfOrder(() => when(state, 'ScheduleHearing', { matterId: 'm-1', hearingOn: date('2023-06-15'), deadlineId: 'h' }), 'hearingOn', "hearingOn is before the matter's petition filing (filedOn)");
    outOfOrder(() => when(state, 'RecordCourtOrder', { matterId: 'm-1', orderType: 'CUSTODY_ORDER', issuedOn: date('2023-06-30') }), 'issuedOn', "issuedOn is before the matter's petition filing (filedOn)");
    outOfOrder(() => when(state, 'RecordCustodyRecovered', { matterId: 'm-1', childId: 'child-1', recoveredOn: date('2023-06-30') }), 'recoveredOn', "recoveredOn is before the matter's petition filing (filedOn)");
    const ordered = given(opened, born2014, opening, filed, event('CourtOrderIssued', { matterId: 'm-1', orderType: 'CUSTODY_ORDER', issuedOn: date('2023-09-01') }));
    outOfOrder(() => when(ordered, 'RecordApplicationDecided', { matterId: 'm-1', decision: 'GRANTED', decidedOn: date('2023-08-01') }), 'decidedOn', "decidedOn is before the matter's court order (issuedOn)");
    expect(when(ordered, 'RecordApplicationDecided', { matterId: 'm-1', decision: 'GRANTED', decidedOn: date('2023-09-01') })).toHaveLength(1);
  });
  it('refuses a filing before the child was born, and accepts one for a matter stored without an opening date', () => {
    outOfOrder(() => when(given(opened, born2014, matterOpened()), 'RecordPetitionFiled', { matterId: 'matter-1', filedOn: date('2013-01-01') }), 'filedOn', "filedOn is before the child's birth (birthDate)");
    expect(when(given(opened, born2014, matterOpened()), 'RecordPetitionFiled', { matterId: 'matter-1', filedOn: date('2015-01-01') })).toHaveLength(1);
  });
});

describe('dates in order: correcting a birth date', () => {
  it('refuses a correction that puts the birth after a recorded fact, naming the earliest', () => {
    const state = given(opened, born2014, event('SeparationRecorded', { separatedOn: date('2022-12-20'), cause: 'OTHER', childIds: ['child-1'] }), detained);
    outOfOrder(() => when(state, 'CorrectChildBirthDate', { childId: 'child-1', birthDate: date('2023-01-01'), birthDateEstimated: false }), 'birthDate', "birthDate is after the child's separation (separatedOn)");
    expect(when(state, 'CorrectChildBirthDate', { childId: 'child-1', birthDate: date('2015-01-01'), birthDateEstimated: true })[0]?.type).toBe('ChildBirthDateCorrected');
  });
  it('refuses a correction after a filing or an order of the child matter, or after the arrival', () => {
    const state = given(opened, born2014, event('LegalMatterOpened', { matterId: 'm-1', matterType: 'SIJ', childId: 'child-1', jurisdiction: 'US-NY' }), event('PetitionFiled', { matterId: 'm-1', filedOn: date('2020-01-01') }));
    outOfOrder(() => when(state, 'CorrectChildBirthDate', { childId: 'child-1', birthDate: date('2020-06-01'), birthDateEstimated: false }), 'birthDate', "birthDate is after the child's petition filing (filedOn)");
    const arrived = given(opened, childRegistered('child-1', '2014-03-04', '2019-05-01'));
    outOfOrder(() => when(arrived, 'CorrectChildBirthDate', { childId: 'child-1', birthDate: date('2019-06-01'), birthDateEstimated: false }), 'birthDate', "birthDate is after the child's arrival (arrivalDate)");
    rejected(arrived, 'CorrectChildBirthDate', { childId: 'child-1', birthDate: date('2019-06-01'), birthDateEstimated: false }, 'BAD_USER_INPUT', undefined, 'birthDate');
  });
});

import { describe, expect, it } from 'vitest';
import { blockers, nextDeadline, reunificationStatus } from '../../../../services/family/status.js';
import {
  childRegistered, closed, country, date, documentObtained, documentRequested, event, given, located, matterOpened, opened, petitionFiled, relativeAdded, suspended, tracingStarted,
} from '../../../support/family-fixtures.js';

const today = date('2024-06-01');

describe('reunification status', () => {
  it.each([
    ['INTAKE', given(opened, childRegistered(), relativeAdded())],
    ['SEARCHING', given(opened, childRegistered(), relativeAdded(), tracingStarted())],
    ['IN_CONTACT', given(opened, childRegistered(), relativeAdded(), tracingStarted(), located())],
    ['LEGAL_PROCESS', given(opened, childRegistered(), relativeAdded(), tracingStarted(), located(), documentRequested())],
    ['SEARCHING', given(opened, childRegistered(), relativeAdded(), tracingStarted(), documentRequested())],
    ['READY_TO_REUNIFY', given(opened, childRegistered(), matterOpened(), petitionFiled(), event('CustodyRecovered', { matterId: 'matter-1', childId: 'child-1', recoveredOn: date('2024-03-01') }))],
    ['READY_TO_REUNIFY', given(opened, childRegistered(), event('ChildDetained', { childId: 'child-1', agency: 'ORR', detainedOn: date('2024-01-01') }), event('ChildReleased', { childId: 'child-1', releasedOn: date('2024-02-01'), placement: 'SPONSOR' }))],
    ['REUNIFIED', given(opened, childRegistered(), relativeAdded(), event('ReunificationCompleted', { childId: 'child-1', relativeId: 'father-1', reunifiedOn: date('2024-05-01'), country: country('US') }))],
    ['CLOSED', given(opened, childRegistered(), closed)],
  ] as const)('is %s', (status, state) => {
    expect(reunificationStatus(state)).toBe(status);
  });

  it('is REUNIFIED only when every child is', () => {
    const one = given(opened, childRegistered('c1'), childRegistered('c2'), relativeAdded(), event('ReunificationCompleted', { childId: 'c1', relativeId: 'father-1', reunifiedOn: date('2024-05-01'), country: country('US') }));
    expect(reunificationStatus(one)).not.toBe('REUNIFIED');
  });
});

describe('blockers', () => {
  it('say who is not located since when, by relationship, never by name', () => {
    const state = given(opened, childRegistered(), relativeAdded(), tracingStarted('father-1', '2019-03-02'));
    expect(blockers(state, today)).toEqual(['father not located since 2019-03-02']);
    expect(blockers(state, today).join(' ')).not.toMatch(/Canary/);
  });
  it('say which document waits for what', () => {
    expect(blockers(given(opened, documentRequested()), today)).toEqual(['birth certificate requested, not yet obtained']);
    expect(blockers(given(opened, documentRequested(), documentObtained()), today)).toEqual(['birth certificate awaiting apostille']);
    const all = given(opened, documentRequested('doc-1', { legalisation: true, translation: true, service: true }), documentObtained());
    expect(blockers(all, today)).toEqual(['birth certificate awaiting apostille', 'birth certificate awaiting certified translation', 'birth certificate awaiting service']);
  });
  it('count days to near deadlines and show passed ones', () => {
    const state = given(
      opened,
      event('DeadlineSet', { deadlineId: 'a', kind: 'SIJ_AGE_OUT', dueOn: date('2024-06-13') }),
      event('DeadlineSet', { deadlineId: 'b', kind: 'HEARING', dueOn: date('2024-05-20') }),
      event('DeadlineSet', { deadlineId: 'c', kind: 'ASYLUM_ONE_YEAR', dueOn: date('2025-06-01') }),
      event('DeadlineSet', { deadlineId: 'd', kind: 'RESPONSE_WINDOW', dueOn: date('2024-06-02') }),
    );
    expect(blockers(state, today)).toEqual(['hearing passed on 2024-05-20', 'response window in 1 day', 'SIJ age-out in 12 days']);
    expect(nextDeadline(state)?.deadlineId).toBe('b');
  });
  it('name a stop-work order, an adult at intake, red flags and an unknown arrival date', () => {
    const state = given(
      opened, event('ChildRegistered', { childId: 'c', nationality: country('MX'), needsInterpreter: false, birthDateEstimated: true, ageReviewRequired: true, personal: { subjectId: 'c', givenName: 'X', birthDate: date('2005-01-01') } }),
      matterOpened('asy', 'ASYLUM', 'c', 'US'), event('RedFlagRaised', { flagId: 'f', category: 'SAFETY' }), suspended,
    );
    expect(blockers(state, today)).toEqual([
      "service suspended by a funder's stop-work order",
      'child registered at 18 or older: age needs review',
      'arrival date unknown: asylum one-year deadline cannot be computed',
      '1 open red flag',
    ]);
  });
  it('are empty once the case is closed', () => {
    expect(blockers(given(opened, relativeAdded(), tracingStarted(), closed), today)).toEqual([]);
  });
});

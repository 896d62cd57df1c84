import { describe, expect, it } from 'vitest';
import { childRegistered, country, date, event, given, located, opened, rejected, relativeAdded, tracingStarted, when } from '../../../support/family-fixtures.js';

const detained = event('ChildDetained', { childId: 'child-1', agency: 'ORR', detainedOn: date('2024-01-05') });
const base = given(opened, childRegistered(), relativeAdded());

describe('family decider: separation and custody of the child', () => {
  it('records a separation of known children', () => {
    expect(when(base, 'RecordSeparation', { separatedOn: date('2018-05-20'), cause: 'SEPARATED_AT_BORDER', childIds: ['child-1'] })).toEqual([
      { type: 'SeparationRecorded', data: { separatedOn: '2018-05-20', cause: 'SEPARATED_AT_BORDER', childIds: ['child-1'] } },
    ]);
    rejected(base, 'RecordSeparation', { separatedOn: date('2018-05-20'), cause: 'OTHER', childIds: ['ghost'] }, 'NOT_FOUND', undefined, 'childIds');
    rejected(base, 'RecordSeparation', { separatedOn: date('2030-01-01'), cause: 'OTHER', childIds: [] }, 'BAD_USER_INPUT', undefined, 'separatedOn');
  });
  it('detains, transfers and releases a child in that order only', () => {
    expect(when(base, 'RecordChildDetained', { childId: 'child-1', agency: 'ORR', detainedOn: date('2024-01-05'), facility: 'Shelter 7' })[0]).toMatchObject({
      type: 'ChildDetained', data: { personal: { subjectId: 'child-1', facility: 'Shelter 7' } },
    });
    rejected(base, 'RecordChildReleased', { childId: 'child-1', releasedOn: date('2024-02-01'), placement: 'SPONSOR' }, 'INVALID_TRANSITION', /the child is NOT_IN_CUSTODY/);
    rejected(base, 'RecordChildTransferred', { childId: 'child-1', transferredOn: date('2024-02-01') }, 'INVALID_TRANSITION');
    const inCustody = given(opened, childRegistered(), relativeAdded(), detained);
    rejected(inCustody, 'RecordChildDetained', { childId: 'child-1', agency: 'ORR', detainedOn: date('2024-01-06') }, 'INVALID_TRANSITION', /DETAINED/);
    expect(when(inCustody, 'RecordChildTransferred', { childId: 'child-1', transferredOn: date('2024-02-01') })[0]?.type).toBe('ChildTransferred');
    expect(when(inCustody, 'RecordChildReleased', { childId: 'child-1', releasedOn: date('2024-02-01'), placement: 'RELATIVE', releasedToRelativeId: 'father-1' })[0]).toMatchObject({
      type: 'ChildReleased', data: { releasedToRelativeId: 'father-1', placement: 'RELATIVE' },
    });
    rejected(inCustody, 'RecordChildReleased', { childId: 'child-1', releasedOn: date('2024-02-01'), placement: 'RELATIVE', releasedToRelativeId: 'ghost' }, 'NOT_FOUND', undefined, 'releasedToRelativeId');
  });
  it('changes a placement and repatriates a child', () => {
    expect(when(base, 'ChangeChildPlacement', { childId: 'child-1', placement: 'DIF', changedOn: date('2024-03-01') })[0]?.type).toBe('ChildPlacementChanged');
    expect(when(base, 'RecordChildRepatriated', { childId: 'child-1', country: country('NI'), repatriatedOn: date('2024-03-01') })[0]?.type).toBe('ChildRepatriated');
    rejected(given(opened, childRegistered(), event('ChildRepatriated', { childId: 'child-1', country: country('NI'), repatriatedOn: date('2024-03-01') })),
      'RecordChildRepatriated', { childId: 'child-1', country: country('NI'), repatriatedOn: date('2024-03-02') }, 'INVALID_TRANSITION', /REPATRIATED/);
  });
});

describe('family decider: tracing', () => {
  const tracing = given(opened, childRegistered(), relativeAdded(), tracingStarted());
  it('starts tracing a relative, dated by when it happened', () => {
    expect(when(base, 'StartTracing', { relativeId: 'father-1', defenderOrganizationId: 'org-hn', occurredAt: '2024-05-01T00:00:00.000Z' })).toEqual([
      { type: 'TracingStarted', data: { relativeId: 'father-1', defenderOrganizationId: 'org-hn', startedOn: '2024-05-01' } },
    ]);
    rejected(tracing, 'StartTracing', { relativeId: 'father-1', defenderOrganizationId: 'org-hn' }, 'INVALID_TRANSITION', /TRACING/);
    rejected(base, 'StartTracing', { relativeId: 'ghost', defenderOrganizationId: 'org-hn' }, 'NOT_FOUND', undefined, 'relativeId');
  });
  it('locates a relative only while being traced', () => {
    rejected(base, 'RecordParentLocated', { relativeId: 'father-1', country: country('HN'), method: 'PHONE' }, 'INVALID_TRANSITION', /the relative is NOT_SOUGHT \(allowed from TRACING\)/);
    expect(when(tracing, 'RecordParentLocated', { relativeId: 'father-1', country: country('HN'), method: 'NEIGHBOURS', place: 'village' })[0]).toMatchObject({
      type: 'RelativeLocated', data: { country: 'HN', method: 'NEIGHBOURS', personal: { subjectId: 'father-1', place: 'village' } },
    });
  });
  it('records contact attempts and leads while tracing, not before', () => {
    expect(when(tracing, 'RecordContactAttempt', { relativeId: 'father-1', channel: 'PHONE', result: 'WRONG_NUMBER' })[0]?.type).toBe('ContactAttemptMade');
    expect(when(tracing, 'RecordLead', { relativeId: 'father-1', lead: 'neighbour number' })[0]?.type).toBe('LeadReceived');
    rejected(base, 'RecordContactAttempt', { relativeId: 'father-1', channel: 'PHONE', result: 'NO_ANSWER' }, 'INVALID_TRANSITION');
  });
  it('establishes contact after locating, and takes a preference from a located parent', () => {
    const found = given(opened, childRegistered(), relativeAdded(), tracingStarted(), located());
    expect(when(found, 'RecordContactEstablished', { relativeId: 'father-1' })[0]?.type).toBe('ContactEstablished');
    expect(when(found, 'RecordPreference', { relativeId: 'father-1', preference: 'CHILD_STAYS_FOR_PROTECTION' })[0]?.type).toBe('PreferenceDeclared');
    rejected(tracing, 'RecordContactEstablished', { relativeId: 'father-1' }, 'INVALID_TRANSITION');
    rejected(tracing, 'RecordPreference', { relativeId: 'father-1', preference: 'CHILD_RETURNS_HOME' }, 'INVALID_TRANSITION');
  });
  it('marks a traced person unreachable, then tracing can start again', () => {
    expect(when(tracing, 'RecordPersonUnreachable', { relativeId: 'father-1' })[0]?.type).toBe('PersonUnreachable');
    const unreachable = given(opened, childRegistered(), relativeAdded(), tracingStarted(), event('PersonUnreachable', { relativeId: 'father-1' }));
    expect(when(unreachable, 'StartTracing', { relativeId: 'father-1', defenderOrganizationId: 'org-hn' })[0]?.type).toBe('TracingStarted');
  });
  it('records a death once', () => {
    const dead = given(opened, relativeAdded(), event('PersonReportedDeceased', { relativeId: 'father-1' }));
    expect(when(base, 'RecordPersonDeceased', { relativeId: 'father-1' })[0]?.type).toBe('PersonReportedDeceased');
    rejected(dead, 'RecordPersonDeceased', { relativeId: 'father-1' }, 'INVALID_TRANSITION', /DECEASED/);
    rejected(dead, 'StartTracing', { relativeId: 'father-1', defenderOrganizationId: 'org-hn' }, 'INVALID_TRANSITION');
  });
});

describe('family decider: verification', () => {
  it('verifies identity, relationship and safety of known people only', () => {
    expect(when(base, 'RecordIdentityVerified', { personId: 'child-1', method: 'DOCUMENT' })[0]?.type).toBe('IdentityVerified');
    expect(when(base, 'RecordRelationshipVerified', { relativeId: 'father-1', method: 'DNA', biological: false })[0]?.data).toMatchObject({ biological: false });
    expect(when(base, 'RecordSafetyAssessment', { relativeId: 'father-1', outcome: 'SAFE' })[0]?.type).toBe('SafetyAssessmentCompleted');
    rejected(base, 'RecordIdentityVerified', { personId: 'ghost', method: 'DNA' }, 'NOT_FOUND');
    rejected(base, 'RecordRelationshipVerified', { relativeId: 'ghost', method: 'DNA', biological: true }, 'NOT_FOUND');
    rejected(base, 'RecordSafetyAssessment', { relativeId: 'ghost', outcome: 'SAFE' }, 'NOT_FOUND');
  });
  it('raises and clears red flags', () => {
    const [raised] = when(base, 'RaiseRedFlag', { flagId: 'rf-1', category: 'IDENTITY_DOUBT', subjectPersonId: 'father-1', narrative: 'names differ' });
    expect(raised).toMatchObject({ type: 'RedFlagRaised', data: { personal: { subjectId: 'father-1' } } });
    expect(when(given(opened, childRegistered(), relativeAdded(), raised!), 'ClearRedFlag', { flagId: 'rf-1' })[0]?.type).toBe('RedFlagCleared');
    rejected(base, 'ClearRedFlag', { flagId: 'rf-1' }, 'NOT_FOUND', undefined, 'flagId');
  });
});

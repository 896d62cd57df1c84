import { describe, expect, it } from 'vitest';
import { familySeenAt, hiddenPersonIds } from '../../../../services/family/disclosure.js';
import { blockers, reunificationStatus } from '../../../../services/family/status.js';
import { childRegistered, country, date, event, given, opened, relativeAdded, tracingStarted } from '../../../support/family-fixtures.js';

describe('hiddenPersonIds', () => {
  const state = given(
    opened, childRegistered(), relativeAdded('mother', 'MOTHER'), relativeAdded('stepfather', 'STEPFATHER', true), relativeAdded('aunt', 'AUNT'),
    event('ProtectionConcernRecorded', { concernId: 'pc', kind: 'ABUSE', neverDiscloseTo: ['aunt'] }),
  );

  it('below FULL: adverse relatives and everyone named in "never disclose to"', () => {
    expect([...hiddenPersonIds(state, 'STATUS')].sort()).toEqual(['aunt', 'stepfather']);
    expect([...hiddenPersonIds(state, 'DOCUMENTS')].sort()).toEqual(['aunt', 'stepfather']);
  });

  it('FULL sees everyone', () => {
    expect(hiddenPersonIds(state, 'FULL').size).toBe(0);
  });

  it('a second concern adds to the first', () => {
    const more = given(opened, relativeAdded('mother', 'MOTHER'), relativeAdded('aunt', 'AUNT'),
      event('ProtectionConcernRecorded', { concernId: 'pc-1', kind: 'ABUSE', neverDiscloseTo: ['aunt'] }),
      event('ProtectionConcernRecorded', { concernId: 'pc-2', kind: 'ABUSE', neverDiscloseTo: ['mother'] }));
    expect([...hiddenPersonIds(more, 'STATUS')].sort()).toEqual(['aunt', 'mother']);
  });
});

describe('familySeenAt', () => {
  const state = given(
    opened, childRegistered(), relativeAdded('aunt', 'AUNT'),
    event('ProtectionConcernRecorded', { concernId: 'pc', kind: 'ABUSE', neverDiscloseTo: ['aunt'] }),
    tracingStarted('aunt'),
    event('DocumentRequested', { documentId: 'aunt-id', documentType: 'IDENTITY_DOCUMENT', issuingCountry: country('HN'), assignedOrganizationId: 'o', subjectPersonId: 'aunt',
      needsLegalisation: false, needsTranslation: false, needsService: false }),
    event('RedFlagRaised', { flagId: 'flag', category: 'SAFETY', subjectPersonId: 'aunt' }),
  );

  it('below FULL: the family as if the hidden person had never been recorded', () => {
    const seen = familySeenAt(state, 'STATUS');
    expect([...seen.relatives.keys()]).toEqual([]);
    expect([...seen.documents.keys()]).toEqual([]);
    expect([...seen.openRedFlags]).toEqual([]);
    expect(reunificationStatus(seen)).toBe('INTAKE');
    expect(blockers(seen, date('2024-06-20'))).toEqual([]);
  });

  it('FULL: the state itself', () => {
    expect(familySeenAt(state, 'FULL')).toBe(state);
    expect(reunificationStatus(state)).toBe('SEARCHING');
  });
});

describe('blockers by the precision a reader may know', () => {
  const today = date('2024-06-20');
  const due = (dueOn: string) => given(opened, childRegistered(), event('DeadlineSet', { deadlineId: 'd', kind: 'SIJ_AGE_OUT', dueOn: date(dueOn) }));

  it('by month: the same sentence for every day of the month, and "passed" only once the month is over', () => {
    expect(blockers(due('2024-06-02'), today, { precisionOf: () => 'MONTH' })).toEqual(['SIJ age-out due this month']);
    expect(blockers(due('2024-06-29'), today, { precisionOf: () => 'MONTH' })).toEqual(['SIJ age-out due this month']);
    expect(blockers(due('2024-07-01'), today, { precisionOf: () => 'MONTH' })).toEqual(['SIJ age-out due next month']);
    expect(blockers(due('2024-09-30'), today, { precisionOf: () => 'MONTH' })).toEqual(['SIJ age-out due in 3 months']);
    expect(blockers(due('2024-10-01'), today, { precisionOf: () => 'MONTH' })).toEqual([]);
    expect(blockers(due('2024-05-31'), today, { precisionOf: () => 'MONTH' })).toEqual(['SIJ age-out passed']);
  });

  it('not at all: no sentence; by day (the default): the day', () => {
    expect(blockers(due('2024-06-29'), today, { precisionOf: () => 'NONE' })).toEqual([]);
    expect(blockers(due('2024-06-29'), today)).toEqual(['SIJ age-out in 9 days']);
  });

  it('ordered by what is shown: two deadlines in one month keep the order they were set in', () => {
    const two = given(opened, childRegistered(),
      event('DeadlineSet', { deadlineId: 'late', kind: 'HEARING', dueOn: date('2024-07-28') }),
      event('DeadlineSet', { deadlineId: 'early', kind: 'SIJ_AGE_OUT', dueOn: date('2024-07-02') }),
      tracingStarted('x'));
    expect(blockers(two, today, { precisionOf: () => 'MONTH' })).toEqual(['hearing due next month', 'SIJ age-out due next month']);
    expect(blockers(two, today)).toEqual(['SIJ age-out in 12 days', 'hearing in 38 days']);
  });
});

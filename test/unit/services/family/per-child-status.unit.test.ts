import { describe, expect, it } from 'vitest';
import { blockers, childBlockers, childStatus, reunificationStatus } from '../../../../services/family/status.js';
import { childRegistered, country, date, documentRequested, event, given, opened, relativeAdded, tracingStarted, when } from '../../../support/family-fixtures.js';

/** Issue 14, item 1: status is per child; the family's is derived from its children's. */
const today = date('2024-06-01');
const detained = (childId: string, on: string, facility = 'Canary Shelter') =>
  event('ChildDetained', { childId, agency: 'ORR', detainedOn: date(on), personal: { subjectId: childId, facility } });
const released = (childId: string, on: string) => event('ChildReleased', { childId, releasedOn: date(on), placement: 'SPONSOR' });
const deceased = (relativeId: string, relationship: 'MOTHER' | 'FATHER') =>
  event('RelativeAdded', { relativeId, relationship, biological: true, vitalStatus: 'DECEASED', adverse: false, personal: { subjectId: relativeId, givenName: 'Canary-Parent' } });

const siblings = [
  opened, childRegistered('c1', '2014-01-01'), childRegistered('c2', '2012-01-01'), relativeAdded('father-1'), tracingStarted('father-1', '2024-01-10'),
  detained('c1', '2024-01-05', 'Canary Shelter Texas'), detained('c2', '2024-01-06', 'Canary Shelter Arizona'),
];

describe('status per child', () => {
  it('given siblings detained apart and the father not located, when one is released to a sponsor, then the family is not READY_TO_REUNIFY', () => {
    const state = given(...siblings, released('c1', '2024-03-01'));
    expect(childStatus(state, 'c1')).toBe('READY_TO_REUNIFY');
    expect(childStatus(state, 'c2')).toBe('SEARCHING');
    expect(reunificationStatus(state)).toBe('SEARCHING');
    expect(blockers(state, today)).toEqual(['child 2: still detained since 2024-01-06', 'father not located since 2024-01-10']);
  });

  it('given two children, one reunified, then the family is as far along as the other (the least advanced child still open)', () => {
    const state = given(
      opened, childRegistered('c1'), childRegistered('c2'), relativeAdded('mother-1', 'MOTHER'),
      event('ReunificationCompleted', { childId: 'c1', relativeId: 'mother-1', reunifiedOn: date('2024-05-01'), country: country('US') }),
      event('LegalMatterOpened', { matterId: 'm', matterType: 'FAMILY_COURT_CUSTODY', childId: 'c2', jurisdiction: 'US-NY' }),
    );
    expect([childStatus(state, 'c1'), childStatus(state, 'c2'), reunificationStatus(state)]).toEqual(['REUNIFIED', 'LEGAL_PROCESS', 'LEGAL_PROCESS']);
  });

  it('given a relationship recorded to one child only, then only that child is SEARCHING for that relative and the blocker names it', () => {
    const state = given(
      opened, childRegistered('c1'), childRegistered('c2'), relativeAdded('father-2'),
      event('RelationshipRecorded', { relativeId: 'father-2', childId: 'c2', relationship: 'FATHER', biological: true }), tracingStarted('father-2', '2024-02-01'),
    );
    expect([childStatus(state, 'c1'), childStatus(state, 'c2')]).toEqual(['INTAKE', 'SEARCHING']);
    expect(blockers(state, today)).toEqual(['child 2: father not located since 2024-02-01']);
    expect(childBlockers(state, 'c2', today)).toEqual(['father not located since 2024-02-01']);
    expect(childBlockers(state, 'c1', today)).toEqual([]);
  });

  it('name several children by their order of registration, never by name or birth date', () => {
    const state = given(
      opened, childRegistered('c1'), childRegistered('c2'), childRegistered('c3'),
      detained('c1', '2024-01-05'), detained('c3', '2024-01-05'),
      documentRequested('doc-1'), event('DocumentRequested', { documentId: 'doc-2', documentType: 'PASSPORT', issuingCountry: country('HN'), assignedOrganizationId: 'org-a', subjectPersonId: 'c2', needsLegalisation: false, needsTranslation: false, needsService: false }),
    );
    expect(blockers(state, today)).toEqual([
      'children 1 and 3: still detained since 2024-01-05', 'birth certificate requested, not yet obtained', 'child 2: passport requested, not yet obtained',
    ]);
    expect(blockers(state, today).join(' ')).not.toMatch(/Canary|2012|2014/);
  });
});

describe('placement history per child', () => {
  it('given a detained child, when transferred, then the history keeps both facilities (as personal data) and the blocker says so', () => {
    const state = given(opened, childRegistered('c1'), detained('c1', '2024-01-05', 'Canary Shelter Texas'));
    const events = when(state, 'RecordChildTransferred', { childId: 'c1', transferredOn: date('2024-03-01'), facility: 'Canary Shelter Illinois' });
    const after = given(opened, childRegistered('c1'), detained('c1', '2024-01-05', 'Canary Shelter Texas'), ...events);
    expect(after.children.get('c1')?.placementHistory).toEqual([
      { change: 'DETAINED', on: '2024-01-05', placement: 'ORR_SHELTER', agency: 'ORR', personal: { subjectId: 'c1', facility: 'Canary Shelter Texas' } },
      { change: 'TRANSFERRED', on: '2024-03-01', placement: 'ORR_SHELTER', personal: { subjectId: 'c1', facility: 'Canary Shelter Illinois' } },
    ]);
    expect(blockers(after, today)).toEqual(['still detained since 2024-01-05, transferred on 2024-03-01']);
  });

  it('given a child released to a relative, when repatriated, then its placement is no longer the US one and reunification is what is left', () => {
    const state = given(
      opened, childRegistered('c1'), relativeAdded('mother-1', 'MOTHER'), detained('c1', '2024-01-05'),
      event('ChildRepatriated', { childId: 'c1', country: country('HN'), repatriatedOn: date('2024-04-01') }),
    );
    const child = state.children.get('c1');
    expect(child).toMatchObject({ custody: 'REPATRIATED', placement: undefined });
    expect(child?.placementHistory.at(-1)).toEqual({ change: 'REPATRIATED', on: '2024-04-01', placement: undefined, country: 'HN' });
    expect(blockers(state, today)).toEqual(['repatriated on 2024-04-01, reunification not yet recorded']);
    const reunified = given(opened, childRegistered('c1'), relativeAdded('mother-1', 'MOTHER'), detained('c1', '2024-01-05'),
      event('ChildRepatriated', { childId: 'c1', country: country('HN'), repatriatedOn: date('2024-04-01') }),
      event('ReunificationCompleted', { childId: 'c1', relativeId: 'mother-1', reunifiedOn: date('2024-04-02'), country: country('HN') }));
    expect(reunified.children.get('c1')).toMatchObject({ placement: 'RELATIVE', placementHistory: expect.arrayContaining([expect.objectContaining({ change: 'REUNIFIED', relativeId: 'mother-1' })]) as unknown });
    expect(blockers(reunified, today)).toEqual([]);
  });
});

describe('a child with no parent available', () => {
  const orphaned = [opened, childRegistered('c1', '2012-01-01'), deceased('mother-1', 'MOTHER'), deceased('father-1', 'FATHER')] as const;

  it('given both parents deceased and no one else, then the child is SEARCHING for another caregiver, not INTAKE', () => {
    const state = given(...orphaned);
    expect(reunificationStatus(state)).toBe('SEARCHING');
    expect(blockers(state, today)).toEqual(['no parent available (deceased or adverse): another caregiver to be found and assessed']);
  });

  it('given an aunt recorded, then she is to be assessed; assessed UNSAFE, another caregiver is needed; SAFE, a placement decision', () => {
    const withAunt = [...orphaned, relativeAdded('aunt-1', 'AUNT')];
    expect(reunificationStatus(given(...withAunt))).toBe('IN_CONTACT');
    expect(blockers(given(...withAunt), today)).toEqual(['no parent available: aunt to be assessed as caregiver (safety assessment)']);
    const unsafe = given(...withAunt, event('SafetyAssessmentCompleted', { relativeId: 'aunt-1', outcome: 'UNSAFE' }));
    expect(blockers(unsafe, today)).toEqual(['no parent available (deceased or adverse): another caregiver to be found and assessed']);
    const safe = given(...withAunt, event('SafetyAssessmentCompleted', { relativeId: 'aunt-1', outcome: 'SAFE' }));
    expect(blockers(safe, today)).toEqual(['no parent available: placement decision needed (aunt assessed)']);
    const planned = given(...withAunt, event('SafetyAssessmentCompleted', { relativeId: 'aunt-1', outcome: 'SAFE' }), event('ReunificationPlanned', { childId: 'c1', relativeId: 'aunt-1' }));
    // Planned, the aunt's identity and relationship are still to be verified (safety-gates.ts).
    expect([reunificationStatus(planned), blockers(planned, today)]).toEqual(['READY_TO_REUNIFY', ['aunt: identity not verified', 'aunt: relationship not verified']]);
    const verified = given(...withAunt, event('SafetyAssessmentCompleted', { relativeId: 'aunt-1', outcome: 'SAFE' }), event('IdentityVerified', { personId: 'aunt-1', method: 'DOCUMENT' }),
      event('RelationshipVerified', { relativeId: 'aunt-1', method: 'DOCUMENT', biological: true }), event('ReunificationPlanned', { childId: 'c1', relativeId: 'aunt-1' }));
    expect([reunificationStatus(verified), blockers(verified, today)]).toEqual(['READY_TO_REUNIFY', []]);
  });

  it('given a mother deceased and the father an adverse party, then no parent is available either', () => {
    const state = given(opened, childRegistered('c1'), deceased('mother-1', 'MOTHER'), relativeAdded('father-1', 'FATHER', true));
    expect(reunificationStatus(state)).toBe('SEARCHING');
    expect(blockers(state, today)).toEqual(['no parent available (deceased or adverse): another caregiver to be found and assessed']);
  });

  it('given one parent alive, then the rule does not apply', () => {
    const state = given(opened, childRegistered('c1'), deceased('mother-1', 'MOTHER'), relativeAdded('father-1'));
    expect([reunificationStatus(state), blockers(state, today)]).toEqual(['INTAKE', []]);
  });
});

import { describe, expect, it } from 'vitest';
import type { FamilyEvent } from '../../../../services/family/events.js';
import { blockers, nextDeadline } from '../../../../services/family/status.js';
import { upcastStoredFamilyEvent } from '../../../../services/family/upcast.js';
import { erasedPersonal } from '../../../../services/privacy/sealed-data.js';
import { discloseEventData, disclosureContext } from '../../../../projections/families/disclose.js';
import { childRegistered, date, event, given, when } from '../../../support/family-fixtures.js';

/**
 * Issue 13 (the age-out): an SIJ age-out day is the birth date plus the age limit minus a day,
 * so from family events version 5 its dates sit under the child's `personal` and go with the
 * child's erasure. NOW is 2024-06-01.
 */
const sij = event('FamilyCaseOpened', { familyId: 'fam-1', leadOrganizationId: 'org-a', programme: 'SIJ' });
const ageOutSet = (personal: object): FamilyEvent =>
  event('DeadlineSet', { deadlineId: 'child-1-sij-age-out', kind: 'SIJ_AGE_OUT', childId: 'child-1', derivedFrom: 'birthDate;age limit 18 (state of residence unknown)', personal: personal as never });
const hearing = event('DeadlineSet', { deadlineId: 'h', kind: 'HEARING', dueOn: date('2024-07-01') });
const erased = event('SubjectErased', { subjectId: 'child-1', personKind: 'CHILD', reason: 'SUBJECT_REQUEST' });

describe('an age-out day is the child\'s personal data', () => {
  it('is folded from under personal', () => {
    const state = given(sij, childRegistered('child-1', '2006-06-21'), ageOutSet({ subjectId: 'child-1', dueOn: '2024-06-20' }));
    expect(state.deadlines.get('child-1-sij-age-out')).toMatchObject({ dueOn: '2024-06-20', status: 'OPEN', personalDueOn: true });
    expect(blockers(state, date('2024-06-01'))).toEqual(['SIJ age-out in 19 days']);
  });

  it('after the child\'s erasure keeps its kind and status without a day; blockers and nextDeadline skip it; recompute does not fail', () => {
    const state = given(sij, childRegistered('child-1', '2006-06-21'), ageOutSet({ subjectId: 'child-1', dueOn: '2024-06-20' }), hearing, erased);
    expect(state.deadlines.get('child-1-sij-age-out')).toMatchObject({ kind: 'SIJ_AGE_OUT', status: 'OPEN', dueOn: undefined });
    expect(state.deadlines.get('h')?.dueOn).toBe('2024-07-01');
    expect(blockers(state, date('2024-06-01'))).toEqual(['hearing in 30 days']);
    expect(nextDeadline(state)?.deadlineId).toBe('h');
    expect(when(state, 'AddRelative', { relativeId: 'r1', relationship: 'AUNT', givenName: 'Y', biological: true, vitalStatus: 'ALIVE', adverse: false })).toHaveLength(1);
  });

  it('opened as erased (a destroyed key: a rebuild or a restored store) folds to the same deadline without a day', () => {
    const state = given(sij, childRegistered('child-1', '2006-06-21'), ageOutSet(erasedPersonal('child-1')),
      event('DeadlineRecomputed', { deadlineId: 'child-1-sij-age-out', derivedFrom: 'corrected birthDate', personal: erasedPersonal('child-1') as never }));
    expect(state.deadlines.get('child-1-sij-age-out')).toMatchObject({ kind: 'SIJ_AGE_OUT', status: 'OPEN', dueOn: undefined });
  });

  it('stored at version 4 (dueOn in the data) is upcast under the child\'s personal; other deadlines keep theirs', () => {
    const v4 = { type: 'DeadlineSet', metadata: { schemaVersion: 4 }, data: { deadlineId: 'd', kind: 'SIJ_AGE_OUT', childId: 'child-1', dueOn: '2024-06-20', derivedFrom: 'birthDate;age limit 18 (state of residence unknown)' } };
    expect(upcastStoredFamilyEvent(v4).data).toEqual({ deadlineId: 'd', kind: 'SIJ_AGE_OUT', childId: 'child-1', derivedFrom: 'birthDate;age limit 18 (state of residence unknown)', personal: { subjectId: 'child-1', dueOn: '2024-06-20' } });
    const manual = { type: 'DeadlineSet', metadata: { schemaVersion: 4 }, data: { deadlineId: 'm', kind: 'SIJ_AGE_OUT', childId: 'child-1', dueOn: '2024-06-20' } };
    expect(upcastStoredFamilyEvent(manual).data).toEqual(manual.data);
  });
});

describe('an age-out day in the history follows DEADLINE_PRECISION (FULL the day; DOCUMENTS and STATUS nothing)', () => {
  const state = given(sij, childRegistered('child-1', '2006-06-21'), ageOutSet({ subjectId: 'child-1', dueOn: '2024-06-20' }));
  const data = { deadlineId: 'child-1-sij-age-out', kind: 'SIJ_AGE_OUT', childId: 'child-1', derivedFrom: 'birthDate;age limit 18', personal: { subjectId: 'child-1', dueOn: '2024-06-20' } };
  const recomputed = { deadlineId: 'child-1-sij-age-out', derivedFrom: 'corrected birthDate', personal: { subjectId: 'child-1', previousDueOn: '2024-06-20', dueOn: '2025-01-01' } };
  it('FULL reads the days', () => {
    expect(JSON.stringify(discloseEventData('DeadlineSet', data, disclosureContext(state, 'FULL')))).toContain('2024-06-20');
    expect(JSON.stringify(discloseEventData('DeadlineRecomputed', recomputed, disclosureContext(state, 'FULL')))).toContain('2025-01-01');
  });
  it.each(['DOCUMENTS', 'STATUS'] as const)('%s reads neither the day nor its month', (scope) => {
    for (const [type, record] of [['DeadlineSet', data], ['DeadlineRecomputed', recomputed]] as const) {
      const shown = JSON.stringify(discloseEventData(type, record, disclosureContext(state, scope)));
      expect(shown).not.toMatch(/2024-06|2025-01/);
    }
  });
});

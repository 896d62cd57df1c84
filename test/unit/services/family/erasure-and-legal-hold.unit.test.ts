import { describe, expect, it } from 'vitest';
import { decideAccess } from '../../../../services/family/access-policy.js';
import type { FamilyEvent } from '../../../../services/family/events.js';
import { evolve } from '../../../../services/family/evolve.js';
import type { FamilyState } from '../../../../services/family/state.js';
import { erasedPersonal } from '../../../../services/privacy/sealed-data.js';
import type { Actor } from '../../../../services/shared/decider.js';
import {
  ADVOCATE, childRegistered, closed, command, date, event, given, matterOpened, opened, rejected, relativeAdded, when,
} from '../../../support/family-fixtures.js';

/** Issue 13 item 4: eraseSubject, placeLegalHold, liftLegalHold in the decider and the fold. */

const ADMIN: Actor = { userId: 'admin-a', organizationId: 'org-a', role: 'ADMIN' };
const OTHER_ADMIN: Actor = { userId: 'admin-b', organizationId: 'org-b', role: 'ADMIN' };
const erase = (subjectId = 'child-1') => ({ subjectId, reason: 'SUBJECT_REQUEST' as const, actor: ADMIN });
const held = event('LegalHoldPlaced', { holdId: 'hold-1', reason: 'COURT_ORDER' });
const erasedEvent = (subjectId = 'child-1', personKind: 'CHILD' | 'RELATIVE' = 'CHILD'): FamilyEvent =>
  event('SubjectErased', { subjectId, personKind, reason: 'SUBJECT_REQUEST' });
const detained = event('ChildDetained', { childId: 'child-1', agency: 'ORR', detainedOn: date('2024-02-01'), personal: { subjectId: 'child-1', facility: 'Canary-Facility' } });

describe('eraseSubject', () => {
  const family = given(opened, childRegistered(), relativeAdded(), detained);

  it('records SubjectErased with the person kind, the reason and the reference (sealed under the case subject): nothing of the person', () => {
    expect(when(family, 'EraseSubject', { ...erase(), reference: 'REQ-42' })).toEqual([
      { type: 'SubjectErased', data: { subjectId: 'child-1', personKind: 'CHILD', reason: 'SUBJECT_REQUEST', personal: { subjectId: 'case:notes', reference: 'REQ-42' } } },
    ]);
    expect(when(family, 'EraseSubject', erase('father-1'))[0]?.data).toEqual({ subjectId: 'father-1', personKind: 'RELATIVE', reason: 'SUBJECT_REQUEST' });
  });

  it('is an ADMIN of the lead organisation\'s alone', () => {
    rejected(family, 'EraseSubject', { ...erase(), actor: ADVOCATE }, 'FORBIDDEN', /administrator of the lead/);
    expect(decideAccess(command('EraseSubject', { ...erase(), actor: OTHER_ADMIN }), family)).toEqual({ allowed: false, reason: 'NOT_VISIBLE' });
  });

  it('needs a child or relative of the family', () => {
    rejected(family, 'EraseSubject', erase('nobody'), 'NOT_FOUND', /person not found/, 'subjectId');
  });

  it('is refused with LEGAL_HOLD while a hold stands, and allowed once it is lifted', () => {
    rejected(given(opened, childRegistered(), held), 'EraseSubject', erase(), 'LEGAL_HOLD', /legal hold stands/);
    const lifted = given(opened, childRegistered(), held, event('LegalHoldLifted', { holdId: 'hold-1' }));
    expect(when(lifted, 'EraseSubject', erase())[0]?.type).toBe('SubjectErased');
  });

  it('erasing twice is refused (INVALID_TRANSITION): erasure happens once', () => {
    rejected(given(opened, childRegistered(), erasedEvent()), 'EraseSubject', erase(), 'INVALID_TRANSITION', /already erased/);
  });

  it('works on a closed case (retention ended), where other steps are refused', () => {
    const done = given(opened, childRegistered(), closed);
    expect(when(done, 'EraseSubject', { ...erase(), reason: 'RETENTION_EXPIRED' })[0]?.type).toBe('SubjectErased');
    expect(when(done, 'PlaceLegalHold', { holdId: 'h', reason: 'LITIGATION' })[0]?.type).toBe('LegalHoldPlaced');
  });

  it('refuses new personal data about an erased person', () => {
    rejected(given(opened, childRegistered(), erasedEvent()), 'RecordMedicalNeeds', { childId: 'child-1', medicalNeeds: 'x' }, 'INVALID_TRANSITION', /erased/);
    // Facts without personal data go on (the case is still worked).
    expect(when(given(opened, childRegistered(), erasedEvent()), 'RecordChildDetained', { childId: 'child-1', agency: 'ORR', detainedOn: date('2024-02-01') })[0]?.type).toBe('ChildDetained');
  });
});

describe('legal holds', () => {
  it('placing needs a new hold id; lifting a standing hold is an ADMIN of the lead\'s', () => {
    const family = given(opened, childRegistered(), held);
    rejected(family, 'PlaceLegalHold', { holdId: 'hold-1', reason: 'LITIGATION' }, 'BAD_USER_INPUT', /already exists/, 'holdId');
    expect(when(family, 'PlaceLegalHold', { holdId: 'hold-2', reason: 'LITIGATION', reference: 'case-9' })).toEqual([
      { type: 'LegalHoldPlaced', data: { holdId: 'hold-2', reason: 'LITIGATION', personal: { subjectId: 'case:notes', reference: 'case-9' } } },
    ]);
    rejected(family, 'LiftLegalHold', { holdId: 'hold-1' }, 'FORBIDDEN', /administrator of the lead/);
    expect(when(family, 'LiftLegalHold', { holdId: 'hold-1', actor: ADMIN })).toEqual([{ type: 'LegalHoldLifted', data: { holdId: 'hold-1' } }]);
    rejected(given(opened, held, event('LegalHoldLifted', { holdId: 'hold-1' })), 'LiftLegalHold', { holdId: 'hold-1', actor: ADMIN }, 'NOT_FOUND', /standing legal hold/);
  });

  it('two holds: erasure waits until both are lifted', () => {
    const two = given(opened, childRegistered(), held, event('LegalHoldPlaced', { holdId: 'hold-2', reason: 'INVESTIGATION' }), event('LegalHoldLifted', { holdId: 'hold-1' }));
    rejected(two, 'EraseSubject', erase(), 'LEGAL_HOLD');
  });
});

describe('the fold of an erased person', () => {
  const child = (state: FamilyState) => state.children.get('child-1');

  it('SubjectErased leaves a tombstone: facts kept, personal data gone', () => {
    const state = given(opened, childRegistered(), relativeAdded(), detained, erasedEvent(), erasedEvent('father-1', 'RELATIVE'));
    expect(child(state)).toMatchObject({ erased: true, givenName: undefined, birthDate: undefined, medicalNeeds: undefined, nationality: 'HN', custody: 'DETAINED' });
    expect(child(state)?.placementHistory).toEqual([{ change: 'DETAINED', on: '2024-02-01', placement: 'ORR_SHELTER', agency: 'ORR' }]);
    expect(state.relatives.get('father-1')).toMatchObject({ erased: true, givenName: undefined, relationship: 'FATHER' });
  });

  it('events whose personal part opens as erased fold to the same tombstone (a rebuild after the key is gone), without a crash', () => {
    const sealedAway = (stored: FamilyEvent): FamilyEvent => {
      const data = stored.data as { personal?: { subjectId: string } };
      return data.personal ? ({ ...stored, data: { ...data, personal: erasedPersonal(data.personal.subjectId) } } as unknown as FamilyEvent) : stored;
    };
    const history = [opened, childRegistered(), relativeAdded(), detained, matterOpened('m-1', 'SIJ', 'child-1', 'US-NY'), erasedEvent(), erasedEvent('father-1', 'RELATIVE')];
    const live = history.reduce(evolve, given());
    const rebuilt = history.map(sealedAway).reduce(evolve, given());
    expect(rebuilt.children).toEqual(live.children);
    expect(rebuilt.relatives).toEqual(live.relatives);
    // Before SubjectErased is folded, the tombstone is already there.
    const beforeTheEvent = history.slice(0, 5).map(sealedAway).reduce(evolve, given());
    expect(child(beforeTheEvent)).toMatchObject({ erased: true, givenName: undefined });
    // Deciding on it works: no birth date to derive deadlines from, nothing crashes.
    expect(when(beforeTheEvent, 'RecordChildReleased', { childId: 'child-1', releasedOn: date('2024-03-01'), placement: 'FOSTER_CARE' })[0]?.type).toBe('ChildReleased');
  });
});

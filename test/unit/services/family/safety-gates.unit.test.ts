import { CASE_SUBJECT_ID } from '../../../../services/shared/case-subject.js';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../../services/shared/decider.js';
import { DomainError } from '../../../../services/shared/domain-error.js';
import { blockers } from '../../../../services/family/status.js';
import type { FamilyEvent } from '../../../../services/family/events.js';
import { evolve } from '../../../../services/family/evolve.js';
import {
  ADVOCATE, childRegistered, country, date, event, given, located, opened, rejected, relativeAdded, when,
} from '../../../support/family-fixtures.js';

const ADMIN: Actor = { userId: 'admin-a', organizationId: 'org-a', role: 'ADMIN' };
const OTHER_ADMIN: Actor = { userId: 'admin-b', organizationId: 'org-b', role: 'ADMIN' };

const detained = event('ChildDetained', { childId: 'child-1', agency: 'ORR', detainedOn: date('2024-01-05') });
const sponsor = relativeAdded('sponsor-1', 'AUNT');
const unsafe = event('SafetyAssessmentCompleted', { relativeId: 'sponsor-1', outcome: 'UNSAFE' });
const fraudFlag = event('RedFlagRaised', { flagId: 'flag-1', category: 'FRAUD_SUSPECTED', subjectPersonId: 'sponsor-1' });
const release = { childId: 'child-1', releasedOn: date('2024-05-01'), releasedToRelativeId: 'sponsor-1', placement: 'SPONSOR' as const };
const override = (overrideId: string, gate: 'UNSAFE_ASSESSMENT' | 'OPEN_RED_FLAG' | 'DECLARED_PREFERENCE' | 'UNVERIFIED_RELATIONSHIP', personId?: string, childId = 'child-1'): FamilyEvent =>
  event('SafetyOverrideRecorded', {
    overrideId, childId, gate, ...(personId ? { personId } : {}),
    decidedBy: { userId: 'admin-a', organizationId: 'org-a', role: 'ADMIN' }, personal: { subjectId: personId ?? childId, reason: 'reviewed' },
  });

/** The refusal's message, for checks on what it says (and what it never says). */
const refusal = (run: () => unknown): DomainError => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('safety gates: an UNSAFE assessment or an open red flag', () => {
  const risky = given(opened, childRegistered(), sponsor, detained, unsafe, fraudFlag);

  it('refuses releasing a child to a sponsor with an UNSAFE home study and an open fraud flag, naming both reasons, never a name', () => {
    const error = refusal(() => when(risky, 'RecordChildReleased', release));
    expect(error.code).toBe('INVALID_TRANSITION');
    expect(error.message).toMatch(/aunt has an UNSAFE safety assessment/);
    expect(error.message).toMatch(/an open red flag concerns the aunt/);
    expect(error.message).not.toMatch(/Canary/);
  });

  it('refuses planning and recording reunification and a placement with that person', () => {
    const located1 = given(opened, childRegistered(), sponsor, detained, unsafe);
    rejected(located1, 'PlanReunification', { childId: 'child-1', relativeId: 'sponsor-1' }, 'INVALID_TRANSITION', /UNSAFE/);
    rejected(located1, 'RecordReunification', { childId: 'child-1', relativeId: 'sponsor-1', reunifiedOn: date('2024-05-01'), country: country('US') }, 'INVALID_TRANSITION', /UNSAFE/);
    rejected(located1, 'ChangeChildPlacement', { childId: 'child-1', placement: 'RELATIVE', changedOn: date('2024-05-01'), relativeId: 'sponsor-1' }, 'INVALID_TRANSITION', /UNSAFE/);
  });

  it('lets the release through once the flag is cleared and a later assessment is SAFE or CONDITIONAL', () => {
    const cleared = given(opened, childRegistered(), sponsor, detained, unsafe, fraudFlag, event('RedFlagCleared', { flagId: 'flag-1' }),
      event('SafetyAssessmentCompleted', { relativeId: 'sponsor-1', outcome: 'CONDITIONAL' }));
    expect(when(cleared, 'RecordChildReleased', release)).toEqual([{ type: 'ChildReleased', data: release }]);
  });

  it('refuses releasing a child who is the subject of an open red flag, even to no named person', () => {
    const flagged = given(opened, childRegistered(), detained, event('RedFlagRaised', { flagId: 'f', category: 'IDENTITY_DOUBT', subjectPersonId: 'child-1' }));
    rejected(flagged, 'RecordChildReleased', { childId: 'child-1', releasedOn: date('2024-05-01'), placement: 'ORR_SHELTER' }, 'INVALID_TRANSITION', /red flag concerns the child/);
  });

  it('treats a red flag stored without a subject (before subjects were recorded) as concerning everyone', () => {
    const legacy = given(opened, childRegistered(), sponsor, detained, event('RedFlagRaised', { flagId: 'old', category: 'OTHER' }));
    rejected(legacy, 'RecordChildReleased', release, 'INVALID_TRANSITION', /concerns the family/);
  });

  it('records the subject of a new red flag outside personal data', () => {
    expect(when(given(opened, childRegistered(), sponsor), 'RaiseRedFlag', { flagId: 'f', category: 'SAFETY', subjectPersonId: 'sponsor-1' })).toEqual([
      { type: 'RedFlagRaised', data: { flagId: 'f', category: 'SAFETY', subjectPersonId: 'sponsor-1' } },
    ]);
  });
});

describe('safety gates: overrides', () => {
  const risky = given(opened, childRegistered(), sponsor, detained, unsafe, fraudFlag);
  const input = { overrideId: 'ov-1', childId: 'child-1', personId: 'sponsor-1', gate: 'UNSAFE_ASSESSMENT' as const, reason: 'home study redone by the county' };

  it('is recorded only by an ADMIN of the lead organisation, with who decided, as its own event', () => {
    rejected(risky, 'RecordSafetyOverride', { ...input, actor: ADVOCATE }, 'FORBIDDEN', /administrator of the lead/);
    rejected(risky, 'RecordSafetyOverride', { ...input, actor: OTHER_ADMIN }, 'FORBIDDEN');
    expect(when(risky, 'RecordSafetyOverride', { ...input, actor: ADMIN })).toEqual([{
      type: 'SafetyOverrideRecorded',
      data: {
        overrideId: 'ov-1', childId: 'child-1', personId: 'sponsor-1', gate: 'UNSAFE_ASSESSMENT',
        decidedBy: { userId: 'admin-a', organizationId: 'org-a', role: 'ADMIN' },
        personal: { subjectId: 'sponsor-1', reason: 'home study redone by the county' },
      },
    }]);
  });

  it('checks the override itself: new id, known child and person; a relative for person-bound gates', () => {
    const withOne = given(opened, childRegistered(), sponsor, override('ov-1', 'OPEN_RED_FLAG'));
    rejected(withOne, 'RecordSafetyOverride', { ...input, actor: ADMIN }, 'BAD_USER_INPUT', /already exists/, 'overrideId');
    rejected(risky, 'RecordSafetyOverride', { ...input, childId: 'child-9', actor: ADMIN }, 'NOT_FOUND', undefined, 'childId');
    rejected(risky, 'RecordSafetyOverride', { ...input, personId: 'nobody', actor: ADMIN }, 'NOT_FOUND', undefined, 'personId');
    const { personId: _omitted, ...withoutPerson } = input;
    rejected(risky, 'RecordSafetyOverride', { ...withoutPerson, actor: ADMIN }, 'BAD_USER_INPUT', /personId is required/, 'personId');
    rejected(risky, 'RecordSafetyOverride', { ...input, personId: 'child-1', actor: ADMIN }, 'INVALID_TRANSITION', /names a child/);
  });

  it('lets only the overridden reasons through: one override leaves the other reason refused', () => {
    const half = given(opened, childRegistered(), sponsor, detained, unsafe, fraudFlag, override('ov-1', 'UNSAFE_ASSESSMENT', 'sponsor-1'));
    const error = refusal(() => when(half, 'RecordChildReleased', release));
    expect(error.message).toMatch(/open red flag/);
    expect(error.message).not.toMatch(/UNSAFE safety assessment/);
  });

  it('is consumed by the step it allows (single use): the next step is refused again', () => {
    const covered = given(opened, childRegistered(), sponsor, detained, unsafe, fraudFlag, override('ov-1', 'UNSAFE_ASSESSMENT', 'sponsor-1'), override('ov-2', 'OPEN_RED_FLAG', 'sponsor-1'));
    const released = when(covered, 'RecordChildReleased', release);
    expect(released).toEqual([{ type: 'ChildReleased', data: { ...release, safetyOverrideIds: ['ov-1', 'ov-2'] } }]);
    const after = released.reduce(evolve, covered);
    expect([...after.safetyOverrides.values()].map((o) => o.consumed)).toEqual([true, true]);
    rejected(after, 'PlanReunification', { childId: 'child-1', relativeId: 'sponsor-1' }, 'INVALID_TRANSITION', /UNSAFE/);
  });

  it('covers only its own child; without a person it covers the gate for anyone in that child step', () => {
    const otherChild = given(opened, childRegistered(), childRegistered('child-2'), sponsor, detained, unsafe, override('ov-1', 'UNSAFE_ASSESSMENT', 'sponsor-1', 'child-2'));
    rejected(otherChild, 'RecordChildReleased', release, 'INVALID_TRANSITION', /UNSAFE/);
    const anyone = given(opened, childRegistered(), sponsor, detained, event('RedFlagRaised', { flagId: 'old', category: 'OTHER' }), override('ov-1', 'OPEN_RED_FLAG'));
    expect(when(anyone, 'RecordChildReleased', release)[0]?.data).toMatchObject({ safetyOverrideIds: ['ov-1'] });
  });

  it('may be recorded during a stop-work order (safety is unavoidable work)', () => {
    const paused = given(opened, childRegistered(), sponsor, unsafe, event('ServiceSuspended', { personal: { subjectId: CASE_SUBJECT_ID, reason: 'stop-work' } }));
    expect(when(paused, 'RecordSafetyOverride', { ...input, actor: ADMIN })[0]?.type).toBe('SafetyOverrideRecorded');
  });
});

describe('safety gates: a declared preference', () => {
  const father = relativeAdded('father-1', 'FATHER');
  const stays = given(opened, childRegistered(), father, event('TracingStarted', { relativeId: 'father-1', defenderOrganizationId: 'org-hn', startedOn: date('2024-01-10') }), located(),
    event('PreferenceDeclared', { relativeId: 'father-1', preference: 'CHILD_STAYS_FOR_PROTECTION' }), detained);

  it('refuses repatriating a child against a deported parent who declared the child stays for protection', () => {
    rejected(stays, 'RecordChildRepatriated', { childId: 'child-1', country: country('HN'), repatriatedOn: date('2024-05-01') }, 'INVALID_TRANSITION', /father declared that the child stays for protection.*DECLARED_PREFERENCE/);
  });

  it('refuses a reunification abroad against it, not one in the US', () => {
    rejected(stays, 'RecordReunification', { childId: 'child-1', relativeId: 'father-1', reunifiedOn: date('2024-05-01'), country: country('HN') }, 'INVALID_TRANSITION', /stays for protection/);
    expect(when(stays, 'RecordReunification', { childId: 'child-1', relativeId: 'father-1', reunifiedOn: date('2024-05-01'), country: country('US') })[0]?.type).toBe('ReunificationCompleted');
  });

  it('allows the repatriation with an override, and ignores a preference that changed to returning home', () => {
    const overridden = given(opened, childRegistered(), father, event('PreferenceDeclared', { relativeId: 'father-1', preference: 'CHILD_STAYS_FOR_PROTECTION' }), override('ov-1', 'DECLARED_PREFERENCE', 'father-1'));
    expect(when(overridden, 'RecordChildRepatriated', { childId: 'child-1', country: country('HN'), repatriatedOn: date('2024-05-01') })).toEqual([
      { type: 'ChildRepatriated', data: { childId: 'child-1', country: 'HN', repatriatedOn: '2024-05-01', safetyOverrideIds: ['ov-1'] } },
    ]);
    const changed = given(opened, childRegistered(), father, event('PreferenceDeclared', { relativeId: 'father-1', preference: 'CHILD_STAYS_FOR_PROTECTION' }),
      event('PreferenceDeclared', { relativeId: 'father-1', preference: 'CHILD_RETURNS_HOME' }));
    expect(when(changed, 'RecordChildRepatriated', { childId: 'child-1', country: country('HN'), repatriatedOn: date('2024-05-01') })).toHaveLength(1);
  });
});

describe('safety gates: a caregiver not biologically related', () => {
  const stepfather = event('RelativeAdded', { relativeId: 'step-1', relationship: 'STEPFATHER', biological: false, vitalStatus: 'ALIVE', adverse: false, personal: { subjectId: 'step-1', givenName: 'Canary-Step' } });
  const family = given(opened, childRegistered(), stepfather);

  it('refuses planning or recording reunification with a stepfather whose relationship is not verified', () => {
    rejected(family, 'PlanReunification', { childId: 'child-1', relativeId: 'step-1' }, 'INVALID_TRANSITION', /stepfather is not biologically related and the relationship is not verified/);
    rejected(family, 'RecordReunification', { childId: 'child-1', relativeId: 'step-1', reunifiedOn: date('2024-05-01'), country: country('US') }, 'INVALID_TRANSITION', /UNVERIFIED_RELATIONSHIP/);
  });

  it('allows it once the relationship is verified, or with an override', () => {
    const verified = given(opened, childRegistered(), stepfather, event('RelationshipVerified', { relativeId: 'step-1', method: 'DOCUMENT', biological: false }));
    expect(when(verified, 'PlanReunification', { childId: 'child-1', relativeId: 'step-1' })).toEqual([{ type: 'ReunificationPlanned', data: { childId: 'child-1', relativeId: 'step-1' } }]);
    const overridden = given(opened, childRegistered(), stepfather, override('ov-1', 'UNVERIFIED_RELATIONSHIP', 'step-1'));
    expect(when(overridden, 'PlanReunification', { childId: 'child-1', relativeId: 'step-1' })[0]?.data).toMatchObject({ safetyOverrideIds: ['ov-1'] });
  });

  it('applies per child: a relative recorded as not biologically related to this child', () => {
    const perChild = given(opened, childRegistered(), relativeAdded('father-1', 'FATHER'),
      event('RelationshipRecorded', { relativeId: 'father-1', childId: 'child-1', relationship: 'STEPFATHER', biological: false }));
    rejected(perChild, 'PlanReunification', { childId: 'child-1', relativeId: 'father-1' }, 'INVALID_TRANSITION', /not biologically related/);
    expect(when(given(opened, childRegistered(), relativeAdded('father-1', 'FATHER')), 'PlanReunification', { childId: 'child-1', relativeId: 'father-1' })).toHaveLength(1);
  });

  it('shows the unverified relationship as a blocker until verified or a reunification with someone else is planned', () => {
    expect(blockers(family, date('2024-06-01'))).toEqual(['stepfather: relationship not verified']);
    const verified = given(opened, childRegistered(), stepfather, event('RelationshipVerified', { relativeId: 'step-1', method: 'DNA', biological: false }));
    expect(blockers(verified, date('2024-06-01'))).toEqual([]);
    const withMother = given(opened, childRegistered(), stepfather, relativeAdded('mother-1', 'MOTHER'), event('ReunificationPlanned', { childId: 'child-1', relativeId: 'mother-1' }));
    expect(blockers(withMother, date('2024-06-01'))).toEqual(['mother: identity not verified', 'mother: relationship not verified']);
    const checked = given(opened, childRegistered(), stepfather, relativeAdded('mother-1', 'MOTHER'), event('ReunificationPlanned', { childId: 'child-1', relativeId: 'mother-1' }),
      event('IdentityVerified', { personId: 'mother-1', method: 'DOCUMENT' }), event('RelationshipVerified', { relativeId: 'mother-1', method: 'DOCUMENT', biological: true }));
    expect(blockers(checked, date('2024-06-01'))).toEqual([]);
  });
});

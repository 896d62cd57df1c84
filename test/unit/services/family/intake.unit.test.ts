import { describe, expect, it } from 'vitest';
import { ADVOCATE, childRegistered, closed, country, date, given, opened, rejected, relativeAdded, when } from '../../../support/family-fixtures.js';

const child = { childId: 'child-1', givenName: 'Ana', birthDate: date('2012-03-04'), birthDateEstimated: false, nationality: country('HN'), languages: ['es', 'mam'], needsInterpreter: true };

describe('family decider: intake', () => {
  describe('opening a case', () => {
    it('opens a new family led by the given organisation', () => {
      expect(when(given(), 'OpenFamilyCase', { leadOrganizationId: 'org-a', programme: 'SIJ' })).toEqual([
        { type: 'FamilyCaseOpened', data: { familyId: 'fam-1', leadOrganizationId: 'org-a', programme: 'SIJ' } },
      ]);
    });
    it('refuses to open a family that already exists', () => {
      rejected(given(opened), 'OpenFamilyCase', { leadOrganizationId: 'org-a', programme: 'SIJ' }, 'CONFLICT');
    });
    it('refuses any other command on a family that does not exist, as NOT_FOUND', () => {
      rejected(given(), 'RegisterChild', child, 'NOT_FOUND', /^family not found$/, 'familyId');
    });
  });

  describe('registering a child', () => {
    it('keeps names and the birth date under personal data, facts outside', () => {
      const [event] = when(given(opened), 'RegisterChild', { ...child, arrivalDate: date('2023-11-20') });
      expect(event).toEqual({
        type: 'ChildRegistered',
        data: {
          childId: 'child-1', nationality: 'HN', needsInterpreter: true, birthDateEstimated: false,
          ageReviewRequired: false, arrivalDate: '2023-11-20',
          personal: { subjectId: 'child-1', givenName: 'Ana', birthDate: '2012-03-04', languages: ['es', 'mam'] },
        },
      });
    });
    it('registers a child aged 18 or over at intake with a review flag, never clamped', () => {
      const [event] = when(given(opened), 'RegisterChild', { ...child, birthDate: date('2006-05-31') });
      expect(event?.data).toMatchObject({ ageReviewRequired: true, personal: { birthDate: '2006-05-31' } });
    });
    it('does not flag a child who turns 18 tomorrow', () => {
      const [event] = when(given(opened), 'RegisterChild', { ...child, birthDate: date('2006-06-02') });
      expect(event?.data).toMatchObject({ ageReviewRequired: false });
    });
    it('rejects a birth date in the future, naming the field', () => {
      rejected(given(opened), 'RegisterChild', { ...child, birthDate: date('2024-06-02') }, 'BAD_USER_INPUT', /future/, 'birthDate');
    });
    it('rejects a birth date before 1900', () => {
      rejected(given(opened), 'RegisterChild', { ...child, birthDate: date('1899-12-31') }, 'BAD_USER_INPUT', /1900/, 'birthDate');
    });
    it('rejects an arrival before birth or in the future', () => {
      rejected(given(opened), 'RegisterChild', { ...child, arrivalDate: date('2010-01-01') }, 'BAD_USER_INPUT', undefined, 'arrivalDate');
      rejected(given(opened), 'RegisterChild', { ...child, arrivalDate: date('2025-01-01') }, 'BAD_USER_INPUT', undefined, 'arrivalDate');
    });
    it('rejects a person id already used in the family', () => {
      rejected(given(opened, childRegistered()), 'RegisterChild', child, 'BAD_USER_INPUT', /already exists/, 'childId');
    });
    it('rejects an occurredAt after the command arrived', () => {
      rejected(given(opened), 'RegisterChild', { ...child, occurredAt: '2024-06-01T12:00:01.000Z' }, 'BAD_USER_INPUT', /future/, 'occurredAt');
    });
  });

  describe('correcting a birth date', () => {
    it('records the correction as an event', () => {
      expect(when(given(opened, childRegistered()), 'CorrectChildBirthDate', { childId: 'child-1', birthDate: date('2011-03-04'), birthDateEstimated: true })).toEqual([
        { type: 'ChildBirthDateCorrected', data: { childId: 'child-1', birthDateEstimated: true, ageReviewRequired: false, personal: { subjectId: 'child-1', birthDate: '2011-03-04' } } },
      ]);
    });
    it('rejects an unknown child as NOT_FOUND', () => {
      rejected(given(opened), 'CorrectChildBirthDate', { childId: 'nobody', birthDate: date('2011-03-04'), birthDateEstimated: false }, 'NOT_FOUND', undefined, 'childId');
    });
    it('rejects a correction that changes nothing', () => {
      rejected(given(opened, childRegistered()), 'CorrectChildBirthDate', { childId: 'child-1', birthDate: date('2012-03-04'), birthDateEstimated: false }, 'BAD_USER_INPUT');
    });
  });

  describe('relatives, identifiers, consent and protection', () => {
    it('adds a relative with personal data marked', () => {
      const [event] = when(given(opened), 'AddRelative', { relativeId: 'father-1', relationship: 'FATHER', givenName: 'José', phone: '+504 5555 0000', biological: false, vitalStatus: 'ALIVE', adverse: false });
      expect(event).toMatchObject({ type: 'RelativeAdded', data: { relationship: 'FATHER', biological: false, personal: { subjectId: 'father-1', givenName: 'José', phone: '+504 5555 0000' } } });
    });
    it('records an identifier value only as personal data', () => {
      const [event] = when(given(opened, childRegistered()), 'RecordIdentifier', { personId: 'child-1', kind: 'A_NUMBER', value: 'A123456789' });
      expect(event).toEqual({ type: 'IdentifierRecorded', data: { personId: 'child-1', kind: 'A_NUMBER', personal: { subjectId: 'child-1', value: 'A123456789' } } });
    });
    it('rejects an identifier for an unknown person', () => {
      rejected(given(opened), 'RecordIdentifier', { personId: 'ghost', kind: 'A_NUMBER', value: 'A1' }, 'NOT_FOUND', undefined, 'personId');
    });
    it('gives and withdraws consent; withdrawing unknown consent is NOT_FOUND', () => {
      const state = given(opened, childRegistered());
      const [gave] = when(state, 'GiveConsent', { consentId: 'c-1', personId: 'child-1', purposes: ['tracing'], recipientOrganizationIds: ['org-hn'] });
      expect(gave?.type).toBe('ConsentGiven');
      expect(when(given(opened, childRegistered(), gave!), 'WithdrawConsent', { consentId: 'c-1' })).toEqual([{ type: 'ConsentWithdrawn', data: { consentId: 'c-1' } }]);
      rejected(state, 'WithdrawConsent', { consentId: 'c-9' }, 'NOT_FOUND', undefined, 'consentId');
      rejected(state, 'GiveConsent', { consentId: 'c-2', personId: 'child-1', purposes: [], recipientOrganizationIds: [], expiresOn: date('2024-05-31') }, 'BAD_USER_INPUT', undefined, 'expiresOn');
    });
    it('records a protection concern naming relatives never to be told', () => {
      const state = given(opened, childRegistered(), relativeAdded('trafficker-kin', 'AUNT', true));
      const [event] = when(state, 'RecordProtectionConcern', { concernId: 'pc-1', kind: 'TRAFFICKING', neverDiscloseTo: ['trafficker-kin'], subjectPersonId: 'child-1', narrative: 'held by the family' });
      expect(event).toMatchObject({ data: { neverDiscloseTo: ['trafficker-kin'], personal: { subjectId: 'child-1', narrative: 'held by the family' } } });
      rejected(state, 'RecordProtectionConcern', { concernId: 'pc-2', kind: 'ABUSE', neverDiscloseTo: ['nobody'], subjectPersonId: 'child-1' }, 'NOT_FOUND', undefined, 'neverDiscloseTo');
    });
  });

  it('on a closed case, intake steps are INVALID_TRANSITION naming the state', () => {
    rejected(given(opened, closed), 'AddRelative', { relativeId: 'x', relationship: 'AUNT', givenName: 'A', biological: null, vitalStatus: 'ALIVE', adverse: false, actor: ADVOCATE }, 'INVALID_TRANSITION', /CLOSED/);
  });
});

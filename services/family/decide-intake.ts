import { ageOn, dateOf, type CalendarDate } from '../shared/calendar-date.js';
import { badInput, conflict, invalidTransition, notFound, rule } from '../shared/domain-error.js';
import type { FamilyCommandOf } from './commands.js';
import type { FamilyEvent } from './events.js';
import { existing, requireNew, requirePerson } from './lookups.js';
import type { FamilyState } from './state.js';

const ADULT_AGE = 18;
const EARLIEST_BIRTH_DATE = '1900-01-01';

/** Birth dates: not in the future (relative to when the command arrived), not before 1900. */
const checkBirthDate = (birthDate: CalendarDate, issuedAt: string): void => {
  if (birthDate > dateOf(issuedAt)) throw badInput('birthDate', rule`must not be in the future`);
  if (birthDate < EARLIEST_BIRTH_DATE) throw badInput('birthDate', rule`must not be before 1900-01-01`);
};

/** An adult at intake is registered and flagged for review: never silently accepted or clamped. */
const needsAgeReview = (birthDate: CalendarDate, issuedAt: string): boolean => ageOn(birthDate, dateOf(issuedAt)) >= ADULT_AGE;

export const openFamilyCase = (c: FamilyCommandOf<'OpenFamilyCase'>, s: FamilyState): FamilyEvent[] => {
  if (s.exists) throw conflict(rule`The family already exists`);
  return [{ type: 'FamilyCaseOpened', data: { familyId: c.familyId, leadOrganizationId: c.leadOrganizationId, programme: c.programme } }];
};

export const registerChild = (c: FamilyCommandOf<'RegisterChild'>, s: FamilyState): FamilyEvent[] => {
  requireNew(s.personIds, c.childId, 'childId', rule`person`);
  checkBirthDate(c.birthDate, c.issuedAt);
  if (c.arrivalDate && c.arrivalDate > dateOf(c.issuedAt)) throw badInput('arrivalDate', rule`must not be in the future`);
  if (c.arrivalDate && c.arrivalDate < c.birthDate) throw badInput('arrivalDate', rule`must not be before birthDate`);
  return [{
    type: 'ChildRegistered',
    data: {
      childId: c.childId, nationality: c.nationality, needsInterpreter: c.needsInterpreter,
      birthDateEstimated: c.birthDateEstimated, ageReviewRequired: needsAgeReview(c.birthDate, c.issuedAt),
      ...(c.arrivalDate ? { arrivalDate: c.arrivalDate } : {}),
      personal: {
        subjectId: c.childId, givenName: c.givenName, birthDate: c.birthDate, ...(c.familyName ? { familyName: c.familyName } : {}),
        ...(c.medicalNeeds ? { medicalNeeds: c.medicalNeeds } : {}), languages: c.languages,
      },
    },
  }];
};

export const correctChildBirthDate = (c: FamilyCommandOf<'CorrectChildBirthDate'>, s: FamilyState): FamilyEvent[] => {
  const child = existing(s.children, c.childId, 'childId', rule`child`);
  checkBirthDate(c.birthDate, c.issuedAt);
  if (child.birthDate === c.birthDate && child.birthDateEstimated === c.birthDateEstimated) {
    throw badInput('birthDate', rule`is already recorded as given`);
  }
  // Deadlines derived from the birth date move with it (deadlines.ts, run by decide).
  return [{
    type: 'ChildBirthDateCorrected',
    data: { childId: c.childId, birthDateEstimated: c.birthDateEstimated, ageReviewRequired: needsAgeReview(c.birthDate, c.issuedAt), personal: { subjectId: c.childId, birthDate: c.birthDate } },
  }];
};

export const correctChildArrivalDate = (c: FamilyCommandOf<'CorrectChildArrivalDate'>, s: FamilyState): FamilyEvent[] => {
  const child = existing(s.children, c.childId, 'childId', rule`child`);
  if (c.arrivalDate > dateOf(c.issuedAt)) throw badInput('arrivalDate', rule`must not be in the future`);
  if (child.birthDate !== undefined && c.arrivalDate < child.birthDate) throw badInput('arrivalDate', rule`must not be before birthDate`);
  if (child.arrivalDate === c.arrivalDate) throw badInput('arrivalDate', rule`is already recorded as given`);
  // Deadlines derived from the arrival date move with it, or follow once it is known (deadlines.ts, run by decide).
  return [{ type: 'ChildArrivalDateCorrected', data: { childId: c.childId, arrivalDate: c.arrivalDate } }];
};

export const recordRelationship = (c: FamilyCommandOf<'RecordRelationship'>, s: FamilyState): FamilyEvent[] => {
  existing(s.relatives, c.relativeId, 'relativeId', rule`relative`);
  existing(s.children, c.childId, 'childId', rule`child`);
  return [{ type: 'RelationshipRecorded', data: { relativeId: c.relativeId, childId: c.childId, relationship: c.relationship, biological: c.biological } }];
};

export const addRelative = (c: FamilyCommandOf<'AddRelative'>, s: FamilyState): FamilyEvent[] => {
  requireNew(s.personIds, c.relativeId, 'relativeId', rule`person`);
  return [{
    type: 'RelativeAdded',
    data: {
      relativeId: c.relativeId, relationship: c.relationship, biological: c.biological, vitalStatus: c.vitalStatus, adverse: c.adverse,
      needsInterpreter: c.needsInterpreter ?? false,
      personal: {
        subjectId: c.relativeId, givenName: c.givenName, ...(c.familyName ? { familyName: c.familyName } : {}), ...(c.phone ? { phone: c.phone } : {}),
        languages: c.languages ?? [],
      },
    },
  }];
};

/** A child's medical needs, as personal data of the child; recording the same text again changes nothing and is refused. */
export const recordMedicalNeeds = (c: FamilyCommandOf<'RecordMedicalNeeds'>, s: FamilyState): FamilyEvent[] => {
  const child = existing(s.children, c.childId, 'childId', rule`child`);
  if (child.medicalNeeds === c.medicalNeeds) throw badInput('medicalNeeds', rule`is already recorded as given`);
  return [{ type: 'MedicalNeedsRecorded', data: { childId: c.childId, personal: { subjectId: c.childId, medicalNeeds: c.medicalNeeds } } }];
};

export const recordIdentifier = (c: FamilyCommandOf<'RecordIdentifier'>, s: FamilyState): FamilyEvent[] => {
  requirePerson(s, c.personId, 'personId');
  return [{ type: 'IdentifierRecorded', data: { personId: c.personId, kind: c.kind, personal: { subjectId: c.personId, value: c.value } } }];
};

/**
 * The decision on a possible duplicate. The other person is in another stream (or this one): the
 * resolver checks the caller may see them; here only that the family's own person exists and the
 * pair is not the person with themselves.
 */
export const decidePossibleDuplicate = (c: FamilyCommandOf<'DecidePossibleDuplicate'>, s: FamilyState): FamilyEvent[] => {
  requirePerson(s, c.personId, 'personId');
  if (c.otherFamilyId === c.familyId && c.otherPersonId === c.personId) throw badInput('otherPersonId', rule`must name another person`);
  return [{
    type: 'PossibleDuplicateDecided',
    data: {
      personId: c.personId, otherFamilyId: c.otherFamilyId, otherPersonId: c.otherPersonId, samePerson: c.samePerson,
      ...(c.reason ? { personal: { subjectId: c.personId, reason: c.reason } } : {}),
    },
  }];
};

export const giveConsent = (c: FamilyCommandOf<'GiveConsent'>, s: FamilyState): FamilyEvent[] => {
  requirePerson(s, c.personId, 'personId');
  // A consent is the person's word: none is recorded for a person whose data was erased.
  if (s.children.get(c.personId)?.erased || s.relatives.get(c.personId)?.erased) throw invalidTransition(rule`Cannot record the consent of a person whose data was erased`);
  // Nor for a relative recorded as deceased (at intake or reported since): nobody gives consent in
  // their name. A consent they gave while alive stays as recorded (withdrawn only by the lead).
  if (s.relatives.get(c.personId)?.location === 'DECEASED') throw invalidTransition(rule`Cannot record the consent of a person recorded as deceased`);
  requireNew(s.consents, c.consentId, 'consentId', rule`consent`);
  if (c.expiresOn && c.expiresOn < dateOf(c.issuedAt)) throw badInput('expiresOn', rule`must not be in the past`);
  return [{
    type: 'ConsentGiven',
    data: { consentId: c.consentId, personId: c.personId, purposes: c.purposes, recipientOrganizationIds: c.recipientOrganizationIds, ...(c.expiresOn ? { expiresOn: c.expiresOn } : {}) },
  }];
};

export const withdrawConsent = (c: FamilyCommandOf<'WithdrawConsent'>, s: FamilyState): FamilyEvent[] => {
  if (!s.consents.has(c.consentId)) throw notFound('consentId', rule`consent`);
  return [{ type: 'ConsentWithdrawn', data: { consentId: c.consentId } }];
};

export const recordProtectionConcern = (c: FamilyCommandOf<'RecordProtectionConcern'>, s: FamilyState): FamilyEvent[] => {
  requirePerson(s, c.subjectPersonId, 'subjectPersonId');
  c.neverDiscloseTo.forEach((relativeId) => existing(s.relatives, relativeId, 'neverDiscloseTo', rule`relative`));
  requireNew(s.concerns, c.concernId, 'concernId', rule`protection concern`);
  return [{
    type: 'ProtectionConcernRecorded',
    data: { concernId: c.concernId, kind: c.kind, neverDiscloseTo: c.neverDiscloseTo, ...(c.narrative ? { personal: { subjectId: c.subjectPersonId, narrative: c.narrative } } : {}) },
  }];
};

import { CASE_SUBJECT_ID } from '../../services/shared/case-subject.js';
import { expect } from 'vitest';
import type { CalendarDate } from '../../services/shared/calendar-date.js';
import type { CountryCode } from '../../services/shared/countries.js';
import type { Actor } from '../../services/shared/decider.js';
import { DomainError, type DomainErrorCode } from '../../services/shared/domain-error.js';
import type { CommandBase, FamilyCommandOf, FamilyCommandType } from '../../services/family/commands.js';
import { decide } from '../../services/family/decide.js';
import type { FamilyEvent, FamilyEventOf } from '../../services/family/events.js';
import { evolve } from '../../services/family/evolve.js';
import { initialFamilyState, type FamilyState } from '../../services/family/state.js';

/** Given/when/then for the family decider. */

export const NOW = '2024-06-01T12:00:00.000Z';
export const ADVOCATE: Actor = { userId: 'user-a', organizationId: 'org-a', role: 'ADVOCATE' };
export const PARTNER: Actor = { userId: 'user-b', organizationId: 'org-b', role: 'PARTNER' };

export const date = (text: string): CalendarDate => text as CalendarDate;
export const country = (text: string): CountryCode => text as CountryCode;

type Fields<T extends FamilyCommandType> = Omit<FamilyCommandOf<T>, 'type' | keyof CommandBase> & Partial<CommandBase>;

export const command = <T extends FamilyCommandType>(type: T, fields: Fields<T>): FamilyCommandOf<T> =>
  ({ type, familyId: 'fam-1', actor: ADVOCATE, issuedAt: NOW, occurredAt: NOW, ...fields }) as unknown as FamilyCommandOf<T>;

export const given = (...events: readonly FamilyEvent[]): FamilyState => events.reduce(evolve, initialFamilyState);

export const when = <T extends FamilyCommandType>(state: FamilyState, type: T, fields: Fields<T>): readonly FamilyEvent[] =>
  decide(command(type, fields), state);

/** Then: the command is rejected with this code (and nothing is decided). */
export const rejected = <T extends FamilyCommandType>(
  state: FamilyState,
  type: T,
  fields: Fields<T>,
  code: DomainErrorCode,
  message?: RegExp,
  field?: string,
): void => {
  let error: unknown;
  try {
    decide(command(type, fields), state);
  } catch (caught) {
    error = caught;
  }
  expect(error, `${type} should be rejected with ${code}`).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe(code);
  if (message) expect((error as DomainError).message).toMatch(message);
  if (field) expect((error as DomainError).field).toBe(field);
};

const e = <T extends FamilyEvent['type']>(type: T, data: FamilyEventOf<T>['data']): FamilyEvent => ({ type, data }) as FamilyEvent;

export const opened = e('FamilyCaseOpened', { familyId: 'fam-1', leadOrganizationId: 'org-a', programme: 'SEPARATED_FAMILY' });
export const childRegistered = (childId = 'child-1', birthDate = '2012-03-04', arrivalDate?: string): FamilyEvent =>
  e('ChildRegistered', {
    childId, nationality: country('HN'), needsInterpreter: false, birthDateEstimated: false,
    ageReviewRequired: false, ...(arrivalDate ? { arrivalDate: date(arrivalDate) } : {}),
    personal: { subjectId: childId, givenName: 'Canary-Child', birthDate: date(birthDate), languages: ['es'] },
  });
export const relativeAdded = (relativeId = 'father-1', relationship: 'FATHER' | 'MOTHER' | 'AUNT' | 'STEPFATHER' = 'FATHER', adverse = false): FamilyEvent =>
  e('RelativeAdded', { relativeId, relationship, biological: true, vitalStatus: 'ALIVE', adverse, personal: { subjectId: relativeId, givenName: 'Canary-Relative' } });
export const tracingStarted = (relativeId = 'father-1', startedOn = '2024-01-10'): FamilyEvent =>
  e('TracingStarted', { relativeId, defenderOrganizationId: 'org-hn', startedOn: date(startedOn) });
export const located = (relativeId = 'father-1'): FamilyEvent => e('RelativeLocated', { relativeId, country: country('HN'), method: 'PHONE' });
export const documentRequested = (documentId = 'doc-1', needs = { legalisation: true, translation: false, service: false }): FamilyEvent =>
  e('DocumentRequested', {
    documentId, documentType: 'BIRTH_CERTIFICATE', issuingCountry: country('HN'), assignedOrganizationId: 'org-hn',
    needsLegalisation: needs.legalisation, needsTranslation: needs.translation, needsService: needs.service,
  });
export const documentObtained = (documentId = 'doc-1'): FamilyEvent => e('DocumentObtained', { documentId });
export const matterOpened = (matterId = 'matter-1', matterType: 'SIJ' | 'MEXICAN_CUSTODY' | 'ASYLUM' = 'MEXICAN_CUSTODY', childId = 'child-1', jurisdiction = 'MX'): FamilyEvent =>
  e('LegalMatterOpened', { matterId, matterType, childId, jurisdiction });
export const petitionFiled = (matterId = 'matter-1'): FamilyEvent => e('PetitionFiled', { matterId, filedOn: date('2024-02-01') });
export const referred = (referralId = 'ref-1', expiresAt?: string): FamilyEvent =>
  e('FamilyReferred', { referralId, fromOrganizationId: 'org-a', toOrganizationId: 'org-b', purpose: 'tracing', scope: 'STATUS', ...(expiresAt ? { expiresAt } : {}) });
export const suspended = e('ServiceSuspended', { personal: { subjectId: CASE_SUBJECT_ID, reason: 'stop-work order' } });
/** A consent in force covering the organisations and purposes the hand-off tests use. */
export const consented = (
  recipientOrganizationIds: readonly string[] = ['org-b', 'org-nc', 'org-x', 'org-c'],
  purposes: readonly string[] = ['tracing', 'transfer', 'access', 'x'],
  consentId = 'consent-1',
): FamilyEvent => e('ConsentGiven', { consentId, personId: 'child-1', purposes, recipientOrganizationIds });
export const closed = e('FamilyCaseClosed', { reason: 'WITHDRAWN' });
export const event = e;

import type { CalendarDate } from '../shared/calendar-date.js';
import type { CountryCode } from '../shared/countries.js';
import type { DomainEvent } from '../shared/decider.js';
import type { Personal } from '../shared/personal-data.js';
import type * as V from './vocabulary.js';

/**
 * The family stream's events, past tense. Facts (ids, types, dates, statuses) sit in the data
 * itself; personal data (names, birth dates, places, phone numbers, narratives, identifier
 * values) sits only under `personal`, tagged with the person it belongs to, so it can be
 * encrypted per person and erased by destroying that person's key without rewriting history.
 * A changed shape gets a new version and an upcaster on read (upcast.ts). Version 2 (issue 13:
 * free text and separation places sealed) changed ServiceSuspended, ReunificationFailed,
 * FamilyCaseReopened, StopWorkExceptionRecorded (their `reason` moved under `personal`) and
 * SeparationRecorded (one sealed place per child); every other type is as in version 1.
 * Version 3 moved a person's `languages` under `personal` (ChildRegistered, RelativeAdded).
 * Version 5 moved the dates of deadlines derived from a birth date under `personal` (DeadlineSet,
 * DeadlineRecomputed).
 */

type E<Type extends string, Data> = DomainEvent<Type, Data>;

/** One child's sealed copy of a separation's place. */
export interface SeparationPlace { readonly childId: string; readonly personal: Personal<{ place: string }> }

export type FamilyEvent =
  // intake
  | E<'FamilyCaseOpened', { familyId: string; leadOrganizationId: string; programme: V.Programme }>
  | E<'ChildRegistered', {
      childId: string; nationality: CountryCode; needsInterpreter: boolean;
      birthDateEstimated: boolean; arrivalDate?: CalendarDate;
      /** 18 or older on the day of intake: registered, flagged for an advocate's review. */
      ageReviewRequired: boolean;
      /** `languages`: under `personal` from version 3 (a language can tell ethnicity). */
      personal: Personal<{ givenName: string; familyName?: string; birthDate: CalendarDate; medicalNeeds?: string; languages?: readonly string[] }>;
    }>
  | E<'MedicalNeedsRecorded', { childId: string; personal: Personal<{ medicalNeeds: string }> }>
  | E<'ChildBirthDateCorrected', { childId: string; birthDateEstimated: boolean; ageReviewRequired: boolean; personal: Personal<{ birthDate: CalendarDate }> }>
  | E<'RelativeAdded', {
      relativeId: string; relationship: V.Relationship; biological: boolean | null; vitalStatus: V.VitalStatus;
      /** Absent in events stored before relatives' languages were recorded: no interpreter. */
      needsInterpreter?: boolean;
      /** `languages` as ChildRegistered's (version 3). */
      adverse: boolean; personal: Personal<{ givenName: string; familyName?: string; phone?: string; languages?: readonly string[] }>;
    }>
  | E<'ChildArrivalDateCorrected', { childId: string; arrivalDate: CalendarDate }>
  | E<'RelationshipRecorded', { relativeId: string; childId: string; relationship: V.Relationship; biological: boolean | null }>
  | E<'IdentifierRecorded', { personId: string; kind: V.IdentifierKind; personal: Personal<{ value: string }> }>
  /** A possible duplicate was decided on: the same person, or not (then it is not offered again). */
  | E<'PossibleDuplicateDecided', { personId: string; otherFamilyId: string; otherPersonId: string; samePerson: boolean; personal?: Personal<{ reason: string }> }>
  | E<'ConsentGiven', { consentId: string; personId: string; purposes: readonly string[]; recipientOrganizationIds: readonly string[]; expiresOn?: CalendarDate }>
  | E<'ConsentWithdrawn', { consentId: string }>
  | E<'ProtectionConcernRecorded', { concernId: string; kind: V.ConcernKind; neverDiscloseTo: readonly string[]; personal?: Personal<{ narrative: string }> }>
  // separation and custody of the child
  /**
   * `places`: where the separation happened, one sealed copy per child (each under that child's
   * key), so erasing one child takes exactly their copy (version 2; version 1 had one `personal`
   * part under the first child's key, upcast to a single copy held by that child).
   */
  | E<'SeparationRecorded', { separatedOn: CalendarDate; cause: V.SeparationCause; childIds: readonly string[]; places?: readonly SeparationPlace[] }>
  | E<'ChildDetained', { childId: string; agency: V.CustodianAgency; detainedOn: CalendarDate; personal?: Personal<{ facility: string }> }>
  | E<'ChildTransferred', { childId: string; transferredOn: CalendarDate; personal?: Personal<{ facility: string }> }>
  | E<'ChildReleased', { childId: string; releasedOn: CalendarDate; releasedToRelativeId?: string; placement: V.Placement; safetyOverrideIds?: readonly string[] }>
  | E<'ChildPlacementChanged', { childId: string; placement: V.Placement; changedOn: CalendarDate; relativeId?: string; safetyOverrideIds?: readonly string[] }>
  // tracing
  | E<'TracingStarted', { relativeId: string; defenderOrganizationId: string; startedOn: CalendarDate; region?: CountryCode }>
  | E<'ContactAttemptMade', { relativeId: string; channel: V.ContactChannel; result: V.ContactResult }>
  | E<'LeadReceived', { relativeId: string; personal?: Personal<{ lead: string }> }>
  /** `locatedOn`: the occurredAt date (absent in events stored before it was recorded). */
  | E<'RelativeLocated', { relativeId: string; country: CountryCode; method: V.LocationMethod; locatedOn?: CalendarDate; personal?: Personal<{ place: string }> }>
  | E<'ContactEstablished', { relativeId: string; personal?: Personal<{ safeContactInstructions: string }> }>
  | E<'PersonUnreachable', { relativeId: string }>
  | E<'PersonReportedDeceased', { relativeId: string }>
  | E<'PreferenceDeclared', { relativeId: string; preference: V.Preference }>
  // verification
  | E<'IdentityVerified', { personId: string; method: V.VerificationMethod }>
  | E<'RelationshipVerified', { relativeId: string; method: V.VerificationMethod; biological: boolean }>
  | E<'SafetyAssessmentCompleted', { relativeId: string; outcome: V.SafetyOutcome }>
  /** `subjectPersonId` absent in events stored before it was recorded: such a flag concerns every person. */
  | E<'RedFlagRaised', { flagId: string; category: V.RedFlagCategory; subjectPersonId?: string; personal?: Personal<{ narrative: string }> }>
  | E<'RedFlagCleared', { flagId: string }>
  | E<'SafetyOverrideRecorded', {
      overrideId: string; childId: string; personId?: string; gate: V.SafetyGate;
      decidedBy: { userId: string; organizationId: string; role: string };
      personal: Personal<{ reason: string }>;
    }>
  // documents
  | E<'DocumentRequested', {
      documentId: string; documentType: V.DocumentType; issuingCountry: CountryCode; assignedOrganizationId: string;
      subjectPersonId?: string; needsLegalisation: boolean; needsTranslation: boolean; needsService: boolean;
    }>
  | E<'DocumentObtained', { documentId: string }>
  | E<'DocumentApostilled', { documentId: string; method: V.LegalisationMethod }>
  | E<'DocumentTranslated', { documentId: string; language: string }>
  | E<'DocumentServed', { documentId: string; servedPersonId: string }>
  | E<'DocumentSigned', { documentId: string; signedByPersonId: string }>
  | E<'DocumentFiled', { documentId: string }>
  | E<'DocumentExpired', { documentId: string }>
  // legal matters
  /** `openedOn`: the occurredAt date (absent in events stored before it was recorded). */
  | E<'LegalMatterOpened', { matterId: string; matterType: V.MatterType; childId: string; jurisdiction: string; openedOn?: CalendarDate }>
  | E<'PetitionFiled', { matterId: string; filedOn: CalendarDate; personal?: Personal<{ receiptNumber: string }> }>
  | E<'HearingScheduled', { matterId: string; hearingOn: CalendarDate }>
  | E<'CourtOrderIssued', { matterId: string; orderType: V.OrderType; issuedOn: CalendarDate }>
  | E<'CustodyRecovered', { matterId: string; childId: string; recoveredOn: CalendarDate }>
  | E<'ApplicationDecided', { matterId: string; decision: V.Decision; decidedOn: CalendarDate }>
  // deadlines
  /**
   * `dueOn` in the data for a deadline set by hand or from a hearing; from version 5 a deadline
   * derived from the child's birth date (SIJ_AGE_OUT) carries it under `personal` instead (the
   * child's): the age-out day tells the birth date, so it is sealed and erased with the child.
   */
  | E<'DeadlineSet', { deadlineId: string; kind: V.DeadlineKind; dueOn?: CalendarDate; matterId?: string; childId?: string; derivedFrom?: string; personal?: Personal<{ dueOn: CalendarDate }> }>
  /** As DeadlineSet: an age-out deadline's dates sit under `personal` (the child's) from version 5. */
  | E<'DeadlineRecomputed', { deadlineId: string; previousDueOn?: CalendarDate; dueOn?: CalendarDate; derivedFrom: string; personal?: Personal<{ previousDueOn?: CalendarDate; dueOn: CalendarDate }> }>
  | E<'DeadlineMet', { deadlineId: string }>
  | E<'DeadlineMissed', { deadlineId: string }>
  // hand-offs
  | E<'FamilyReferred', { referralId: string; fromOrganizationId: string; toOrganizationId: string; purpose: string; scope: V.AccessScope; expiresAt?: string; acknowledgeBy?: string }>
  | E<'ReferralAccepted', { referralId: string }>
  | E<'ReferralDeclined', { referralId: string }>
  | E<'ReferralRevoked', { referralId: string }>
  /** `purpose`: what the consent must cover (absent in events recorded before consent was checked: `access`). */
  | E<'AccessGranted', { grantId: string; organizationId: string; scope: V.AccessScope; expiresAt?: string; purpose?: string }>
  | E<'AccessRevoked', { grantId: string }>
  /** The lead proposed a transfer; the lead moves only when the receiving organisation accepts. */
  | E<'FamilyTransferProposed', { fromOrganizationId: string; toOrganizationId: string; previousLeadKeepsReadAccess: boolean; previousLeadReadAccessUntil?: string }>
  | E<'FamilyTransferDeclined', { toOrganizationId: string }>
  | E<'FamilyTransferCancelled', { toOrganizationId: string }>
  /** `previousLeadReadAccessUntil`: when the kept read access ends (absent in events recorded before it had an expiry: no expiry). */
  | E<'FamilyTransferred', { fromOrganizationId: string; toOrganizationId: string; previousLeadKeepsReadAccess: boolean; previousLeadReadAccessUntil?: string }>
  // programme interruptions
  /** The reason is free text about the case: sealed under the case subject (CASE_SUBJECT_ID; version 1 kept it outside `personal`). */
  | E<'ServiceSuspended', { personal: Personal<{ reason: string }> }>
  | E<'ServiceResumed', Record<string, never>>
  // outcome
  | E<'ReunificationPlanned', { childId: string; relativeId: string; safetyOverrideIds?: readonly string[] }>
  | E<'ChildRepatriated', { childId: string; country: CountryCode; repatriatedOn: CalendarDate; safetyOverrideIds?: readonly string[] }>
  | E<'ReunificationCompleted', { childId: string; relativeId: string; reunifiedOn: CalendarDate; country: CountryCode; safetyOverrideIds?: readonly string[]; personal?: Personal<{ place: string }> }>
  /** Why the child could not be reunified with this relative: sealed under the relative's key (version 1 kept it outside `personal`). */
  | E<'ReunificationFailed', { childId: string; relativeId: string; personal: Personal<{ reason: string }> }>
  | E<'FollowUpRecorded', { childId: string; personal?: Personal<{ note: string }> }>
  | E<'FamilyCaseClosed', { reason: V.CloseReason }>
  /** The reason, as ServiceSuspended's: under the case subject. */
  | E<'FamilyCaseReopened', { personal: Personal<{ reason: string }> }>
  // added by issue 14 (consent, stop-work orders, hand-offs): docs/STOP-WORK.md, docs/HANDOFFS.md
  /** A step that is not unavoidable work, recorded under a stop-work order of the acting organisation with its reason. */
  | E<'StopWorkExceptionRecorded', { organizationId: string; orderIds: readonly string[]; commandType: string; personal: Personal<{ reason: string }> }>
  /** The new lead ended the read access a former lead kept after a transfer. */
  | E<'FormerLeadAccessRevoked', { organizationId: string }>
  // added by issue 13 (erasure and legal hold): docs/ERASURE.md. None of them carries the erased person's data.
  /**
   * A child's or relative's personal data was erased: their data key is destroyed after this is
   * appended, so every `personal` part sealed for them opens as `{ subjectId, erased: true }`.
   * `reference`: the organisation's own id for the request, sealed under the case subject from
   * version 4 (a docket number or a name written into it must not outlive the erasure in the clear).
   */
  | E<'SubjectErased', { subjectId: string; personKind: 'CHILD' | 'RELATIVE'; reason: V.ErasureReason; personal?: Personal<{ reference: string }> }>
  /** The family's records are to be preserved: nobody in it is erased while the hold stands. */
  | E<'LegalHoldPlaced', { holdId: string; reason: V.LegalHoldReason; personal?: Personal<{ reference: string }> }>
  | E<'LegalHoldLifted', { holdId: string }>;

export type FamilyEventType = FamilyEvent['type'];
export type FamilyEventOf<T extends FamilyEventType> = Extract<FamilyEvent, { type: T }>;

export const FAMILY_EVENT_SCHEMA_VERSION = 5;

import type { CalendarDate } from '../../../../services/shared/calendar-date.js';
import type { CountryCode } from '../../../../services/shared/countries.js';
import type { CommandBase, FamilyCommand, StopWorkReason } from '../../../../services/family/commands.js';
import type * as V from '../../../../services/family/vocabulary.js';

/**
 * Compile-time only (tsc checks it; vitest does not run it): the command types derived from the
 * zod definitions are exactly the hand-written union they replaced. A change to a definition
 * that changes a command's TypeScript type fails `tsc --noEmit` here until this copy is updated.
 */
type C<Type extends string, Fields> = { readonly type: Type } & CommandBase & StopWorkReason & Readonly<Fields>;
type Normal<T> = T extends unknown ? { [K in keyof T]: T[K] } : never;
type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends (<X>() => X extends B ? 1 : 2) ? true : false;

type Before =
  | C<'OpenFamilyCase', { leadOrganizationId: string; programme: V.Programme }>
  | C<'RegisterChild', { childId: string; givenName: string; familyName?: string; birthDate: CalendarDate; birthDateEstimated: boolean; nationality: CountryCode; languages: readonly string[]; needsInterpreter: boolean; arrivalDate?: CalendarDate; medicalNeeds?: string }>
  /** What the child's health needs (personal data of the child); the latest recorded replaces the earlier. */
  | C<'RecordMedicalNeeds', { childId: string; medicalNeeds: string }>
  | C<'CorrectChildBirthDate', { childId: string; birthDate: CalendarDate; birthDateEstimated: boolean }>
  | C<'CorrectChildArrivalDate', { childId: string; arrivalDate: CalendarDate }>
  | C<'RecordRelationship', { relativeId: string; childId: string; relationship: V.Relationship; biological: boolean | null }>
  | C<'AddRelative', { relativeId: string; relationship: V.Relationship; givenName: string; familyName?: string; phone?: string; biological: boolean | null; vitalStatus: V.VitalStatus; adverse: boolean; languages?: readonly string[]; needsInterpreter?: boolean }>
  | C<'RecordIdentifier', { personId: string; kind: V.IdentifierKind; value: string }>
  /** Decides whether a possible duplicate (another person the caller may see) is the same person; the decision and its reason are kept. */
  | C<'DecidePossibleDuplicate', { personId: string; otherFamilyId: string; otherPersonId: string; samePerson: boolean; reason?: string }>
  | C<'GiveConsent', { consentId: string; personId: string; purposes: readonly string[]; recipientOrganizationIds: readonly string[]; expiresOn?: CalendarDate }>
  | C<'WithdrawConsent', { consentId: string }>
  | C<'RecordProtectionConcern', { concernId: string; kind: V.ConcernKind; neverDiscloseTo: readonly string[]; subjectPersonId: string; narrative?: string }>
  | C<'RecordSeparation', { separatedOn: CalendarDate; cause: V.SeparationCause; childIds: readonly string[]; place?: string }>
  | C<'RecordChildDetained', { childId: string; agency: V.CustodianAgency; detainedOn: CalendarDate; facility?: string }>
  | C<'RecordChildTransferred', { childId: string; transferredOn: CalendarDate; facility?: string }>
  | C<'RecordChildReleased', { childId: string; releasedOn: CalendarDate; releasedToRelativeId?: string; placement: V.Placement }>
  /** `relativeId`: the relative the child is now placed with, if any (the safety gates apply to them). */
  | C<'ChangeChildPlacement', { childId: string; placement: V.Placement; changedOn: CalendarDate; relativeId?: string }>
  | C<'StartTracing', { relativeId: string; defenderOrganizationId: string; region?: CountryCode }>
  | C<'RecordContactAttempt', { relativeId: string; channel: V.ContactChannel; result: V.ContactResult }>
  | C<'RecordLead', { relativeId: string; lead?: string }>
  | C<'RecordParentLocated', { relativeId: string; country: CountryCode; method: V.LocationMethod; place?: string }>
  | C<'RecordContactEstablished', { relativeId: string; safeContactInstructions?: string }>
  | C<'RecordPersonUnreachable', { relativeId: string }>
  | C<'RecordPersonDeceased', { relativeId: string }>
  | C<'RecordPreference', { relativeId: string; preference: V.Preference }>
  | C<'RecordIdentityVerified', { personId: string; method: V.VerificationMethod }>
  | C<'RecordRelationshipVerified', { relativeId: string; method: V.VerificationMethod; biological: boolean }>
  | C<'RecordSafetyAssessment', { relativeId: string; outcome: V.SafetyOutcome }>
  | C<'RaiseRedFlag', { flagId: string; category: V.RedFlagCategory; subjectPersonId: string; narrative?: string }>
  | C<'ClearRedFlag', { flagId: string }>
  /** Lets the child's next step past one safety gate (for one person, or any): ADMIN of the lead only; single use. */
  | C<'RecordSafetyOverride', { overrideId: string; childId: string; personId?: string; gate: V.SafetyGate; reason: string }>
  | C<'RequestDocument', { documentId: string; documentType: V.DocumentType; issuingCountry: CountryCode; assignedOrganizationId: string; subjectPersonId?: string; needsLegalisation: boolean; needsTranslation: boolean; needsService: boolean }>
  | C<'RecordDocumentObtained', { documentId: string }>
  | C<'RecordDocumentApostilled', { documentId: string; method: V.LegalisationMethod }>
  | C<'RecordDocumentTranslated', { documentId: string; language: string }>
  | C<'RecordDocumentServed', { documentId: string; servedPersonId: string }>
  | C<'RecordDocumentSigned', { documentId: string; signedByPersonId: string }>
  | C<'RecordDocumentFiled', { documentId: string }>
  | C<'RecordDocumentExpired', { documentId: string }>
  | C<'OpenLegalMatter', { matterId: string; matterType: V.MatterType; childId: string; jurisdiction: string }>
  | C<'RecordPetitionFiled', { matterId: string; filedOn: CalendarDate; receiptNumber?: string }>
  | C<'ScheduleHearing', { matterId: string; hearingOn: CalendarDate; deadlineId: string }>
  | C<'RecordCourtOrder', { matterId: string; orderType: V.OrderType; issuedOn: CalendarDate }>
  | C<'RecordCustodyRecovered', { matterId: string; childId: string; recoveredOn: CalendarDate }>
  | C<'RecordApplicationDecided', { matterId: string; decision: V.Decision; decidedOn: CalendarDate }>
  | C<'SetDeadline', { deadlineId: string; kind: V.DeadlineKind; dueOn: CalendarDate; matterId?: string; childId?: string }>
  | C<'RecordDeadlineMet', { deadlineId: string }>
  | C<'RecordDeadlineMissed', { deadlineId: string }>
  | C<'ReferFamily', { referralId: string; toOrganizationId: string; purpose: string; scope: V.AccessScope; expiresAt?: string; acknowledgeBy?: string }>
  | C<'AcceptReferral', { referralId: string }>
  | C<'DeclineReferral', { referralId: string }>
  | C<'RevokeReferral', { referralId: string }>
  | C<'GrantAccess', { grantId: string; organizationId: string; scope: V.AccessScope; expiresAt?: string; purpose?: string }>
  | C<'RevokeAccess', { grantId: string }>
  /** Proposes the transfer; the receiving organisation accepts or declines it. */
  | C<'TransferFamily', { toOrganizationId: string; previousLeadKeepsReadAccess: boolean; previousLeadReadAccessUntil?: string }>
  | C<'AcceptTransfer', Record<never, never>>
  | C<'DeclineTransfer', Record<never, never>>
  | C<'CancelTransfer', Record<never, never>>
  | C<'SuspendService', { reason: string }>
  | C<'ResumeService', Record<never, never>>
  | C<'PlanReunification', { childId: string; relativeId: string }>
  | C<'RecordChildRepatriated', { childId: string; country: CountryCode; repatriatedOn: CalendarDate }>
  | C<'RecordReunification', { childId: string; relativeId: string; reunifiedOn: CalendarDate; country: CountryCode; place?: string }>
  | C<'RecordReunificationFailed', { childId: string; relativeId: string; reason: string }>
  | C<'RecordFollowUp', { childId: string; note?: string }>
  | C<'CloseFamilyCase', { reason: V.CloseReason }>
  | C<'ReopenFamilyCase', { reason: string }>
  | C<'RevokeFormerLeadAccess', { organizationId: string }>
  | C<'EraseSubject', { subjectId: string; reason: V.ErasureReason; reference?: string }>
  | C<'PlaceLegalHold', { holdId: string; reason: V.LegalHoldReason; reference?: string }>
  | C<'LiftLegalHold', { holdId: string }>;

export const derivedTypesAreTheHandWrittenOnes: Equal<Normal<FamilyCommand>, Normal<Before>> = true;

import type { CalendarDate } from '../shared/calendar-date.js';
import type { CountryCode } from '../shared/countries.js';
import type { Actor } from '../shared/decider.js';
import type * as V from './vocabulary.js';

/**
 * Family commands, imperative, one per mutation. Every command carries who issued it, when the
 * system received it (`issuedAt`) and when it happened in the world (`occurredAt`, defaulting
 * to `issuedAt`). Values are already checked for shape (see check-command.ts); the decider
 * checks the rules of the process.
 */
export interface CommandBase {
  readonly familyId: string;
  readonly actor: Actor;
  /** ISO instant: the server's clock when the command arrived. */
  readonly issuedAt: string;
  /** ISO instant: when it happened in the world; never after `issuedAt`. */
  readonly occurredAt: string;
}

/** Any command may say why a step that is not unavoidable work is recorded under a stop-work order (docs/STOP-WORK.md). */
export interface StopWorkReason {
  readonly stopWorkReason?: string;
}

type C<Type extends string, Fields> = { readonly type: Type } & CommandBase & StopWorkReason & Readonly<Fields>;

export type FamilyCommand =
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
  | C<'RevokeFormerLeadAccess', { organizationId: string }>;

export type FamilyCommandType = FamilyCommand['type'];
export type FamilyCommandOf<T extends FamilyCommandType> = Extract<FamilyCommand, { type: T }>;

/** A command without its envelope (family, actor, times): what a caller fills in. */
export type FamilyCommandInput = FamilyCommand extends infer C ? (C extends unknown ? Omit<C, keyof CommandBase> : never) : never;

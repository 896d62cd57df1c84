import type { FamilyCommandType } from '../../services/family/commands.js';

/**
 * The GraphQL shape of every family command: its input fields and their GraphQL types. The
 * mutation is the command's name in lower camel case; the input type is `<Command>Input`. Every
 * input also takes `familyId` (except openFamilyCase), `commandId`, `expectedRevision` and
 * `occurredAt` (see mutation-sdl.ts). Enum types come from services/family/vocabulary.ts.
 */
export type FieldSpecs = Readonly<Record<string, string>>;

const PERSON_NAME = { givenName: 'String!', familyName: 'String' };

export const FAMILY_MUTATIONS: Readonly<Partial<Record<FamilyCommandType, FieldSpecs>>> = {
  OpenFamilyCase: { programme: 'Programme!' },
  RegisterChild: { childId: 'ID!', ...PERSON_NAME, birthDate: 'Date!', birthDateEstimated: 'Boolean = false', nationality: 'CountryCode!', languages: '[String!] = []', needsInterpreter: 'Boolean = false', arrivalDate: 'Date', medicalNeeds: 'String' },
  RecordMedicalNeeds: { childId: 'ID!', medicalNeeds: 'String!' },
  CorrectChildBirthDate: { childId: 'ID!', birthDate: 'Date!', birthDateEstimated: 'Boolean = false' },
  CorrectChildArrivalDate: { childId: 'ID!', arrivalDate: 'Date!' },
  AddRelative: { relativeId: 'ID!', relationship: 'Relationship!', ...PERSON_NAME, phone: 'String', biological: 'Boolean', vitalStatus: 'VitalStatus = ALIVE', adverse: 'Boolean = false', languages: '[String!] = []', needsInterpreter: 'Boolean = false' },
  RecordRelationship: { relativeId: 'ID!', childId: 'ID!', relationship: 'Relationship!', biological: 'Boolean' },
  RecordIdentifier: { personId: 'ID!', kind: 'IdentifierKind!', value: 'String!' },
  DecidePossibleDuplicate: { personId: 'ID!', otherFamilyId: 'ID!', otherPersonId: 'ID!', samePerson: 'Boolean!', reason: 'String' },
  GiveConsent: { consentId: 'ID!', personId: 'ID!', purposes: '[String!]!', recipientOrganizationIds: '[ID!]!', expiresOn: 'Date' },
  WithdrawConsent: { consentId: 'ID!' },
  RecordProtectionConcern: { concernId: 'ID!', kind: 'ConcernKind!', neverDiscloseTo: '[ID!] = []', subjectPersonId: 'ID!', narrative: 'String' },
  RecordSeparation: { separatedOn: 'Date!', cause: 'SeparationCause!', childIds: '[ID!]!', place: 'String' },
  RecordChildDetained: { childId: 'ID!', agency: 'CustodianAgency!', detainedOn: 'Date!', facility: 'String' },
  RecordChildTransferred: { childId: 'ID!', transferredOn: 'Date!', facility: 'String' },
  RecordChildReleased: { childId: 'ID!', releasedOn: 'Date!', releasedToRelativeId: 'ID', placement: 'Placement!' },
  ChangeChildPlacement: { childId: 'ID!', placement: 'Placement!', changedOn: 'Date!', relativeId: 'ID' },
  RecordChildRepatriated: { childId: 'ID!', country: 'CountryCode!', repatriatedOn: 'Date!' },
  StartTracing: { relativeId: 'ID!', defenderOrganizationId: 'ID!', region: 'CountryCode' },
  RecordContactAttempt: { relativeId: 'ID!', channel: 'ContactChannel!', result: 'ContactResult!' },
  RecordLead: { relativeId: 'ID!', lead: 'String' },
  RecordParentLocated: { relativeId: 'ID!', country: 'CountryCode!', method: 'LocationMethod!', place: 'String' },
  RecordContactEstablished: { relativeId: 'ID!', safeContactInstructions: 'String' },
  RecordPersonUnreachable: { relativeId: 'ID!' },
  RecordPersonDeceased: { relativeId: 'ID!' },
  RecordPreference: { relativeId: 'ID!', preference: 'Preference!' },
  RecordIdentityVerified: { personId: 'ID!', method: 'VerificationMethod!' },
  RecordRelationshipVerified: { relativeId: 'ID!', method: 'VerificationMethod!', biological: 'Boolean!' },
  RecordSafetyAssessment: { relativeId: 'ID!', outcome: 'SafetyOutcome!' },
  RaiseRedFlag: { flagId: 'ID!', category: 'RedFlagCategory!', subjectPersonId: 'ID!', narrative: 'String' },
  ClearRedFlag: { flagId: 'ID!' },
  RecordSafetyOverride: { overrideId: 'ID!', childId: 'ID!', personId: 'ID', gate: 'SafetyGate!', reason: 'String!' },
  RequestDocument: { documentId: 'ID!', documentType: 'DocumentType!', issuingCountry: 'CountryCode!', assignedOrganizationId: 'ID!', subjectPersonId: 'ID', needsLegalisation: 'Boolean = false', needsTranslation: 'Boolean = false', needsService: 'Boolean = false' },
  RecordDocumentObtained: { documentId: 'ID!' },
  RecordDocumentApostilled: { documentId: 'ID!', method: 'LegalisationMethod = APOSTILLE' },
  RecordDocumentTranslated: { documentId: 'ID!', language: 'String!' },
  RecordDocumentServed: { documentId: 'ID!', servedPersonId: 'ID!' },
  RecordDocumentSigned: { documentId: 'ID!', signedByPersonId: 'ID!' },
  RecordDocumentFiled: { documentId: 'ID!' },
  RecordDocumentExpired: { documentId: 'ID!' },
  OpenLegalMatter: { matterId: 'ID!', matterType: 'MatterType!', childId: 'ID!', jurisdiction: 'String!' },
  RecordPetitionFiled: { matterId: 'ID!', filedOn: 'Date!', receiptNumber: 'String' },
  ScheduleHearing: { matterId: 'ID!', hearingOn: 'Date!', deadlineId: 'ID!' },
  RecordCourtOrder: { matterId: 'ID!', orderType: 'OrderType!', issuedOn: 'Date!' },
  RecordCustodyRecovered: { matterId: 'ID!', childId: 'ID!', recoveredOn: 'Date!' },
  RecordApplicationDecided: { matterId: 'ID!', decision: 'Decision!', decidedOn: 'Date!' },
  SetDeadline: { deadlineId: 'ID!', kind: 'DeadlineKind!', dueOn: 'Date!', matterId: 'ID', childId: 'ID' },
  RecordDeadlineMet: { deadlineId: 'ID!' },
  RecordDeadlineMissed: { deadlineId: 'ID!' },
  ReferFamily: { referralId: 'ID!', toOrganizationId: 'ID!', purpose: 'String!', scope: 'AccessScope!', expiresAt: 'DateTime', acknowledgeBy: 'DateTime' },
  AcceptReferral: { referralId: 'ID!' },
  DeclineReferral: { referralId: 'ID!' },
  RevokeReferral: { referralId: 'ID!' },
  GrantAccess: { grantId: 'ID!', organizationId: 'ID!', scope: 'AccessScope!', expiresAt: 'DateTime', purpose: 'String' },
  RevokeAccess: { grantId: 'ID!' },
  TransferFamily: { toOrganizationId: 'ID!', previousLeadKeepsReadAccess: 'Boolean = false', previousLeadReadAccessUntil: 'DateTime' },
  AcceptTransfer: {},
  DeclineTransfer: {},
  CancelTransfer: {},
  SuspendService: { reason: 'String!' },
  ResumeService: {},
  PlanReunification: { childId: 'ID!', relativeId: 'ID!' },
  RecordReunification: { childId: 'ID!', relativeId: 'ID!', reunifiedOn: 'Date!', country: 'CountryCode!', place: 'String' },
  RecordReunificationFailed: { childId: 'ID!', relativeId: 'ID!', reason: 'String!' },
  RecordFollowUp: { childId: 'ID!', note: 'String' },
  CloseFamilyCase: { reason: 'CloseReason!' },
  ReopenFamilyCase: { reason: 'String!' },
  RevokeFormerLeadAccess: { organizationId: 'ID!' },
};

export const mutationName = (command: string): string => command.charAt(0).toLowerCase() + command.slice(1);

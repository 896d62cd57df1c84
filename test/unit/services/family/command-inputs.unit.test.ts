import { describe, expect, it } from 'vitest';
import { familyMutationResolvers } from '../../../../schema/mutations/family-mutation-resolvers.js';
import { FAMILY_MUTATIONS, mutationName } from '../../../../schema/mutations/family-mutation-specs.js';
import { GRAPHQL_ENUMS } from '../../../../schema/mutations/mutation-sdl.js';
import { checkFamilyCommand } from '../../../../services/family/check-command.js';
import { COMMAND_INPUTS, graphqlFieldOf } from '../../../../services/family/command-inputs.js';
import type { FamilyCommand, FamilyCommandType } from '../../../../services/family/commands.js';
import { DomainError } from '../../../../services/shared/domain-error.js';
import { command, date } from '../../../support/family-fixtures.js';

/**
 * The GraphQL input fields every family mutation had before they were generated from the
 * command definitions (command-inputs.ts), field by field with nullability, default and enum
 * name: the generated ones must be exactly these, so the public contract did not move.
 */
const PERSON_NAME = { givenName: 'String!', familyName: 'String' };
const BEFORE: Readonly<Record<string, Readonly<Record<string, string>>>> = {
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
  EraseSubject: { subjectId: 'ID!', reason: 'ErasureReason!', reference: 'ID' },
  PlaceLegalHold: { holdId: 'ID!', reason: 'LegalHoldReason!', reference: 'ID' },
  LiftLegalHold: { holdId: 'ID!' },
};

const fault = (run: () => unknown): { code: string; field: string | undefined; message: string } | 'accepted' => {
  try {
    run();
    return 'accepted';
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, field: error.field, message: error.message };
    throw error;
  }
};

describe('one definition per family command', () => {
  it('every command type has a definition and a mutation with a resolver', () => {
    const types = Object.keys(COMMAND_INPUTS) as FamilyCommandType[];
    expect(types.length).toBeGreaterThan(60);
    expect(Object.keys(FAMILY_MUTATIONS)).toEqual(types);
    expect(Object.keys(familyMutationResolvers).sort()).toEqual(types.map(mutationName).sort());
  });

  it('generates exactly the GraphQL input fields the mutations had, in their order', () => {
    expect(Object.keys(FAMILY_MUTATIONS).sort()).toEqual(Object.keys(BEFORE).sort());
    for (const [type, specs] of Object.entries(FAMILY_MUTATIONS)) {
      expect(Object.entries(specs), type).toEqual(Object.entries(BEFORE[type] ?? {}));
    }
  });

  it('every vocabulary field checks the very list its GraphQL enum offers', () => {
    const enumFields = Object.entries(COMMAND_INPUTS).flatMap(([type, input]) =>
      Object.entries(input.shape as Record<string, Parameters<typeof graphqlFieldOf>[0]>).map(([field, schema]) => [`${type}.${field}`, graphqlFieldOf(schema)] as const))
      .filter(([, field]) => field.values !== undefined);
    expect(new Set(enumFields.map(([, field]) => field.type))).toEqual(new Set(Object.keys(GRAPHQL_ENUMS)));
    for (const [name, field] of enumFields) expect(GRAPHQL_ENUMS[field.type], name).toEqual(field.values);
  });

  it.each([
    ['SetDeadline', 'kind', 'PASSPORT'],
    ['RecordIdentifier', 'kind', 'HEARING'],
    ['RecordProtectionConcern', 'kind', 'A_NUMBER'],
    ['RecordParentLocated', 'method', 'DNA'],
    ['RecordIdentityVerified', 'method', 'APOSTILLE'],
    ['CloseFamilyCase', 'reason', 'moved away'],
  ] as const)('%s.%s takes its own vocabulary only (%s belongs to another)', (type, field, value) => {
    const valid: Record<string, Record<string, unknown>> = {
      SetDeadline: { deadlineId: 'd-1', kind: 'HEARING', dueOn: date('2030-01-01') },
      RecordIdentifier: { personId: 'p-1', kind: 'PASSPORT', value: 'X1' },
      RecordProtectionConcern: { concernId: 'c-1', kind: 'ABUSE', neverDiscloseTo: [], subjectPersonId: 'p-1' },
      RecordParentLocated: { relativeId: 'r-1', country: 'HN', method: 'PHONE' },
      RecordIdentityVerified: { personId: 'p-1', method: 'DNA' },
      CloseFamilyCase: { reason: 'WITHDRAWN' },
    };
    const base = command(type, valid[type] as never) as FamilyCommand;
    expect(fault(() => checkFamilyCommand(base))).toBe('accepted');
    const wrong = fault(() => checkFamilyCommand({ ...base, [field]: value }));
    expect(wrong).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(wrong === 'accepted' ? '' : wrong.message).toMatch(new RegExp(`^${field} must be one of `));
    expect(wrong === 'accepted' ? '' : wrong.message).not.toContain(value);
  });

  it('refuses a field the command does not have, and a missing one, naming the field', () => {
    const deadline = command('SetDeadline', { deadlineId: 'd-1', kind: 'HEARING', dueOn: date('2030-01-01') });
    expect(fault(() => checkFamilyCommand({ ...deadline, childIds: ['c-1'] } as FamilyCommand))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'childIds', message: 'childIds is not a known input' });
    const { dueOn: _dueOn, ...withoutDue } = deadline;
    expect(fault(() => checkFamilyCommand(withoutDue as FamilyCommand))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'dueOn', message: 'dueOn is required' });
    expect(fault(() => checkFamilyCommand({ ...deadline, type: 'DropFamily' } as unknown as FamilyCommand))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'type' });
  });
});

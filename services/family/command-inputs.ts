import { z } from 'zod';
import type { Actor } from '../shared/decider.js';
import { badInput, rule } from '../shared/domain-error.js';
import { toUtcInstant } from '../shared/instant.js';
import { country, date, id, list, oneOf, text } from '../shared/input.js';
import * as V from './vocabulary.js';

/**
 * The one definition of every family command's input: for each command type, a zod object of
 * its own fields with that command's rules. From it come the TypeScript command types
 * (commands.ts), the runtime checks (check-command.ts) and the GraphQL input types
 * (schema/mutations/family-mutation-specs.ts); the record is typed over every command, so a
 * command without an input (and so without a mutation) does not exist.
 *
 * The rules are the helpers of services/shared/input.ts: each check throws BAD_USER_INPUT naming
 * the field and the rule, never the value; text comes back trimmed and instants in UTC.
 */

/** How a field appears in its mutation's GraphQL input type. */
export interface GraphqlField {
  /** The named GraphQL type without `!`, e.g. `ID`, `[String!]`, `Relationship`. */
  readonly type: string;
  /** The GraphQL default (`false`, `ALIVE`, `[]`): the field may be left out although the command needs it. */
  readonly default?: string;
  /** Filled in by the server (never in the GraphQL input), e.g. the opening organisation. */
  readonly server?: true;
  /** A closed vocabulary's words (the GraphQL enum's values). */
  readonly values?: readonly string[];
}

const GRAPHQL = new WeakMap<z.ZodType, GraphqlField>();

/** The GraphQL description of one field schema of this module, looking through optional, nullable and default. */
export const graphqlFieldOf = (schema: z.ZodType): GraphqlField & { readonly nullable: boolean } => {
  let current: z.ZodType = schema;
  let nullable = false;
  for (;;) {
    const own = GRAPHQL.get(current);
    if (own) return { ...own, nullable };
    const { def } = current as unknown as { def: { type: string; innerType?: z.ZodType } };
    if (!def.innerType || !['optional', 'nullable', 'default'].includes(def.type)) throw new Error(`a command field without a GraphQL type (${def.type})`);
    nullable = true;
    current = def.innerType;
  }
};

/** A field's schema, made for its name (the helpers name the field in their errors). */
type Field<S extends z.ZodType = z.ZodType> = (field: string) => S;

const graphql = <S extends z.ZodType>(schema: S, field: GraphqlField): S => {
  GRAPHQL.set(schema, field);
  return schema;
};

const checked = <T>(type: string, check: (field: string, value: string) => T): Field<z.ZodPipe<z.ZodString, z.ZodTransform<Awaited<T>, string>>> =>
  (field) => graphql(z.string().transform((value) => check(field, value)), { type });

const instant = (field: string, value: string): string => {
  const utc = toUtcInstant(value);
  if (utc === undefined) throw badInput(field, rule`must be an RFC 3339 date-time with an offset`);
  return utc;
};

const ID = checked('ID', id);
const DATE = checked('Date', date);
const INSTANT = checked('DateTime', instant);
const COUNTRY = checked('CountryCode', country);
/** Names and short text: one line, no control or bidirectional formatting characters. */
const short = (max: number) => checked('String', (field, value) => text(field, value, max));
const NAME = short(200);
/** Free text, up to 4,000 characters; it may hold line breaks and tabs (names and short text may not). */
const LONG = checked('String', (field, value) => text(field, value, 4_000, { lines: true }));
const BOOLEAN: Field<z.ZodBoolean> = () => graphql(z.boolean(), { type: 'Boolean' });
/** One of a closed vocabulary, named as its GraphQL enum (schema/mutations/mutation-sdl.ts). */
const one = <T extends string>(vocabulary: readonly T[], enumName: string) => (field: string) =>
  graphql(z.string().transform((value) => oneOf(field, value, vocabulary)), { type: enumName, values: vocabulary });

const listOf = <T>(itemType: string, item: (field: string, value: string) => T) => (field: string) =>
  graphql(z.array(z.string()).transform((values): readonly T[] => list(field, values).map((value) => item(field, value))), { type: `[${itemType}!]` });
const IDS = listOf('ID', id);
/** Free words (languages, purposes): each up to 100 characters. */
const WORDS = listOf('String', (field, value) => text(field, value, 100));

const optional = <S extends z.ZodType>(make: Field<S>) => (field: string) => make(field).optional();
/** Required in the command; GraphQL fills `graphqlDefault` when the client leaves it out. */
const defaulted = <S extends z.ZodType>(make: Field<S>, graphqlDefault: string) => (field: string) => {
  const schema = make(field);
  return graphql(schema, { ...GRAPHQL.get(schema)!, default: graphqlDefault });
};
/** Optional in the command; GraphQL fills `graphqlDefault` when the client leaves it out. */
const optionalDefaulted = <S extends z.ZodType>(make: Field<S>, graphqlDefault: string) => optional(defaulted(make, graphqlDefault));
/** Yes, no, or not known (null, also when left out). */
const UNKNOWN_OR_BOOLEAN = (field: string) => BOOLEAN(field).nullable().default(null);
const serverFilled = <S extends z.ZodType>(make: Field<S>) => (field: string) => {
  const schema = make(field);
  return graphql(schema, { ...GRAPHQL.get(schema)!, server: true });
};

type Shape<Fields extends Readonly<Record<string, Field>>> = { -readonly [K in keyof Fields]: ReturnType<Fields[K]> };

/** A command's own fields as a closed zod object: any other field is refused. */
const fields = <Fields extends Readonly<Record<string, Field>>>(made: Fields): z.ZodObject<Shape<Fields>, z.core.$strict> =>
  z.strictObject(Object.fromEntries(Object.entries(made).map(([field, make]) => [field, make(field)])) as Shape<Fields>);

const NONE = fields({});
const PERSON_NAME = { givenName: NAME, familyName: optional(NAME) };
const METHOD = { location: one(V.LOCATION_METHODS, 'LocationMethod'), verification: one(V.VERIFICATION_METHODS, 'VerificationMethod') };

export const COMMAND_INPUTS = {
  OpenFamilyCase: fields({ leadOrganizationId: serverFilled(ID), programme: one(V.PROGRAMMES, 'Programme') }),
  RegisterChild: fields({
    childId: ID, ...PERSON_NAME, birthDate: DATE, birthDateEstimated: defaulted(BOOLEAN, 'false'), nationality: COUNTRY,
    languages: defaulted(WORDS, '[]'), needsInterpreter: defaulted(BOOLEAN, 'false'), arrivalDate: optional(DATE), medicalNeeds: optional(LONG),
  }),
  /** What the child's health needs (personal data of the child); the latest recorded replaces the earlier. */
  RecordMedicalNeeds: fields({ childId: ID, medicalNeeds: LONG }),
  CorrectChildBirthDate: fields({ childId: ID, birthDate: DATE, birthDateEstimated: defaulted(BOOLEAN, 'false') }),
  CorrectChildArrivalDate: fields({ childId: ID, arrivalDate: DATE }),
  AddRelative: fields({
    relativeId: ID, relationship: one(V.RELATIONSHIPS, 'Relationship'), ...PERSON_NAME, phone: optional(short(40)), biological: UNKNOWN_OR_BOOLEAN,
    vitalStatus: defaulted(one(V.VITAL_STATUSES, 'VitalStatus'), 'ALIVE'), adverse: defaulted(BOOLEAN, 'false'),
    languages: optionalDefaulted(WORDS, '[]'), needsInterpreter: optionalDefaulted(BOOLEAN, 'false'),
  }),
  RecordRelationship: fields({ relativeId: ID, childId: ID, relationship: one(V.RELATIONSHIPS, 'Relationship'), biological: UNKNOWN_OR_BOOLEAN }),
  RecordIdentifier: fields({ personId: ID, kind: one(V.IDENTIFIER_KINDS, 'IdentifierKind'), value: short(100) }),
  /** Decides whether a possible duplicate (another person the caller may see) is the same person; the decision and its reason are kept. */
  DecidePossibleDuplicate: fields({ personId: ID, otherFamilyId: ID, otherPersonId: ID, samePerson: BOOLEAN, reason: optional(LONG) }),
  GiveConsent: fields({ consentId: ID, personId: ID, purposes: WORDS, recipientOrganizationIds: IDS, expiresOn: optional(DATE) }),
  WithdrawConsent: fields({ consentId: ID }),
  RecordProtectionConcern: fields({ concernId: ID, kind: one(V.CONCERN_KINDS, 'ConcernKind'), neverDiscloseTo: defaulted(IDS, '[]'), subjectPersonId: ID, narrative: optional(LONG) }),
  RecordSeparation: fields({ separatedOn: DATE, cause: one(V.SEPARATION_CAUSES, 'SeparationCause'), childIds: IDS, place: optional(LONG) }),
  RecordChildDetained: fields({ childId: ID, agency: one(V.CUSTODIAN_AGENCIES, 'CustodianAgency'), detainedOn: DATE, facility: optional(LONG) }),
  RecordChildTransferred: fields({ childId: ID, transferredOn: DATE, facility: optional(LONG) }),
  RecordChildReleased: fields({ childId: ID, releasedOn: DATE, releasedToRelativeId: optional(ID), placement: one(V.PLACEMENTS, 'Placement') }),
  /** `relativeId`: the relative the child is now placed with, if any (the safety gates apply to them). */
  ChangeChildPlacement: fields({ childId: ID, placement: one(V.PLACEMENTS, 'Placement'), changedOn: DATE, relativeId: optional(ID) }),
  RecordChildRepatriated: fields({ childId: ID, country: COUNTRY, repatriatedOn: DATE }),
  StartTracing: fields({ relativeId: ID, defenderOrganizationId: ID, region: optional(COUNTRY) }),
  RecordContactAttempt: fields({ relativeId: ID, channel: one(V.CONTACT_CHANNELS, 'ContactChannel'), result: one(V.CONTACT_RESULTS, 'ContactResult') }),
  RecordLead: fields({ relativeId: ID, lead: optional(LONG) }),
  RecordParentLocated: fields({ relativeId: ID, country: COUNTRY, method: METHOD.location, place: optional(LONG) }),
  RecordContactEstablished: fields({ relativeId: ID, safeContactInstructions: optional(LONG) }),
  RecordPersonUnreachable: fields({ relativeId: ID }),
  RecordPersonDeceased: fields({ relativeId: ID }),
  RecordPreference: fields({ relativeId: ID, preference: one(V.PREFERENCES, 'Preference') }),
  RecordIdentityVerified: fields({ personId: ID, method: METHOD.verification }),
  RecordRelationshipVerified: fields({ relativeId: ID, method: METHOD.verification, biological: BOOLEAN }),
  RecordSafetyAssessment: fields({ relativeId: ID, outcome: one(V.SAFETY_OUTCOMES, 'SafetyOutcome') }),
  RaiseRedFlag: fields({ flagId: ID, category: one(V.RED_FLAG_CATEGORIES, 'RedFlagCategory'), subjectPersonId: ID, narrative: optional(LONG) }),
  ClearRedFlag: fields({ flagId: ID }),
  /** Lets the child's next step past one safety gate (for one person, or any): ADMIN of the lead only; single use. */
  RecordSafetyOverride: fields({ overrideId: ID, childId: ID, personId: optional(ID), gate: one(V.SAFETY_GATES, 'SafetyGate'), reason: LONG }),
  RequestDocument: fields({
    documentId: ID, documentType: one(V.DOCUMENT_TYPES, 'DocumentType'), issuingCountry: COUNTRY, assignedOrganizationId: ID, subjectPersonId: optional(ID),
    needsLegalisation: defaulted(BOOLEAN, 'false'), needsTranslation: defaulted(BOOLEAN, 'false'), needsService: defaulted(BOOLEAN, 'false'),
  }),
  RecordDocumentObtained: fields({ documentId: ID }),
  RecordDocumentApostilled: fields({ documentId: ID, method: defaulted(one(V.LEGALISATION_METHODS, 'LegalisationMethod'), 'APOSTILLE') }),
  RecordDocumentTranslated: fields({ documentId: ID, language: short(35) }),
  RecordDocumentServed: fields({ documentId: ID, servedPersonId: ID }),
  RecordDocumentSigned: fields({ documentId: ID, signedByPersonId: ID }),
  RecordDocumentFiled: fields({ documentId: ID }),
  RecordDocumentExpired: fields({ documentId: ID }),
  OpenLegalMatter: fields({ matterId: ID, matterType: one(V.MATTER_TYPES, 'MatterType'), childId: ID, jurisdiction: short(10) }),
  RecordPetitionFiled: fields({ matterId: ID, filedOn: DATE, receiptNumber: optional(short(100)) }),
  ScheduleHearing: fields({ matterId: ID, hearingOn: DATE, deadlineId: ID }),
  RecordCourtOrder: fields({ matterId: ID, orderType: one(V.ORDER_TYPES, 'OrderType'), issuedOn: DATE }),
  RecordCustodyRecovered: fields({ matterId: ID, childId: ID, recoveredOn: DATE }),
  RecordApplicationDecided: fields({ matterId: ID, decision: one(V.DECISIONS, 'Decision'), decidedOn: DATE }),
  SetDeadline: fields({ deadlineId: ID, kind: one(V.DEADLINE_KINDS, 'DeadlineKind'), dueOn: DATE, matterId: optional(ID), childId: optional(ID) }),
  RecordDeadlineMet: fields({ deadlineId: ID }),
  RecordDeadlineMissed: fields({ deadlineId: ID }),
  ReferFamily: fields({ referralId: ID, toOrganizationId: ID, purpose: LONG, scope: one(V.ACCESS_SCOPES, 'AccessScope'), expiresAt: optional(INSTANT), acknowledgeBy: optional(INSTANT) }),
  AcceptReferral: fields({ referralId: ID }),
  DeclineReferral: fields({ referralId: ID }),
  RevokeReferral: fields({ referralId: ID }),
  GrantAccess: fields({ grantId: ID, organizationId: ID, scope: one(V.ACCESS_SCOPES, 'AccessScope'), expiresAt: optional(INSTANT), purpose: optional(LONG) }),
  RevokeAccess: fields({ grantId: ID }),
  /** Proposes the transfer; the receiving organisation accepts or declines it. */
  TransferFamily: fields({ toOrganizationId: ID, previousLeadKeepsReadAccess: defaulted(BOOLEAN, 'false'), previousLeadReadAccessUntil: optional(INSTANT) }),
  AcceptTransfer: NONE,
  DeclineTransfer: NONE,
  CancelTransfer: NONE,
  SuspendService: fields({ reason: LONG }),
  ResumeService: NONE,
  PlanReunification: fields({ childId: ID, relativeId: ID }),
  RecordReunification: fields({ childId: ID, relativeId: ID, reunifiedOn: DATE, country: COUNTRY, place: optional(LONG) }),
  RecordReunificationFailed: fields({ childId: ID, relativeId: ID, reason: LONG }),
  RecordFollowUp: fields({ childId: ID, note: optional(LONG) }),
  CloseFamilyCase: fields({ reason: one(V.CLOSE_REASONS, 'CloseReason') }),
  ReopenFamilyCase: fields({ reason: LONG }),
  RevokeFormerLeadAccess: fields({ organizationId: ID }),
  /**
   * Erases one child's or relative's personal data by destroying their data key (docs/ERASURE.md):
   * ADMIN of the lead only, refused (LEGAL_HOLD) while a legal hold stands. `reference`: the
   * organisation's own reference for the request (an id: never a name or a court's case number).
   */
  EraseSubject: fields({ subjectId: ID, reason: one(V.ERASURE_REASONS, 'ErasureReason'), reference: optional(ID) }),
  /** Preserves the family's records: nobody in it can be erased until the hold is lifted. `reference` as for EraseSubject. */
  PlaceLegalHold: fields({ holdId: ID, reason: one(V.LEGAL_HOLD_REASONS, 'LegalHoldReason'), reference: optional(ID) }),
  /** Lifts a standing legal hold: ADMIN of the lead only. */
  LiftLegalHold: fields({ holdId: ID }),
} as const satisfies Readonly<Record<string, z.ZodObject>>;

export type CommandInputs = typeof COMMAND_INPUTS;

/**
 * What every family command carries besides its own fields: the family, who issued it, when the
 * server received it and when it happened in the world, and why a step is recorded under a
 * stop-work order. The actor is the server's, never the client's, and is not checked here.
 */
const ENVELOPE = {
  stopWorkReason: optional(LONG)('stopWorkReason'),
  familyId: ID('familyId'),
  actor: z.custom<Actor>(),
  issuedAt: INSTANT('issuedAt'),
  occurredAt: INSTANT('occurredAt'),
};

const COMMANDS = Object.fromEntries(
  Object.entries(COMMAND_INPUTS).map(([type, input]) => [type, input.extend({ type: z.literal(type), ...ENVELOPE })]),
) as Readonly<Record<string, z.ZodObject>>;

interface ZodIssueLike { readonly code: string; readonly path: readonly PropertyKey[]; readonly keys?: readonly string[] }

const faultOf = (command: object, issue: ZodIssueLike) => {
  if (issue.code === 'unrecognized_keys') return badInput(issue.keys?.[0] ?? 'input', rule`is not a known input`);
  const field = String(issue.path[0] ?? 'input');
  if (issue.code === 'invalid_type' && (command as Record<string, unknown>)[field] === undefined) return badInput(field, rule`is required`);
  return badInput(field, rule`has the wrong type`);
};

/**
 * Parses a family command against its type's definition: the checked command (text trimmed,
 * instants in UTC, a left-out unknown `biological` as null), or BAD_USER_INPUT naming the first
 * field at fault: a rule of input.ts, a missing field (`is required`), a field of the wrong type,
 * or a field the command does not have (`is not a known input`). An unknown command type is
 * BAD_USER_INPUT on `type`.
 */
export const parseFamilyCommand = (command: { readonly type: string } & object): unknown => {
  const schema = Object.hasOwn(COMMANDS, command.type) ? COMMANDS[command.type] : undefined;
  if (!schema) throw badInput('type', rule`is not a known command`);
  const result = schema.safeParse(command);
  if (!result.success) throw faultOf(command, result.error.issues[0] as ZodIssueLike);
  return result.data;
};

import * as V from '../../services/family/vocabulary.js';
import { FAMILY_MUTATIONS, mutationName } from './family-mutation-specs.js';

/** GraphQL enums for the closed vocabularies, generated from the same lists the decider checks. */
export const GRAPHQL_ENUMS: Readonly<Record<string, readonly string[]>> = {
  Programme: V.PROGRAMMES, Relationship: V.RELATIONSHIPS, VitalStatus: V.VITAL_STATUSES, SeparationCause: V.SEPARATION_CAUSES,
  CustodianAgency: V.CUSTODIAN_AGENCIES, Placement: V.PLACEMENTS, ContactChannel: V.CONTACT_CHANNELS, ContactResult: V.CONTACT_RESULTS,
  LocationMethod: V.LOCATION_METHODS, Preference: V.PREFERENCES, VerificationMethod: V.VERIFICATION_METHODS, SafetyOutcome: V.SAFETY_OUTCOMES,
  DocumentType: V.DOCUMENT_TYPES, LegalisationMethod: V.LEGALISATION_METHODS, MatterType: V.MATTER_TYPES, OrderType: V.ORDER_TYPES,
  Decision: V.DECISIONS, DeadlineKind: V.DEADLINE_KINDS, AccessScope: V.ACCESS_SCOPES, IdentifierKind: V.IDENTIFIER_KINDS,
  ConcernKind: V.CONCERN_KINDS, RedFlagCategory: V.RED_FLAG_CATEGORIES, CloseReason: V.CLOSE_REASONS, SafetyGate: V.SAFETY_GATES,
  ErasureReason: V.ERASURE_REASONS, LegalHoldReason: V.LEGAL_HOLD_REASONS,
};

const COMMON = `  """Idempotency key: repeating it returns the first result and appends nothing."""
  commandId: ID
  """The revision you saw; if the family changed since, the mutation fails with CONFLICT."""
  expectedRevision: Int
  """When it happened in the world; defaults to now; never in the future."""
  occurredAt: DateTime
  """Why this step is recorded although your organisation is under a stop-work order for the family's programme and it is not unavoidable work (docs/STOP-WORK.md)."""
  stopWorkReason: String`;

/** The SDL of every family mutation: enums, one input type per command, the payload, the Mutation fields. */
export const familyMutationSdl = (): string => {
  const enums = Object.entries(GRAPHQL_ENUMS).map(([name, values]) => `enum ${name} {\n  ${values.join('\n  ')}\n}`);
  const inputs = Object.entries(FAMILY_MUTATIONS).map(([command, fields]) => {
    const own = Object.entries(fields ?? {}).map(([field, type]) => `  ${field}: ${type}`);
    const familyId = command === 'OpenFamilyCase' ? [] : ['  familyId: ID!'];
    return `input ${command}Input {\n${[...familyId, ...own, COMMON].join('\n')}\n}`;
  });
  const fields = Object.keys(FAMILY_MUTATIONS).map((command) => `  ${mutationName(command)}(input: ${command}Input!): FamilyPayload!`);
  return [
    '"""An ISO 3166-1 alpha-2 country code, e.g. HN."""\nscalar CountryCode',
    ...enums,
    ...inputs,
    `"""The family after the change (read-your-writes), its revision and the event-store position written."""
type FamilyPayload {
  """The family as the caller sees it after the change; null when the change ended the caller's own access (e.g. a declined referral)."""
  family: Family
  revision: Int!
  position: String!
  """True when this commandId had already been applied: nothing new was written."""
  replayed: Boolean!
}`,
    `type Mutation {\n${fields.join('\n')}\n}`,
  ].join('\n\n');
};

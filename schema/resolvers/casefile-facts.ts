import DataLoader from 'dataloader';
import type { CasefileViews } from '../../projections/casefile/casefile-view.js';
import { VIEW_ALLOWLIST, type DisclosureContext, type FieldRule, type ViewName } from '../../projections/families/allowlist.js';
import { disclose, listed } from '../../projections/families/disclose.js';
import type { FamilyRow } from '../../projections/families/family-read-model.js';
import { DOCUMENTS } from '../../projections/families/redaction.js';
import type { GraphQLContext } from '../context.js';
import { disclosureOf } from './family.js';
import { ownerOf, type ViewOwner } from './view-owner.js';

/**
 * The case file's facts in GraphQL (schema/casefile-facts.graphql): read from the `casefile`
 * projection's own view types (projections/casefile/casefile-view.ts), never from the write
 * state, and every record put through the allowlist for the caller's scope (`disclose`), each
 * field as the history shows the event field it comes from. A row naming a person hidden from
 * the caller, or a record about one, is left out (as the history makes such an event a
 * placeholder).
 *
 * N+1 freedom: one DataLoader per kind of row per request, by family id, so a page of families
 * with every nested fact costs one statement per kind asked for, whatever the page size.
 * Limits: the facts are the live family's; on a past family (`family(asOf:)`) they are null.
 */
type Kind = keyof CasefileViews;
type Record_ = { readonly [key: string]: unknown };

const loaders = new WeakMap<GraphQLContext, Map<Kind, DataLoader<string, unknown[]>>>();

const factsOf = <K extends Kind>(context: GraphQLContext, kind: K, familyId: string): Promise<Array<CasefileViews[K]>> => {
  let byKind = loaders.get(context);
  if (!byKind) loaders.set(context, (byKind = new Map<Kind, DataLoader<string, unknown[]>>()));
  let loader = byKind.get(kind);
  if (!loader) {
    loader = new DataLoader<string, unknown[]>((ids) => {
      const rows = context.casefile.facts(kind, ids);
      return Promise.resolve(ids.map((id) => rows.get(id) ?? []));
    });
    byKind.set(kind, loader);
  }
  return loader.load(familyId) as Promise<Array<CasefileViews[K]>>;
};

const isPast = (row: FamilyRow): boolean => 'state' in row;

/** Whether a record names someone hidden from the reader (by the view's rules), or a record about them. */
const namesHidden = (view: ViewName, record: Record_, context: DisclosureContext): boolean => {
  const rules: Readonly<Record<string, FieldRule>> = VIEW_ALLOWLIST[view];
  return Object.entries(record).some(([field, value]) => {
    const names = Object.hasOwn(rules, field) ? rules[field]?.names : undefined;
    if (names === 'person') return typeof value === 'string' && context.hidden.has(value);
    if (names === 'people') return Array.isArray(value) && value.some((id) => typeof id === 'string' && context.hidden.has(id));
    if (names === 'document' || names === 'redFlag') return typeof value === 'string' && context.hiddenRecords.has(`${names}:${value}`);
    return false;
  });
};

/** The records as the reader may see them: those naming a hidden person left out, the rest through the allowlist. */
const discloseAll = (view: ViewName, records: readonly object[], context: DisclosureContext) =>
  (records as readonly Record_[]).filter((record) => !namesHidden(view, record, context)).map((record) => disclose(view, record, context));

const organization = (id: unknown, context: GraphQLContext) =>
  (typeof id !== 'string' ? null : context.loaders.organization.load(id).then((org) => org ?? { organization_id: id, name: null, kind: null }));

/** Resolvers of fields that hold an organisation's id in the view. */
const organizationFields = (...fields: string[]) =>
  Object.fromEntries(fields.map((field) => [field, (view: Record_, _args: unknown, context: GraphQLContext) =>
    (Array.isArray(view[field]) ? (view[field] as unknown[]).map((id) => organization(id, context)) : organization(view[field], context))]));

/** The caller reads personal data of the family (DOCUMENTS scope and above): logged like the other reads of people. */
const recordRead = (row: FamilyRow, context: GraphQLContext): void => {
  if (row.viewer_scope >= DOCUMENTS) context.accessLog.record(row.family_id, 'people');
};

// --- Family ---------------------------------------------------------------------------------

type FamilyList = (row: FamilyRow, context: GraphQLContext) => Promise<unknown[]>;

const handoffs = async (row: FamilyRow, context: GraphQLContext, kind: CasefileViews['Handoff']['kind']) =>
  (await factsOf(context, 'Handoff', row.family_id)).filter((handoff) => handoff.kind === kind);

const FAMILY_LISTS: Readonly<Record<string, FamilyList>> = {
  separations: async (row, context) => discloseAll('Separation', await factsOf(context, 'Separation', row.family_id), disclosureOf(row)),
  protectionConcerns: async (row, context) => discloseAll('ProtectionConcern', (await factsOf(context, 'ProtectionConcern', row.family_id)).map((concern) => ({
    id: concern.concernId, kind: concern.kind, subjectPersonId: concern.subjectPersonId, neverDiscloseTo: concern.neverDiscloseTo, narrative: concern.narrative, recordedOn: concern.recordedOn,
  })), disclosureOf(row)),
  redFlags: async (row, context) => discloseAll('RedFlag', (await factsOf(context, 'RedFlag', row.family_id)).map((flag) => ({
    id: flag.flagId, category: flag.category, subjectPersonId: flag.subjectPersonId, narrative: flag.narrative, raisedOn: flag.raisedOn, clearedOn: flag.clearedOn,
  })), disclosureOf(row)),
  safetyOverrides: async (row, context) => discloseAll('SafetyOverride', (await factsOf(context, 'SafetyOverride', row.family_id)).map((override) => ({
    id: override.overrideId, childId: override.childId, personId: override.personId, gate: override.gate, decidedBy: override.decidedByOrganizationId,
    decidedByUserId: override.decidedByUserId, decidedByRole: override.decidedByRole, reason: override.reason, recordedOn: override.recordedOn,
  })), disclosureOf(row)),
  grants: async (row, context) => discloseAll('AccessGrant', (await handoffs(row, context, 'GRANT')).map((grant) => ({
    id: grant.handoffId, organization: grant.organizationId, scope: grant.scope, purpose: grant.purpose, expiresAt: grant.expiresAt, status: grant.status,
    grantedOn: grant.since, revokedOn: grant.endedOn,
  })), disclosureOf(row)),
  keptAccess: async (row, context) => discloseAll('KeptAccess', (await handoffs(row, context, 'KEPT_ACCESS')).map((kept) => ({
    organization: kept.organizationId, until: kept.expiresAt, status: kept.status, since: kept.since, endedOn: kept.endedOn,
  })), disclosureOf(row)),
  transfers: async (row, context) => discloseAll('Transfer', (await handoffs(row, context, 'TRANSFER')).map((transfer) => ({
    toOrganization: transfer.organizationId, fromOrganization: transfer.fromOrganizationId, previousLeadReadAccessUntil: transfer.expiresAt, status: transfer.status,
    proposedOn: transfer.since, answeredOn: transfer.endedOn,
  })), disclosureOf(row)),
  caseNotes: async (row, context) => discloseAll('CaseNote', await factsOf(context, 'CaseNote', row.family_id), disclosureOf(row)),
};

export const casefileFamilyResolvers = Object.fromEntries(Object.entries(FAMILY_LISTS).map(([field, list]) => [
  field,
  (row: FamilyRow, _args: unknown, context: GraphQLContext) => {
    if (isPast(row) || !listed('Family', field, disclosureOf(row).scope)) return null;
    recordRead(row, context);
    return list(row, context);
  },
]));

// --- Children and relatives ------------------------------------------------------------------

type Nested = (owner: ViewOwner, context: GraphQLContext) => Promise<unknown>;

/** Resolvers of a view type's nested fields: null where the type's allowlist does not list the field for the scope, or on a past family. */
const nestedResolvers = (view: ViewName, fields: Readonly<Record<string, Nested>>) =>
  Object.fromEntries(Object.entries(fields).map(([field, resolve]) => [
    field,
    (parent: unknown, _args: unknown, context: GraphQLContext) => {
      const owner = ownerOf(parent);
      if (!owner || isPast(owner.row) || !listed(view, field, disclosureOf(owner.row).scope)) return null;
      return resolve(owner, context);
    },
  ]));

const personFactsOf = async (owner: ViewOwner, context: GraphQLContext) =>
  (await factsOf(context, 'PersonFacts', owner.row.family_id)).find((facts) => facts.personId === owner.id);

/** One scalar fact of the person, through the view's allowlist. */
const personFact = (view: 'Child' | 'Relative', field: string, pick: (facts: CasefileViews['PersonFacts']) => unknown): Nested => async (owner, context) => {
  const facts = await personFactsOf(owner, context);
  if (!facts) return null;
  return disclose(view, { [field]: pick(facts) }, disclosureOf(owner.row))[field] ?? null;
};

const personLists = (): Readonly<Record<string, Nested>> => ({
  identifiers: async (owner, context) => discloseAll('Identifier', (await factsOf(context, 'Identifier', owner.row.family_id)).filter((identifier) => identifier.personId === owner.id), disclosureOf(owner.row)),
  consents: async (owner, context) => discloseAll('Consent', (await factsOf(context, 'Consent', owner.row.family_id)).filter((consent) => consent.personId === owner.id).map((consent) => ({
    id: consent.consentId, purposes: consent.purposes, recipientOrganizations: consent.recipientOrganizationIds, expiresOn: consent.expiresOn,
    givenOn: consent.givenOn, withdrawnOn: consent.withdrawnOn,
  })), disclosureOf(owner.row)),
  duplicateDecisions: async (owner, context) => discloseAll('DuplicateDecision', (await factsOf(context, 'DuplicateDecision', owner.row.family_id))
    .filter((decision) => decision.personId === owner.id), disclosureOf(owner.row)),
});

const personScalars = (view: 'Child' | 'Relative', fields: Readonly<Record<string, (facts: CasefileViews['PersonFacts']) => unknown>>) =>
  Object.fromEntries(Object.entries(fields).map(([field, pick]) => [field, personFact(view, field, pick)]));

const childFields: Readonly<Record<string, Nested>> = {
  ...personScalars('Child', {
    familyName: (facts) => facts.familyName, identityVerifiedMethod: (facts) => facts.identityVerifiedMethod, identityVerifiedOn: (facts) => facts.identityVerifiedOn,
  }),
  ...personLists(),
};

const relativeFields: Readonly<Record<string, Nested>> = {
  ...personScalars('Relative', {
    familyName: (f) => f.familyName, phone: (f) => f.phone, biological: (f) => f.biological, vitalStatus: (f) => f.vitalStatus,
    safeContactInstructions: (f) => f.safeContactInstructions, contactEstablishedOn: (f) => f.contactEstablishedOn,
    locatedOn: (f) => f.locatedOn, locatedMethod: (f) => f.locatedMethod, locatedPlace: (f) => f.locatedPlace,
    safetyOutcome: (f) => f.safetyOutcome, safetyAssessedOn: (f) => f.safetyAssessedOn,
    identityVerifiedMethod: (f) => f.identityVerifiedMethod, identityVerifiedOn: (f) => f.identityVerifiedOn,
    relationshipVerifiedMethod: (f) => f.relationshipVerifiedMethod, relationshipVerifiedBiological: (f) => f.relationshipVerifiedBiological,
    relationshipVerifiedOn: (f) => f.relationshipVerifiedOn, tracingStartedOn: (f) => f.tracingStartedOn, believedCountry: (f) => f.believedCountry,
  }),
  tracingOrganization: async (owner, context) => organization(await personFact('Relative', 'tracingOrganization', (f) => f.tracingOrganizationId)(owner, context), context),
  relationships: async (owner, context) => discloseAll('RelationshipToChild', (await factsOf(context, 'Relationship', owner.row.family_id)).filter((r) => r.relativeId === owner.id), disclosureOf(owner.row)),
  contactAttempts: async (owner, context) => discloseAll('ContactAttempt', (await factsOf(context, 'ContactAttempt', owner.row.family_id)).filter((attempt) => attempt.relativeId === owner.id).map((attempt) => ({
    channel: attempt.channel, result: attempt.result, attemptedOn: attempt.attemptedOn, recordedBy: attempt.organizationId, recordedByUserId: attempt.userId,
  })), disclosureOf(owner.row)),
  leads: async (owner, context) => discloseAll('TracingLead', (await factsOf(context, 'TracingLead', owner.row.family_id)).filter((lead) => lead.relativeId === owner.id).map((lead) => ({
    lead: lead.lead, receivedOn: lead.receivedOn, recordedBy: lead.organizationId,
  })), disclosureOf(owner.row)),
  ...personLists(),
};

// --- Documents, matters, deadlines, referrals ---------------------------------------------------

const documentSteps = async (owner: ViewOwner, context: GraphQLContext) =>
  (await factsOf(context, 'DocumentStep', owner.row.family_id)).filter((step) => step.documentId === owner.id);
const requested = async (owner: ViewOwner, context: GraphQLContext) => (await documentSteps(owner, context)).find((step) => step.step === 'REQUESTED');
const documentFact = (field: string, pick: (step: CasefileViews['DocumentStep']) => unknown): Nested => async (owner, context) => {
  const step = await requested(owner, context);
  return step ? (disclose('Document', { [field]: pick(step) }, disclosureOf(owner.row))[field] ?? null) : null;
};

const documentFields: Readonly<Record<string, Nested>> = {
  issuingCountry: documentFact('issuingCountry', (step) => step.issuingCountry),
  subjectPersonId: documentFact('subjectPersonId', (step) => step.subjectPersonId),
  assignedOrganization: async (owner, context) => organization(await documentFact('assignedOrganization', (step) => step.assignedOrganizationId)(owner, context), context),
  steps: async (owner, context) => discloseAll('DocumentStep', (await documentSteps(owner, context)).map((step) => ({
    step: step.step, on: step.on, recordedBy: step.organizationId, method: step.method, language: step.language, personId: step.personId,
  })), disclosureOf(owner.row)),
};

const matterSteps = async (owner: ViewOwner, context: GraphQLContext) =>
  (await factsOf(context, 'MatterStep', owner.row.family_id)).filter((step) => step.matterId === owner.id);

const matterFields: Readonly<Record<string, Nested>> = {
  openedOn: async (owner, context) => {
    const opened = (await matterSteps(owner, context)).find((step) => step.step === 'OPENED');
    return opened ? (disclose('LegalMatter', { openedOn: opened.on }, disclosureOf(owner.row))['openedOn'] ?? null) : null;
  },
  steps: async (owner, context) => discloseAll('MatterStep', (await matterSteps(owner, context)).map((step) => ({
    step: step.step, on: step.on, recordedBy: step.organizationId, receiptNumber: step.receiptNumber, orderType: step.orderType, decision: step.decision, childId: step.childId,
  })), disclosureOf(owner.row)),
};

/** A deadline's basis in words, from the rule it was computed by and the child's dates it read. */
export const basisInWords = (facts: CasefileViews['DeadlineFacts'], child: CasefileViews['PersonFacts'] | undefined): string | null => {
  if (facts.derivedFrom === null) return null;
  const [fact, rule] = facts.derivedFrom.split(';');
  const words = fact === 'birthDate' && rule !== undefined
    ? `age-out: born ${child?.birthDate ?? 'on an unknown date'}, ${rule}`
    : fact === 'arrivalDate' && rule !== undefined
      ? `${rule} from arrival on ${child?.arrivalDate ?? 'an unknown date'}`
      : facts.derivedFrom;
  return facts.recomputedBecause === null ? words : `${words} (recomputed: ${facts.recomputedBecause})`;
};

const deadlineFacts = async (owner: ViewOwner, context: GraphQLContext) =>
  (await factsOf(context, 'DeadlineFacts', owner.row.family_id)).find((facts) => facts.deadlineId === owner.id);
const deadlineFact = (field: string, pick: (facts: CasefileViews['DeadlineFacts']) => unknown): Nested => async (owner, context) => {
  const facts = await deadlineFacts(owner, context);
  return facts ? (disclose('Deadline', { [field]: pick(facts) }, disclosureOf(owner.row))[field] ?? null) : null;
};

const deadlineFields: Readonly<Record<string, Nested>> = {
  basis: async (owner, context) => {
    const facts = await deadlineFacts(owner, context);
    if (!facts || facts.derivedFrom === null) return null;
    // Shown only where derivedFrom is (FULL): the birth and arrival dates it adds are shown there too.
    if (disclose('Deadline', { basis: facts.derivedFrom }, disclosureOf(owner.row))['basis'] === undefined) return null;
    const child = facts.childId === null ? undefined : (await factsOf(context, 'PersonFacts', owner.row.family_id)).find((person) => person.personId === facts.childId);
    return basisInWords(facts, child);
  },
  setOn: deadlineFact('setOn', (facts) => facts.setOn),
  childId: deadlineFact('childId', (facts) => facts.childId),
  matterId: deadlineFact('matterId', (facts) => facts.matterId),
};

const referralOf = async (owner: ViewOwner, context: GraphQLContext) =>
  (await handoffs(owner.row, context, 'REFERRAL')).find((referral) => referral.handoffId === owner.id);
const referralFact = (field: string, pick: (handoff: CasefileViews['Handoff']) => unknown): Nested => async (owner, context) => {
  const referral = await referralOf(owner, context);
  return referral ? (disclose('Referral', { [field]: pick(referral) }, disclosureOf(owner.row))[field] ?? null) : null;
};

const referralFields: Readonly<Record<string, Nested>> = {
  purpose: referralFact('purpose', (referral) => referral.purpose),
  acknowledgeBy: referralFact('acknowledgeBy', (referral) => referral.acknowledgeBy),
  referredOn: referralFact('referredOn', (referral) => referral.since),
  endedOn: referralFact('endedOn', (referral) => (referral.status === 'DECLINED' || referral.status === 'REVOKED' ? referral.endedOn : null)),
  fromOrganization: async (owner, context) => organization(await referralFact('fromOrganization', (referral) => referral.fromOrganizationId)(owner, context), context),
};

/** The resolvers to merge into the schema's, by type. */
export const casefileFactResolvers = {
  Child: nestedResolvers('Child', childFields),
  Relative: nestedResolvers('Relative', relativeFields),
  Document: nestedResolvers('Document', documentFields),
  LegalMatter: nestedResolvers('LegalMatter', matterFields),
  Deadline: nestedResolvers('Deadline', deadlineFields),
  Referral: nestedResolvers('Referral', referralFields),
  Consent: organizationFields('recipientOrganizations'),
  ContactAttempt: organizationFields('recordedBy'),
  TracingLead: organizationFields('recordedBy'),
  SafetyOverride: organizationFields('decidedBy'),
  DocumentStep: organizationFields('recordedBy'),
  MatterStep: organizationFields('recordedBy'),
  AccessGrant: organizationFields('organization'),
  KeptAccess: organizationFields('organization'),
  Transfer: organizationFields('toOrganization', 'fromOrganization'),
  CaseNote: organizationFields('recordedBy'),
};

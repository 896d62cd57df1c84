import type { RequestQueries } from '../statement-cache.js';
import type { CasefileViews } from './casefile-view.js';
import { decodeDayOrPersonal, decodeFirstPersonalCopy, decodePersonal } from './personal-column.js';

/**
 * Reads the case file's facts for a batch of families: ONE statement per kind of view, whatever
 * the number of families (the resolvers batch by family id with a DataLoader per kind). Rows are
 * mapped to the view types of casefile-view.ts; personal values come back only through
 * personal-column.ts. Nothing here redacts: the resolvers put every view through the allowlist.
 */
type Row = Readonly<Record<string, unknown>>;
type Kind = keyof CasefileViews;

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const flag = (value: unknown): boolean | null => (value === 1 ? true : value === 0 ? false : null);
const list = (value: unknown): string[] => (typeof value === 'string' ? (JSON.parse(value) as string[]) : []);

interface Source<K extends Kind> {
  readonly sql: string;
  readonly view: (row: Row) => CasefileViews[K];
}

const SOURCES: { readonly [K in Kind]: Source<K> } = {
  PersonFacts: {
    sql: `SELECT p.*, r.defender_organization_id, r.tracing_started_on, r.believed_country FROM casefile_people p
      LEFT JOIN casefile_relatives r ON r.family_id = p.family_id AND r.relative_id = p.person_id`,
    view: (row) => ({
      personId: String(row['person_id']), kind: row['kind'] === 'CHILD' ? 'CHILD' : 'RELATIVE',
      familyName: decodePersonal('casefile_people.family_name', text(row['family_name'])),
      birthDate: decodePersonal('casefile_people.birth_date', text(row['birth_date'])), arrivalDate: text(row['arrival_date']),
      phone: decodePersonal('casefile_people.phone', text(row['phone'])), biological: flag(row['biological']), vitalStatus: text(row['vital_status']),
      safeContactInstructions: decodePersonal('casefile_people.safe_contact', text(row['safe_contact'])), contactEstablishedOn: text(row['contact_established_on']),
      locatedOn: text(row['located_on']), locatedMethod: text(row['located_method']), locatedCountry: text(row['located_country']),
      locatedPlace: decodePersonal('casefile_people.located_place', text(row['located_place'])),
      safetyOutcome: text(row['safety_outcome']), safetyAssessedOn: text(row['safety_assessed_on']),
      identityVerifiedMethod: text(row['identity_verified_method']), identityVerifiedOn: text(row['identity_verified_on']),
      relationshipVerifiedMethod: text(row['relationship_verified_method']), relationshipVerifiedBiological: flag(row['relationship_verified_biological']),
      relationshipVerifiedOn: text(row['relationship_verified_on']),
      tracingOrganizationId: text(row['defender_organization_id']), tracingStartedOn: text(row['tracing_started_on']), believedCountry: text(row['believed_country']),
    }),
  },
  Identifier: {
    sql: 'SELECT * FROM casefile_identifiers',
    view: (row) => ({ personId: String(row['person_id']), kind: String(row['kind']), value: decodePersonal('casefile_identifiers.value', text(row['value'])), recordedOn: String(row['recorded_on']) }),
  },
  Relationship: {
    sql: 'SELECT * FROM casefile_relationships',
    view: (row) => ({ relativeId: String(row['relative_id']), childId: String(row['child_id']), relationship: String(row['relationship']), biological: flag(row['biological']), recordedOn: String(row['recorded_on']) }),
  },
  Consent: {
    sql: 'SELECT * FROM casefile_consents',
    view: (row) => ({
      consentId: String(row['consent_id']), personId: String(row['person_id']), purposes: list(row['purposes']), recipientOrganizationIds: list(row['recipients']),
      expiresOn: text(row['expires_on']), givenOn: String(row['given_on']), withdrawnOn: text(row['withdrawn_on']),
    }),
  },
  DuplicateDecision: {
    sql: 'SELECT * FROM casefile_duplicate_decisions',
    view: (row) => ({
      personId: String(row['person_id']), otherFamilyId: String(row['other_family_id']), otherPersonId: String(row['other_person_id']), samePerson: row['same_person'] === 1,
      reason: decodePersonal('casefile_duplicate_decisions.reason', text(row['reason'])), decidedOn: text(row['decided_on']),
    }),
  },
  Separation: {
    sql: 'SELECT * FROM casefile_separations',
    view: (row) => ({
      separatedOn: String(row['separated_on']), cause: String(row['cause']), childIds: list(row['child_ids']),
      place: decodeFirstPersonalCopy('casefile_separations.place', text(row['place'])), recordedOn: String(row['recorded_on']),
    }),
  },
  ProtectionConcern: {
    sql: 'SELECT * FROM casefile_concerns',
    view: (row) => ({
      concernId: String(row['concern_id']), kind: String(row['kind']), subjectPersonId: text(row['subject_person_id']), neverDiscloseTo: list(row['never_disclose_to']),
      narrative: decodePersonal('casefile_concerns.narrative', text(row['narrative'])), recordedOn: String(row['recorded_on']),
    }),
  },
  RedFlag: {
    sql: 'SELECT * FROM casefile_red_flags',
    view: (row) => ({
      flagId: String(row['flag_id']), category: String(row['category']), subjectPersonId: text(row['subject_person_id']),
      narrative: decodePersonal('casefile_red_flags.narrative', text(row['narrative'])), raisedOn: String(row['raised_on']), clearedOn: text(row['cleared_on']),
    }),
  },
  SafetyOverride: {
    sql: 'SELECT * FROM casefile_overrides',
    view: (row) => ({
      overrideId: String(row['override_id']), childId: String(row['child_id']), personId: text(row['person_id']), gate: String(row['gate']),
      decidedByOrganizationId: String(row['decided_by_organization_id']), decidedByUserId: String(row['decided_by_user_id']), decidedByRole: String(row['decided_by_role']),
      reason: decodePersonal('casefile_overrides.reason', text(row['reason'])), recordedOn: String(row['recorded_on']),
    }),
  },
  ContactAttempt: {
    sql: 'SELECT * FROM casefile_contact_attempts',
    view: (row) => ({
      relativeId: String(row['relative_id']), channel: String(row['channel']), result: String(row['result']), attemptedOn: String(row['attempted_on']),
      organizationId: String(row['organization_id']), userId: String(row['user_id']),
    }),
  },
  TracingLead: {
    sql: 'SELECT * FROM casefile_leads',
    view: (row) => ({ relativeId: String(row['relative_id']), lead: decodePersonal('casefile_leads.lead', text(row['lead'])), receivedOn: String(row['received_on']), organizationId: String(row['organization_id']) }),
  },
  DocumentStep: {
    sql: 'SELECT * FROM casefile_document_steps',
    view: (row) => ({
      documentId: String(row['document_id']), step: String(row['step']), on: String(row['on_date']), organizationId: String(row['organization_id']),
      method: text(row['method']), language: text(row['language']), personId: text(row['person_id']), issuingCountry: text(row['issuing_country']),
      assignedOrganizationId: text(row['assigned_organization_id']), subjectPersonId: text(row['subject_person_id']),
    }),
  },
  MatterStep: {
    sql: 'SELECT * FROM casefile_matter_steps',
    view: (row) => ({
      matterId: String(row['matter_id']), step: String(row['step']), on: String(row['on_date']), organizationId: String(row['organization_id']),
      receiptNumber: decodePersonal('casefile_matter_steps.receipt_number', text(row['receipt_number'])), orderType: text(row['order_type']),
      decision: text(row['decision']), childId: text(row['child_id']),
    }),
  },
  DeadlineFacts: {
    sql: 'SELECT * FROM casefile_deadlines',
    view: (row) => ({
      deadlineId: String(row['deadline_id']), derivedFrom: text(row['derived_from']), recomputedBecause: text(row['recomputed_because']), setOn: String(row['set_on']),
      previousDueOn: decodeDayOrPersonal('casefile_deadlines.previous_due_on', text(row['previous_due_on'])), childId: text(row['child_id']), matterId: text(row['matter_id']),
    }),
  },
  Handoff: {
    sql: 'SELECT * FROM casefile_handoffs',
    view: (row) => ({
      kind: row['kind'] as CasefileViews['Handoff']['kind'], handoffId: String(row['handoff_id']), organizationId: String(row['organization_id']),
      fromOrganizationId: text(row['from_organization_id']), scope: text(row['scope']), purpose: text(row['purpose']), expiresAt: text(row['expires_at']),
      acknowledgeBy: text(row['acknowledge_by']), status: String(row['status']), since: String(row['since']), endedOn: text(row['ended_on']),
    }),
  },
  CaseNote: {
    sql: 'SELECT * FROM casefile_notes',
    view: (row) => ({
      kind: String(row['kind']), on: String(row['on_date']), organizationId: String(row['organization_id']), childId: text(row['child_id']),
      relativeId: text(row['relative_id']), code: text(row['code']),
      text: text(row['text']) ?? decodePersonal('casefile_notes.personal_text', text(row['personal_text'])),
    }),
  },
};

/** Ledgers in the order recorded (revision); the others in the order of their keys' first appearance is not kept, so by key. */
const ORDER: Readonly<Partial<Record<Kind, string>>> = {
  Identifier: 'revision', Separation: 'revision', ContactAttempt: 'revision', TracingLead: 'revision', DocumentStep: 'revision', MatterStep: 'revision', CaseNote: 'revision',
  Consent: 'given_on, consent_id', ProtectionConcern: 'recorded_on, concern_id', RedFlag: 'raised_on, flag_id', SafetyOverride: 'recorded_on, override_id',
  DeadlineFacts: 'set_on, deadline_id', Handoff: 'since, kind, handoff_id', Relationship: 'recorded_on, relative_id, child_id',
  DuplicateDecision: 'person_id, other_family_id, other_person_id', PersonFacts: 'person_id',
};

/** The views of one kind for these families, by family id (one statement). */
export const readCasefileFacts = <K extends Kind>(queries: RequestQueries, kind: K, familyIds: readonly string[]): Map<string, Array<CasefileViews[K]>> => {
  const source = SOURCES[kind];
  const familyColumn = kind === 'PersonFacts' ? 'p.family_id' : 'family_id';
  const order = ORDER[kind] ?? 'family_id';
  const rows = queries.all<Row>(
    `SELECT * FROM (${source.sql} WHERE ${familyColumn} IN (SELECT value FROM json_each(@ids))) ORDER BY family_id, ${order}`,
    { ids: JSON.stringify(familyIds) },
  );
  const byFamily = new Map<string, Array<CasefileViews[K]>>(familyIds.map((id) => [id, []]));
  for (const row of rows) byFamily.get(String(row['family_id']))?.push(source.view(row));
  return byFamily;
};

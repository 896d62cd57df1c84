import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../services/event-store/port.js';
import { dateOf } from '../../services/shared/calendar-date.js';
import { familyDataKeyId } from '../../services/privacy/data-key-id.js';
import { readModelSealerOf } from '../read-model-sealing.js';
import { encodePersonal, encodePersonalCopies, type PersonalPlace } from './personal-column.js';

/**
 * The facts of the case file (issue 15 items 1 and 2), one table per kind of view
 * (casefile-view.ts), mapped from events: people's facts (one row per person, the latest of
 * each fact), and ledgers (one row per event: identifiers, contact attempts, leads, document and
 * matter steps, separations, notes). Personal values (what the events keep under `personal`)
 * go in only through personal-column.ts. `on` columns are the event's occurredAt date unless
 * the event carries its own date; `organization_id` is the recording actor's organisation.
 */
export const CASEFILE_FACT_TABLES: Readonly<Record<string, string>> = {
  casefile_people: `family_id TEXT NOT NULL, person_id TEXT NOT NULL, kind TEXT NOT NULL, family_name TEXT, birth_date TEXT, arrival_date TEXT, phone TEXT,
    biological INTEGER, vital_status TEXT, safe_contact TEXT, contact_established_on TEXT, located_on TEXT, located_method TEXT, located_country TEXT,
    located_place TEXT, safety_outcome TEXT, safety_assessed_on TEXT, identity_verified_method TEXT, identity_verified_on TEXT,
    relationship_verified_method TEXT, relationship_verified_biological INTEGER, relationship_verified_on TEXT, PRIMARY KEY (family_id, person_id)`,
  casefile_identifiers: 'family_id TEXT NOT NULL, revision INTEGER NOT NULL, person_id TEXT NOT NULL, kind TEXT NOT NULL, value TEXT, recorded_on TEXT NOT NULL, PRIMARY KEY (family_id, revision)',
  casefile_relationships: `family_id TEXT NOT NULL, relative_id TEXT NOT NULL, child_id TEXT NOT NULL, relationship TEXT NOT NULL, biological INTEGER,
    recorded_on TEXT NOT NULL, PRIMARY KEY (family_id, relative_id, child_id)`,
  casefile_consents: `family_id TEXT NOT NULL, consent_id TEXT NOT NULL, person_id TEXT NOT NULL, purposes TEXT NOT NULL, recipients TEXT NOT NULL,
    expires_on TEXT, given_on TEXT NOT NULL, withdrawn_on TEXT, PRIMARY KEY (family_id, consent_id)`,
  casefile_separations: `family_id TEXT NOT NULL, revision INTEGER NOT NULL, separated_on TEXT NOT NULL, cause TEXT NOT NULL, child_ids TEXT NOT NULL,
    place TEXT, recorded_on TEXT NOT NULL, PRIMARY KEY (family_id, revision)`,
  casefile_concerns: `family_id TEXT NOT NULL, concern_id TEXT NOT NULL, kind TEXT NOT NULL, subject_person_id TEXT, never_disclose_to TEXT NOT NULL,
    narrative TEXT, recorded_on TEXT NOT NULL, PRIMARY KEY (family_id, concern_id)`,
  casefile_red_flags: `family_id TEXT NOT NULL, flag_id TEXT NOT NULL, category TEXT NOT NULL, subject_person_id TEXT, narrative TEXT,
    raised_on TEXT NOT NULL, cleared_on TEXT, PRIMARY KEY (family_id, flag_id)`,
  casefile_overrides: `family_id TEXT NOT NULL, override_id TEXT NOT NULL, child_id TEXT NOT NULL, person_id TEXT, gate TEXT NOT NULL,
    decided_by_organization_id TEXT NOT NULL, decided_by_user_id TEXT NOT NULL, decided_by_role TEXT NOT NULL, reason TEXT, recorded_on TEXT NOT NULL,
    PRIMARY KEY (family_id, override_id)`,
  casefile_contact_attempts: `family_id TEXT NOT NULL, revision INTEGER NOT NULL, relative_id TEXT NOT NULL, channel TEXT NOT NULL, result TEXT NOT NULL,
    attempted_on TEXT NOT NULL, organization_id TEXT NOT NULL, user_id TEXT NOT NULL, PRIMARY KEY (family_id, revision)`,
  casefile_leads: `family_id TEXT NOT NULL, revision INTEGER NOT NULL, relative_id TEXT NOT NULL, lead TEXT, received_on TEXT NOT NULL,
    organization_id TEXT NOT NULL, PRIMARY KEY (family_id, revision)`,
  casefile_document_steps: `family_id TEXT NOT NULL, revision INTEGER NOT NULL, document_id TEXT NOT NULL, step TEXT NOT NULL, on_date TEXT NOT NULL,
    organization_id TEXT NOT NULL, method TEXT, language TEXT, person_id TEXT, issuing_country TEXT, assigned_organization_id TEXT, subject_person_id TEXT,
    PRIMARY KEY (family_id, revision)`,
  casefile_matter_steps: `family_id TEXT NOT NULL, revision INTEGER NOT NULL, matter_id TEXT NOT NULL, step TEXT NOT NULL, on_date TEXT NOT NULL,
    organization_id TEXT NOT NULL, receipt_number TEXT, order_type TEXT, decision TEXT, child_id TEXT, PRIMARY KEY (family_id, revision)`,
  casefile_deadlines: `family_id TEXT NOT NULL, deadline_id TEXT NOT NULL, derived_from TEXT, recomputed_because TEXT, set_on TEXT NOT NULL,
    previous_due_on TEXT, child_id TEXT, matter_id TEXT, PRIMARY KEY (family_id, deadline_id)`,
  casefile_handoffs: `family_id TEXT NOT NULL, kind TEXT NOT NULL, handoff_id TEXT NOT NULL, organization_id TEXT NOT NULL, from_organization_id TEXT,
    scope TEXT, purpose TEXT, expires_at TEXT, acknowledge_by TEXT, status TEXT NOT NULL, since TEXT NOT NULL, ended_on TEXT,
    PRIMARY KEY (family_id, kind, handoff_id)`,
  casefile_notes: `family_id TEXT NOT NULL, revision INTEGER NOT NULL, kind TEXT NOT NULL, on_date TEXT NOT NULL, organization_id TEXT NOT NULL,
    child_id TEXT, relative_id TEXT, code TEXT, text TEXT, personal_text TEXT, PRIMARY KEY (family_id, revision)`,
};

type Data = Readonly<Record<string, unknown>> & { readonly personal?: Readonly<Record<string, unknown>> };

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const bool = (value: unknown): number | null => (value === true ? 1 : value === false ? 0 : null);
const json = (value: unknown): string => JSON.stringify(Array.isArray(value) ? value.filter((item) => typeof item === 'string') : []);

/** The steps of a document's pipeline, by event type. */
const DOCUMENT_STEPS: Readonly<Record<string, string>> = {
  DocumentRequested: 'REQUESTED', DocumentObtained: 'OBTAINED', DocumentApostilled: 'LEGALISED', DocumentTranslated: 'TRANSLATED',
  DocumentServed: 'SERVED', DocumentSigned: 'SIGNED', DocumentFiled: 'FILED', DocumentExpired: 'EXPIRED',
};

/** The steps of a legal matter, by event type, and the field holding the step's own date. */
const MATTER_STEPS: Readonly<Record<string, readonly [string, string | undefined]>> = {
  LegalMatterOpened: ['OPENED', 'openedOn'], PetitionFiled: ['PETITION_FILED', 'filedOn'], HearingScheduled: ['HEARING_SCHEDULED', 'hearingOn'],
  CourtOrderIssued: ['ORDER_ISSUED', 'issuedOn'], CustodyRecovered: ['CUSTODY_RECOVERED', 'recoveredOn'], ApplicationDecided: ['DECIDED', 'decidedOn'],
};

/**
 * A separation's places (one copy per child, each sealed under that child's key) as one column:
 * a JSON array of the sealed values, read back as the first copy that still opens
 * (casefile-facts-read.ts), so erasing one child leaves the siblings' copies.
 */
const sealedPlaces = (sealer: ReturnType<typeof readModelSealerOf>, familyId: string, places: unknown): string | null =>
  encodePersonalCopies(sealer, 'casefile_separations.place', (Array.isArray(places) ? places : []).flatMap((item: unknown) => {
    const personal = (item as { personal?: { subjectId?: unknown; place?: unknown } } | null)?.personal;
    const value = str(personal?.place);
    return typeof personal?.subjectId === 'string' && value !== null ? [{ keyId: familyDataKeyId(familyId, personal.subjectId), value }] : [];
  }));

/** Prepares the statements over the physical tables; returns the apply for one upcast family event. */
export const bindCasefileFacts = (db: Database.Database, table: (base: string) => string) => {
  const sealer = readModelSealerOf(db);
  const statements = new Map<string, Database.Statement>();
  /**
   * One statement per table and set of columns (names from this module only, never from data),
   * prepared once and run with positional values: no SQL text or parameter object is built per event.
   */
  const statementFor = (key: string, sql: () => string): Database.Statement => {
    let statement = statements.get(key);
    if (!statement) statements.set(key, (statement = db.prepare(sql())));
    return statement;
  };
  const people = table('casefile_people');
  const handoffs = table('casefile_handoffs');
  const upsertPerson = db.prepare(`INSERT INTO ${people} (family_id, person_id, kind) VALUES (?, ?, ?) ON CONFLICT (family_id, person_id) DO UPDATE SET kind = excluded.kind`);
  /** Sets person columns. */
  const setPerson = (familyId: string, personId: string, columns: Readonly<Record<string, unknown>>): void => {
    const names = Object.keys(columns);
    statementFor(`p ${names.join(',')}`, () => `UPDATE ${people} SET ${names.map((name) => `${name} = ?`).join(', ')} WHERE family_id = ? AND person_id = ?`)
      .run(...Object.values(columns), familyId, personId);
  };
  const insert = (base: string, row: Readonly<Record<string, unknown>>): void => {
    const names = Object.keys(row);
    statementFor(`i ${base} ${names.join(',')}`, () => `INSERT OR REPLACE INTO ${table(base)} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`).run(...Object.values(row));
  };
  const update = (base: string, set: Readonly<Record<string, unknown>>, where: Readonly<Record<string, unknown>>): void => {
    const setNames = Object.keys(set);
    const whereNames = Object.keys(where);
    statementFor(`u ${base} ${setNames.join(',')} ${whereNames.join(',')}`, () =>
      `UPDATE ${table(base)} SET ${setNames.map((name) => `${name} = ?`).join(', ')} WHERE ${whereNames.map((name) => `${name} = ?`).join(' AND ')}`)
      .run(...Object.values(set), ...Object.values(where));
  };
  // An erased person's consents end with their data and keep no purposes (services/family/handoff-state.ts).
  const endConsentsOf = db.prepare(`UPDATE ${table('casefile_consents')} SET purposes = '[]', withdrawn_on = COALESCE(withdrawn_on, @on) WHERE family_id = @familyId AND person_id = @personId`);
  const endTransfer = db.prepare(`UPDATE ${handoffs} SET status = @status, ended_on = @on WHERE family_id = @familyId AND kind = 'TRANSFER' AND organization_id = @organizationId AND status = 'PROPOSED'`);

  /**
   * The event being applied, for the helpers below: made once per bind, not per event (a rebuild
   * applies every event, and closures made per event cost more than the statements they run).
   */
  const current = { familyId: '', revision: 0, personal: undefined as Data['personal'], subject: '', on: '', organizationId: '' };
  /** A personal value of this event, sealed for its column through the one seam. */
  const sealed = (place: PersonalPlace, field: string): string | null => {
    const value = str(current.personal?.[field]);
    return value === null ? null : encodePersonal(sealer, place, familyDataKeyId(current.familyId, current.subject), value);
  };
  /** A recomputed deadline's previous day: sealed when it is an age-out's (under `personal` from version 5: it tells the birth date). */
  const previousDueOn = (data: Data): string | null => (current.personal === undefined ? str(data['previousDueOn']) : sealed('casefile_deadlines.previous_due_on', 'previousDueOn'));
  const note = (kind: string, row: Readonly<Record<string, unknown>>): void =>
    insert('casefile_notes', { family_id: current.familyId, revision: current.revision, kind, on_date: current.on, organization_id: current.organizationId, ...row });

  return (familyId: string, event: RecordedEvent): void => {
    const data = event.data as Data;
    const personal = data.personal;
    const metadata = event.metadata as { occurredAt?: unknown; actor?: { organizationId?: unknown; userId?: unknown } };
    const on = typeof metadata.occurredAt === 'string' ? dateOf(metadata.occurredAt) : dateOf(event.recordedAt.toISOString());
    const organizationId = str(metadata.actor?.organizationId) ?? '';
    const userId = str(metadata.actor?.userId) ?? '';
    Object.assign(current, { familyId, revision: event.revision, personal, subject: str(personal?.['subjectId']) ?? '', on, organizationId });
    const base = { family_id: familyId, revision: event.revision };

    switch (event.type) {
      case 'ChildRegistered':
        upsertPerson.run(familyId, String(data['childId']), 'CHILD');
        setPerson(familyId, String(data['childId']), {
          family_name: sealed('casefile_people.family_name', 'familyName'), birth_date: sealed('casefile_people.birth_date', 'birthDate'), arrival_date: str(data['arrivalDate']),
        });
        break;
      case 'ChildBirthDateCorrected':
        setPerson(familyId, String(data['childId']), { birth_date: sealed('casefile_people.birth_date', 'birthDate') });
        break;
      case 'ChildArrivalDateCorrected':
        setPerson(familyId, String(data['childId']), { arrival_date: str(data['arrivalDate']) });
        break;
      case 'RelativeAdded':
        upsertPerson.run(familyId, String(data['relativeId']), 'RELATIVE');
        setPerson(familyId, String(data['relativeId']), {
          family_name: sealed('casefile_people.family_name', 'familyName'), phone: sealed('casefile_people.phone', 'phone'),
          biological: bool(data['biological']), vital_status: str(data['vitalStatus']),
        });
        break;
      case 'RelationshipRecorded':
        insert('casefile_relationships', {
          family_id: familyId, relative_id: data['relativeId'], child_id: data['childId'], relationship: data['relationship'], biological: bool(data['biological']), recorded_on: on,
        });
        break;
      case 'IdentifierRecorded':
        insert('casefile_identifiers', { ...base, person_id: data['personId'], kind: data['kind'], value: sealed('casefile_identifiers.value', 'value'), recorded_on: on });
        break;
      case 'PossibleDuplicateDecided':
        update('casefile_duplicate_decisions', { reason: sealed('casefile_duplicate_decisions.reason', 'reason'), decided_on: on }, {
          family_id: familyId, person_id: data['personId'], other_family_id: data['otherFamilyId'], other_person_id: data['otherPersonId'],
        });
        break;
      case 'ConsentGiven':
        insert('casefile_consents', {
          family_id: familyId, consent_id: data['consentId'], person_id: data['personId'], purposes: json(data['purposes']), recipients: json(data['recipientOrganizationIds']),
          expires_on: str(data['expiresOn']), given_on: on, withdrawn_on: null,
        });
        break;
      case 'ConsentWithdrawn':
        update('casefile_consents', { withdrawn_on: on }, { family_id: familyId, consent_id: data['consentId'] });
        break;
      case 'SubjectErased':
        endConsentsOf.run({ familyId, personId: data['subjectId'], on });
        break;
      case 'ProtectionConcernRecorded':
        insert('casefile_concerns', {
          family_id: familyId, concern_id: data['concernId'], kind: data['kind'], subject_person_id: str(personal?.['subjectId']), never_disclose_to: json(data['neverDiscloseTo']),
          narrative: sealed('casefile_concerns.narrative', 'narrative'), recorded_on: on,
        });
        break;
      case 'SeparationRecorded':
        insert('casefile_separations', {
          ...base, separated_on: data['separatedOn'], cause: data['cause'], child_ids: json(data['childIds']), place: sealedPlaces(sealer, familyId, data['places']), recorded_on: on,
        });
        break;
      case 'ContactAttemptMade':
        insert('casefile_contact_attempts', { ...base, relative_id: data['relativeId'], channel: data['channel'], result: data['result'], attempted_on: on, organization_id: organizationId, user_id: userId });
        break;
      case 'LeadReceived':
        insert('casefile_leads', { ...base, relative_id: data['relativeId'], lead: sealed('casefile_leads.lead', 'lead'), received_on: on, organization_id: organizationId });
        break;
      case 'RelativeLocated':
        setPerson(familyId, String(data['relativeId']), {
          located_on: str(data['locatedOn']) ?? on, located_method: str(data['method']), located_country: str(data['country']), located_place: sealed('casefile_people.located_place', 'place'),
        });
        break;
      case 'ContactEstablished':
        setPerson(familyId, String(data['relativeId']), { contact_established_on: on, safe_contact: sealed('casefile_people.safe_contact', 'safeContactInstructions') });
        break;
      case 'IdentityVerified':
        setPerson(familyId, String(data['personId']), { identity_verified_method: str(data['method']), identity_verified_on: on });
        break;
      case 'RelationshipVerified':
        setPerson(familyId, String(data['relativeId']), { relationship_verified_method: str(data['method']), relationship_verified_biological: bool(data['biological']), relationship_verified_on: on });
        break;
      case 'SafetyAssessmentCompleted':
        setPerson(familyId, String(data['relativeId']), { safety_outcome: str(data['outcome']), safety_assessed_on: on });
        break;
      case 'RedFlagRaised':
        insert('casefile_red_flags', {
          family_id: familyId, flag_id: data['flagId'], category: data['category'], subject_person_id: str(data['subjectPersonId']),
          narrative: sealed('casefile_red_flags.narrative', 'narrative'), raised_on: on, cleared_on: null,
        });
        break;
      case 'RedFlagCleared':
        update('casefile_red_flags', { cleared_on: on }, { family_id: familyId, flag_id: data['flagId'] });
        break;
      case 'SafetyOverrideRecorded': {
        const decidedBy = (data['decidedBy'] ?? {}) as Readonly<Record<string, unknown>>;
        insert('casefile_overrides', {
          family_id: familyId, override_id: data['overrideId'], child_id: data['childId'], person_id: str(data['personId']), gate: data['gate'],
          decided_by_organization_id: str(decidedBy['organizationId']) ?? '', decided_by_user_id: str(decidedBy['userId']) ?? '', decided_by_role: str(decidedBy['role']) ?? '',
          reason: sealed('casefile_overrides.reason', 'reason'), recorded_on: on,
        });
        break;
      }
      case 'DeadlineSet':
        insert('casefile_deadlines', {
          family_id: familyId, deadline_id: data['deadlineId'], derived_from: str(data['derivedFrom']), recomputed_because: null, set_on: on, previous_due_on: null,
          child_id: str(data['childId']), matter_id: str(data['matterId']),
        });
        break;
      case 'DeadlineRecomputed': {
        // A basis has the form `fact;rule`; anything else is the reason for recomputing on the same basis (deadlines.ts).
        const derivedFrom = str(data['derivedFrom']);
        const isBasis = derivedFrom !== null && derivedFrom.includes(';');
        update('casefile_deadlines', { ...(isBasis ? { derived_from: derivedFrom } : {}), recomputed_because: isBasis ? null : derivedFrom, previous_due_on: previousDueOn(data) }, {
          family_id: familyId, deadline_id: data['deadlineId'],
        });
        break;
      }
      case 'FamilyReferred':
        insert('casefile_handoffs', {
          family_id: familyId, kind: 'REFERRAL', handoff_id: data['referralId'], organization_id: data['toOrganizationId'], from_organization_id: str(data['fromOrganizationId']),
          scope: data['scope'], purpose: str(data['purpose']), expires_at: str(data['expiresAt']), acknowledge_by: str(data['acknowledgeBy']), status: 'PENDING', since: on, ended_on: null,
        });
        break;
      case 'ReferralAccepted':
        update('casefile_handoffs', { status: 'ACCEPTED' }, { family_id: familyId, kind: 'REFERRAL', handoff_id: data['referralId'] });
        break;
      case 'ReferralDeclined':
      case 'ReferralRevoked':
        update('casefile_handoffs', { status: event.type === 'ReferralDeclined' ? 'DECLINED' : 'REVOKED', ended_on: on }, { family_id: familyId, kind: 'REFERRAL', handoff_id: data['referralId'] });
        break;
      case 'AccessGranted':
        insert('casefile_handoffs', {
          family_id: familyId, kind: 'GRANT', handoff_id: data['grantId'], organization_id: data['organizationId'], from_organization_id: organizationId || null,
          scope: data['scope'], purpose: str(data['purpose']), expires_at: str(data['expiresAt']), acknowledge_by: null, status: 'ACTIVE', since: on, ended_on: null,
        });
        break;
      case 'AccessRevoked':
        update('casefile_handoffs', { status: 'REVOKED', ended_on: on }, { family_id: familyId, kind: 'GRANT', handoff_id: data['grantId'] });
        break;
      case 'FamilyTransferProposed':
        insert('casefile_handoffs', {
          family_id: familyId, kind: 'TRANSFER', handoff_id: String(event.revision), organization_id: data['toOrganizationId'], from_organization_id: str(data['fromOrganizationId']),
          scope: null, purpose: null, expires_at: str(data['previousLeadReadAccessUntil']), acknowledge_by: null, status: 'PROPOSED', since: on, ended_on: null,
        });
        break;
      case 'FamilyTransferDeclined':
      case 'FamilyTransferCancelled':
        endTransfer.run({ familyId, organizationId: data['toOrganizationId'], status: event.type === 'FamilyTransferDeclined' ? 'DECLINED' : 'CANCELLED', on });
        break;
      case 'FamilyTransferred':
        endTransfer.run({ familyId, organizationId: data['toOrganizationId'], status: 'ACCEPTED', on });
        if (data['previousLeadKeepsReadAccess'] === true) {
          insert('casefile_handoffs', {
            family_id: familyId, kind: 'KEPT_ACCESS', handoff_id: data['fromOrganizationId'], organization_id: data['fromOrganizationId'], from_organization_id: null,
            scope: 'FULL', purpose: null, expires_at: str(data['previousLeadReadAccessUntil']), acknowledge_by: null, status: 'KEPT', since: on, ended_on: null,
          });
        }
        break;
      case 'FormerLeadAccessRevoked':
        update('casefile_handoffs', { status: 'REVOKED', ended_on: on }, { family_id: familyId, kind: 'KEPT_ACCESS', handoff_id: data['organizationId'] });
        break;
      case 'ReunificationFailed':
        note('REUNIFICATION_FAILED', { child_id: data['childId'], relative_id: data['relativeId'], personal_text: sealed('casefile_notes.personal_text', 'reason') });
        break;
      case 'ReunificationCompleted':
        note('REUNIFIED', { child_id: data['childId'], relative_id: data['relativeId'], code: str(data['country']), personal_text: sealed('casefile_notes.personal_text', 'place') });
        break;
      case 'FollowUpRecorded':
        note('FOLLOW_UP', { child_id: data['childId'], personal_text: sealed('casefile_notes.personal_text', 'note') });
        break;
      case 'ServiceSuspended':
        note('SERVICE_SUSPENDED', { personal_text: sealed('casefile_notes.personal_text', 'reason') });
        break;
      case 'FamilyCaseClosed':
        note('CASE_CLOSED', { code: str(data['reason']) });
        break;
      case 'FamilyCaseReopened':
        note('CASE_REOPENED', { personal_text: sealed('casefile_notes.personal_text', 'reason') });
        break;
      case 'StopWorkExceptionRecorded':
        note('STOP_WORK_EXCEPTION', { code: str(data['commandType']), personal_text: sealed('casefile_notes.personal_text', 'reason') });
        break;
      default: {
        const documentStep = DOCUMENT_STEPS[event.type];
        if (documentStep) {
          insert('casefile_document_steps', {
            ...base, document_id: data['documentId'], step: documentStep, on_date: on, organization_id: organizationId, method: str(data['method']), language: str(data['language']),
            person_id: str(data['servedPersonId']) ?? str(data['signedByPersonId']), issuing_country: str(data['issuingCountry']),
            assigned_organization_id: str(data['assignedOrganizationId']), subject_person_id: str(data['subjectPersonId']),
          });
        }
        const matterStep = MATTER_STEPS[event.type];
        if (matterStep) {
          const [step, dateField] = matterStep;
          insert('casefile_matter_steps', {
            ...base, matter_id: data['matterId'], step, on_date: (dateField ? str(data[dateField]) : null) ?? on, organization_id: organizationId,
            receipt_number: sealed('casefile_matter_steps.receipt_number', 'receiptNumber'), order_type: str(data['orderType']), decision: str(data['decision']), child_id: str(data['childId']),
          });
        }
      }
    }
  };
};

import type { CalendarDate } from '../shared/calendar-date.js';
import type { CountryCode } from '../shared/countries.js';
import type * as V from './vocabulary.js';
import { initialHandoffFacts, type HandoffFacts } from './handoff-state.js';

/** The family as the decider and the status function see it: a fold of its stream. */

export type Lifecycle = 'OPEN' | 'SUSPENDED' | 'CLOSED';
export type CustodyStatus = 'NOT_IN_CUSTODY' | 'DETAINED' | 'RELEASED' | 'REPATRIATED';
export type LocationStatus = 'NOT_SOUGHT' | 'TRACING' | 'LOCATED' | 'IN_CONTACT' | 'UNREACHABLE' | 'DECEASED';
export type DocumentStatus = 'REQUESTED' | 'OBTAINED' | 'FILED' | 'EXPIRED';
export type MatterStatus = 'OPEN' | 'PETITION_FILED' | 'HEARING_SCHEDULED' | 'ORDER_ISSUED' | 'CUSTODY_RECOVERED' | 'DECIDED';
export type DeadlineStatus = 'OPEN' | 'MET' | 'MISSED';
export type ReferralStatus = 'PENDING' | 'ACCEPTED' | 'DECLINED' | 'REVOKED';

/** One step of a child's custody and placement, in the order recorded. */
export type PlacementChangeKind = 'DETAINED' | 'TRANSFERRED' | 'RELEASED' | 'PLACEMENT_CHANGED' | 'REPATRIATED' | 'REUNIFIED';

export interface PlacementChange {
  readonly change: PlacementChangeKind;
  readonly on: CalendarDate;
  /** The placement from this step on; undefined when not known (after a repatriation, until recorded). */
  readonly placement: V.Placement | undefined;
  readonly agency?: V.CustodianAgency;
  /** Released to, or reunified with, this relative. */
  readonly relativeId?: string;
  /** Repatriated to, or reunified in, this country. */
  readonly country?: CountryCode;
  /** The facility is personal data of the child, kept under `personal` as in the events. */
  readonly personal?: { readonly subjectId: string; readonly facility: string };
}

export interface ChildState {
  readonly childId: string;
  /** Personal data: undefined once the child was erased (`erased`). */
  readonly givenName: string | undefined;
  /** Personal data: undefined once the child was erased. */
  readonly birthDate: CalendarDate | undefined;
  readonly birthDateEstimated: boolean;
  readonly nationality: CountryCode;
  readonly arrivalDate: CalendarDate | undefined;
  readonly ageReviewRequired: boolean;
  readonly languages: readonly string[];
  readonly needsInterpreter: boolean;
  /** Personal data of the child (RegisterChild, RecordMedicalNeeds): the latest recorded. */
  readonly medicalNeeds: string | undefined;
  readonly custody: CustodyStatus;
  readonly placement: V.Placement | undefined;
  readonly custodyRecovered: boolean;
  /** Detained, transferred, released, repatriated, placement changed, reunified: oldest first. */
  readonly placementHistory: readonly PlacementChange[];
  /** The relative a reunification is planned with, once planned. */
  readonly reunificationPlannedWith: string | undefined;
  /** Causes of the separations recorded for this child (SIJ eligibility reads ABANDONMENT). */
  readonly separationCauses: readonly V.SeparationCause[];
  /** The latest custody step (detained, transferred, released, placement changed, repatriated): the next one may not be earlier. */
  readonly custodySince?: DatedFact | undefined;
  /** The earliest dated fact about the child: a birth-date correction may not come after it. */
  readonly earliestFact?: DatedFact | undefined;
  /**
   * The child's personal data was erased (SubjectErased, or events whose personal part opens as
   * erased): a tombstone with the facts that are not personal; names, dates of birth, medical
   * needs and facilities are gone. Absent in states folded before erasure existed: not erased.
   */
  readonly erased?: true;
}

/** A date the decider compares later steps with, and the input field that recorded it. */
export interface DatedFact {
  readonly on: CalendarDate;
  readonly field: string;
}

export type SafetyGate = V.SafetyGate;

/** An override an ADMIN of the lead recorded for one child's next step past a safety gate. */
export interface SafetyOverrideState {
  readonly overrideId: string;
  readonly childId: string;
  /** Undefined: the gate for any person in the child's next step. */
  readonly personId: string | undefined;
  readonly gate: SafetyGate;
  /** Single use: the step it allowed consumed it. */
  readonly consumed: boolean;
}

export interface RelativeState {
  readonly relativeId: string;
  /** Personal data: undefined once the relative was erased (`erased`). */
  readonly givenName: string | undefined;
  readonly relationship: V.Relationship;
  readonly adverse: boolean;
  readonly location: LocationStatus;
  readonly locatedCountry: CountryCode | undefined;
  /** When tracing started (the occurredAt date), for "not located since ..." */
  readonly soughtSince: CalendarDate | undefined;
  readonly preference: V.Preference | undefined;
  readonly languages: readonly string[];
  readonly needsInterpreter: boolean;
  /** The children a recorded relationship links this relative to; empty: every child of the family. */
  readonly childIds: readonly string[];
  /** The latest safety assessment (home study) of this relative, if any. */
  readonly safetyOutcome: V.SafetyOutcome | undefined;
  /** As added, then as verified (RelationshipVerified); null: not known. */
  readonly biological?: boolean | null;
  /** Per child, as recorded by RelationshipRecorded (a stepfather of one child, father of another). */
  readonly biologicalFor?: ReadonlyMap<string, boolean | null>;
  readonly relationshipVerified?: boolean;
  /** When the relative was located (the occurredAt date of RelativeLocated). */
  readonly locatedOn?: CalendarDate | undefined;
  /** The relative's personal data was erased: a tombstone (see ChildState.erased). */
  readonly erased?: true;
}

export interface DocumentState {
  readonly documentId: string;
  readonly documentType: V.DocumentType;
  readonly status: DocumentStatus;
  readonly needsLegalisation: boolean;
  readonly needsTranslation: boolean;
  readonly needsService: boolean;
  readonly legalised: boolean;
  readonly translated: boolean;
  readonly served: boolean;
  readonly signed: boolean;
  /** The person the document is about; undefined: the family as a whole. */
  readonly subjectPersonId: string | undefined;
}

export interface MatterState {
  readonly matterId: string;
  readonly matterType: V.MatterType;
  readonly childId: string;
  readonly jurisdiction: string;
  readonly status: MatterStatus;
  /** The occurredAt date of LegalMatterOpened (undefined for matters stored before it was recorded). */
  readonly openedOn?: CalendarDate | undefined;
  readonly filedOn?: CalendarDate | undefined;
  readonly orderIssuedOn?: CalendarDate | undefined;
}

export interface DeadlineState {
  readonly deadlineId: string;
  readonly kind: V.DeadlineKind;
  /** Undefined once the child was erased when the day came from the birth date (`personalDueOn`). */
  readonly dueOn: CalendarDate | undefined;
  /** The day is the child's personal data (an age-out deadline from version 5 on): erased with the child. */
  readonly personalDueOn?: boolean;
  readonly status: DeadlineStatus;
  readonly childId: string | undefined;
  readonly matterId: string | undefined;
  /** Set for deadlines computed from facts (e.g. `birthDate;age limit 21 in US-NY`); they recompute. */
  readonly derivedFrom: string | undefined;
}

export interface ReferralState {
  readonly referralId: string;
  readonly fromOrganizationId: string;
  readonly toOrganizationId: string;
  readonly scope: V.AccessScope;
  readonly expiresAt: string | undefined;
  readonly status: ReferralStatus;
}

export interface AccessGrantState {
  readonly grantId: string;
  readonly organizationId: string;
  readonly scope: V.AccessScope;
  readonly expiresAt: string | undefined;
  readonly active: boolean;
}

/** A transfer the lead proposed, waiting for the receiving organisation's answer. */
export interface PendingTransferState {
  readonly toOrganizationId: string;
  readonly previousLeadKeepsReadAccess: boolean;
  /** When the kept read access is to end, if the lead chose (else the default of handoff-state.ts). */
  readonly previousLeadReadAccessUntil?: string | undefined;
}

export interface ProtectionConcernState {
  readonly kind: V.ConcernKind;
  readonly subjectPersonId: string | undefined;
}

export interface FamilyState {
  readonly exists: boolean;
  readonly familyId: string;
  readonly leadOrganizationId: string;
  readonly programme: V.Programme | undefined;
  readonly lifecycle: Lifecycle;
  readonly separatedOn: CalendarDate | undefined;
  readonly children: ReadonlyMap<string, ChildState>;
  readonly relatives: ReadonlyMap<string, RelativeState>;
  readonly documents: ReadonlyMap<string, DocumentState>;
  readonly matters: ReadonlyMap<string, MatterState>;
  readonly deadlines: ReadonlyMap<string, DeadlineState>;
  readonly referrals: ReadonlyMap<string, ReferralState>;
  readonly grants: ReadonlyMap<string, AccessGrantState>;
  readonly openRedFlags: ReadonlySet<string>;
  readonly consents: ReadonlySet<string>;
  readonly concerns: ReadonlySet<string>;
  /** Every person named in a protection concern's "never disclose to" list (services/family/disclosure.ts). */
  readonly neverDiscloseTo: ReadonlySet<string>;
  /** Kind and subject of each protection concern (the subject is known only when a narrative was given). */
  readonly protectionConcerns: ReadonlyMap<string, ProtectionConcernState>;
  /** Organisations that keep read access after a transfer away from them. */
  readonly formerLeadsWithReadAccess: ReadonlySet<string>;
  readonly pendingTransfer: PendingTransferState | undefined;
  readonly reunificationPlanned: boolean;
  readonly reunifiedChildIds: ReadonlySet<string>;
  readonly personIds: ReadonlySet<string>;
  /** Subject of each open red flag; undefined for flags stored without one (they concern everyone). */
  readonly redFlagSubjects: ReadonlyMap<string, string | undefined>;
  readonly verifiedIdentities: ReadonlySet<string>;
  readonly safetyOverrides: ReadonlyMap<string, SafetyOverrideState>;
  /** Consent, hand-off and assignment facts (services/family/handoff-state.ts). */
  readonly handoffs: HandoffFacts;
  /** Legal holds placed on the family, by id, standing or lifted (docs/ERASURE.md); absent in states folded before holds existed: none. */
  readonly legalHolds?: ReadonlyMap<string, LegalHoldState>;
}

/** A legal hold on the family: while one stands, nobody in the family is erased. */
export interface LegalHoldState {
  readonly reason: V.LegalHoldReason;
  readonly standing: boolean;
}

/** Does a legal hold stand on the family? */
export const underLegalHold = (state: FamilyState): boolean => [...(state.legalHolds?.values() ?? [])].some((hold) => hold.standing);

export const initialFamilyState: FamilyState = {
  exists: false,
  familyId: '',
  leadOrganizationId: '',
  programme: undefined,
  lifecycle: 'OPEN',
  separatedOn: undefined,
  children: new Map(),
  relatives: new Map(),
  documents: new Map(),
  matters: new Map(),
  deadlines: new Map(),
  referrals: new Map(),
  grants: new Map(),
  openRedFlags: new Set(),
  consents: new Set(),
  concerns: new Set(),
  neverDiscloseTo: new Set(),
  protectionConcerns: new Map(),
  formerLeadsWithReadAccess: new Set(),
  pendingTransfer: undefined,
  reunificationPlanned: false,
  reunifiedChildIds: new Set(),
  personIds: new Set(),
  redFlagSubjects: new Map(),
  verifiedIdentities: new Set(),
  safetyOverrides: new Map(),
  handoffs: initialHandoffFacts,
};

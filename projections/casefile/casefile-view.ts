/**
 * The case file as the read side shows it (issue 15 items 1 and 2): view types of its own,
 * camelCase, mapped from events by the `casefile` projection (casefile-facts.ts), never from
 * the write side's FamilyState, so the write state can change without breaking readers. Values
 * are as recorded, before redaction: the resolvers put every view through the allowlist
 * (projections/families/allowlist.ts) for the caller's scope.
 *
 * The shape is versioned with the projection: test/unit/projections/casefile-view.unit.test.ts
 * pins VIEW_FIELDS and the tables' columns per projection version, so changing either without
 * bumping `casefileProjection.version` fails.
 */

/** Facts about one person (child or relative) that the families model does not keep. */
export interface PersonFactsView {
  readonly personId: string;
  readonly kind: 'CHILD' | 'RELATIVE';
  readonly familyName: string | null;
  readonly birthDate: string | null;
  readonly arrivalDate: string | null;
  readonly phone: string | null;
  readonly biological: boolean | null;
  readonly vitalStatus: string | null;
  readonly safeContactInstructions: string | null;
  readonly contactEstablishedOn: string | null;
  readonly locatedOn: string | null;
  readonly locatedMethod: string | null;
  readonly locatedCountry: string | null;
  readonly locatedPlace: string | null;
  readonly safetyOutcome: string | null;
  readonly safetyAssessedOn: string | null;
  readonly identityVerifiedMethod: string | null;
  readonly identityVerifiedOn: string | null;
  readonly relationshipVerifiedMethod: string | null;
  readonly relationshipVerifiedBiological: boolean | null;
  readonly relationshipVerifiedOn: string | null;
  readonly tracingOrganizationId: string | null;
  readonly tracingStartedOn: string | null;
  readonly believedCountry: string | null;
}

export interface IdentifierView { readonly personId: string; readonly kind: string; readonly value: string | null; readonly recordedOn: string }

export interface RelationshipView { readonly relativeId: string; readonly childId: string; readonly relationship: string; readonly biological: boolean | null; readonly recordedOn: string }

export interface ConsentView {
  readonly consentId: string; readonly personId: string; readonly purposes: readonly string[]; readonly recipientOrganizationIds: readonly string[];
  readonly expiresOn: string | null; readonly givenOn: string; readonly withdrawnOn: string | null;
}

export interface DuplicateDecisionView {
  readonly personId: string; readonly otherFamilyId: string; readonly otherPersonId: string; readonly samePerson: boolean;
  readonly reason: string | null; readonly decidedOn: string | null;
}

export interface SeparationView { readonly separatedOn: string; readonly cause: string; readonly childIds: readonly string[]; readonly place: string | null; readonly recordedOn: string }

export interface ProtectionConcernView {
  readonly concernId: string; readonly kind: string; readonly subjectPersonId: string | null; readonly neverDiscloseTo: readonly string[];
  readonly narrative: string | null; readonly recordedOn: string;
}

export interface RedFlagView {
  readonly flagId: string; readonly category: string; readonly subjectPersonId: string | null; readonly narrative: string | null;
  readonly raisedOn: string; readonly clearedOn: string | null;
}

export interface SafetyOverrideView {
  readonly overrideId: string; readonly childId: string; readonly personId: string | null; readonly gate: string;
  readonly decidedByOrganizationId: string; readonly decidedByUserId: string; readonly decidedByRole: string; readonly reason: string | null; readonly recordedOn: string;
}

/** One contact attempt with a sought person: a ledger row per attempt. */
export interface ContactAttemptView {
  readonly relativeId: string; readonly channel: string; readonly result: string; readonly attemptedOn: string;
  readonly organizationId: string; readonly userId: string;
}

export interface TracingLeadView { readonly relativeId: string; readonly lead: string | null; readonly receivedOn: string; readonly organizationId: string }

/** One step of a document's pipeline (requested, obtained, apostilled, ...): a ledger row per step. */
export interface DocumentStepView {
  readonly documentId: string; readonly step: string; readonly on: string; readonly organizationId: string;
  readonly method: string | null; readonly language: string | null; readonly personId: string | null;
  readonly issuingCountry: string | null; readonly assignedOrganizationId: string | null; readonly subjectPersonId: string | null;
}

/** One step of a legal matter (opened, petition filed, hearing scheduled, order, custody recovered, decided): a ledger row per step. */
export interface MatterStepView {
  readonly matterId: string; readonly step: string; readonly on: string; readonly organizationId: string;
  readonly receiptNumber: string | null; readonly orderType: string | null; readonly decision: string | null; readonly childId: string | null;
}

export interface DeadlineFactsView {
  readonly deadlineId: string; readonly derivedFrom: string | null; readonly recomputedBecause: string | null;
  readonly setOn: string; readonly previousDueOn: string | null; readonly childId: string | null; readonly matterId: string | null;
}

/** A referral, grant, transfer or read access a former lead kept, as recorded. */
export interface HandoffView {
  readonly kind: 'REFERRAL' | 'GRANT' | 'TRANSFER' | 'KEPT_ACCESS';
  readonly handoffId: string; readonly organizationId: string; readonly fromOrganizationId: string | null; readonly scope: string | null;
  readonly purpose: string | null; readonly expiresAt: string | null; readonly acknowledgeBy: string | null; readonly status: string;
  readonly since: string; readonly endedOn: string | null;
}

/** A fact of the case told in a reason or note: follow-ups, failed reunifications, suspensions, reopenings, stop-work exceptions, the place of a reunification. */
export interface CaseNoteView {
  readonly kind: string; readonly on: string; readonly organizationId: string; readonly childId: string | null; readonly relativeId: string | null;
  readonly code: string | null; readonly text: string | null;
}

export interface CasefileViews {
  readonly PersonFacts: PersonFactsView;
  readonly Identifier: IdentifierView;
  readonly Relationship: RelationshipView;
  readonly Consent: ConsentView;
  readonly DuplicateDecision: DuplicateDecisionView;
  readonly Separation: SeparationView;
  readonly ProtectionConcern: ProtectionConcernView;
  readonly RedFlag: RedFlagView;
  readonly SafetyOverride: SafetyOverrideView;
  readonly ContactAttempt: ContactAttemptView;
  readonly TracingLead: TracingLeadView;
  readonly DocumentStep: DocumentStepView;
  readonly MatterStep: MatterStepView;
  readonly DeadlineFacts: DeadlineFactsView;
  readonly Handoff: HandoffView;
  readonly CaseNote: CaseNoteView;
}

/** Exactly the keys of T (a missing or extra key does not compile). */
type AllKeys<T, L extends readonly (keyof T)[]> = Exclude<keyof T, L[number]> extends never ? L : never;
const keys = <T>() => <const L extends readonly (keyof T)[]>(list: AllKeys<T, L>): L => list;

/** The field names of every view, checked by `tsc` against the types above: what the unit test pins per version. */
export const VIEW_FIELDS = {
  PersonFacts: keys<PersonFactsView>()([
    'personId', 'kind', 'familyName', 'birthDate', 'arrivalDate', 'phone', 'biological', 'vitalStatus', 'safeContactInstructions', 'contactEstablishedOn',
    'locatedOn', 'locatedMethod', 'locatedCountry', 'locatedPlace', 'safetyOutcome', 'safetyAssessedOn', 'identityVerifiedMethod', 'identityVerifiedOn',
    'relationshipVerifiedMethod', 'relationshipVerifiedBiological', 'relationshipVerifiedOn', 'tracingOrganizationId', 'tracingStartedOn', 'believedCountry',
  ]),
  Identifier: keys<IdentifierView>()(['personId', 'kind', 'value', 'recordedOn']),
  Relationship: keys<RelationshipView>()(['relativeId', 'childId', 'relationship', 'biological', 'recordedOn']),
  Consent: keys<ConsentView>()(['consentId', 'personId', 'purposes', 'recipientOrganizationIds', 'expiresOn', 'givenOn', 'withdrawnOn']),
  DuplicateDecision: keys<DuplicateDecisionView>()(['personId', 'otherFamilyId', 'otherPersonId', 'samePerson', 'reason', 'decidedOn']),
  Separation: keys<SeparationView>()(['separatedOn', 'cause', 'childIds', 'place', 'recordedOn']),
  ProtectionConcern: keys<ProtectionConcernView>()(['concernId', 'kind', 'subjectPersonId', 'neverDiscloseTo', 'narrative', 'recordedOn']),
  RedFlag: keys<RedFlagView>()(['flagId', 'category', 'subjectPersonId', 'narrative', 'raisedOn', 'clearedOn']),
  SafetyOverride: keys<SafetyOverrideView>()(['overrideId', 'childId', 'personId', 'gate', 'decidedByOrganizationId', 'decidedByUserId', 'decidedByRole', 'reason', 'recordedOn']),
  ContactAttempt: keys<ContactAttemptView>()(['relativeId', 'channel', 'result', 'attemptedOn', 'organizationId', 'userId']),
  TracingLead: keys<TracingLeadView>()(['relativeId', 'lead', 'receivedOn', 'organizationId']),
  DocumentStep: keys<DocumentStepView>()(['documentId', 'step', 'on', 'organizationId', 'method', 'language', 'personId', 'issuingCountry', 'assignedOrganizationId', 'subjectPersonId']),
  MatterStep: keys<MatterStepView>()(['matterId', 'step', 'on', 'organizationId', 'receiptNumber', 'orderType', 'decision', 'childId']),
  DeadlineFacts: keys<DeadlineFactsView>()(['deadlineId', 'derivedFrom', 'recomputedBecause', 'setOn', 'previousDueOn', 'childId', 'matterId']),
  Handoff: keys<HandoffView>()(['kind', 'handoffId', 'organizationId', 'fromOrganizationId', 'scope', 'purpose', 'expiresAt', 'acknowledgeBy', 'status', 'since', 'endedOn']),
  CaseNote: keys<CaseNoteView>()(['kind', 'on', 'organizationId', 'childId', 'relativeId', 'code', 'text']),
} as const satisfies { readonly [V in keyof CasefileViews]: readonly (keyof CasefileViews[V])[] };

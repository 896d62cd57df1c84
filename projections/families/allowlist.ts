import type { FamilyEventOf, FamilyEventType } from '../../services/family/events.js';
import type { DeadlinePrecision } from '../../services/family/status.js';
import type { AccessScope, DeadlineKind } from '../../services/family/vocabulary.js';
import { monthOf, type CalendarDate } from '../../services/shared/calendar-date.js';

/**
 * What each scope may see: ONE allowlist, for every field of every view (GraphQL types, the
 * history envelope, export lines, status-change and webhook payloads) and of every family event
 * type. A field, view or event type that is not listed here is withheld at every scope (FULL
 * included) until someone lists it; the type of EVENT_ALLOWLIST makes `tsc` fail when an event
 * type or a field of one has no entry, and test/unit/projections/allowlist.unit.test.ts fails
 * when a GraphQL field or an event type of services/family/events.ts has none.
 *
 * The scopes (DESIGN.md §7):
 * - FULL (the lead, a FULL referral or grant, a kept read access): everything listed.
 * - DOCUMENTS: names, birth and arrival dates, dates of the case, free text; never where anyone
 *   is (countries and regions located, placement, custody, detaining agency, facility, court
 *   jurisdiction) and never the timing of an SIJ age-out (with the birth date it tells the age
 *   limit of the court's state, hence roughly where the child lives).
 * - STATUS: the progress of the case in codes (statuses, document progress, deadline kinds),
 *   deadlines by calendar month only and an SIJ age-out with no timing at all (its month would
 *   be the month of birth; at most the month and year of an arrival can be inferred), and ids generated for the reader: `child#1`, `relative#2`, `document#1`,
 *   `matter#1`, `deadline#3` (ordinals in the order the family's events introduced them,
 *   counted among the people the scope may see, so stable across requests and never a hint of
 *   a hidden person). Hand-off ids (referrals, grants) are shown as chosen: the receiving
 *   organisation answers by them. Consent, concern and red-flag ids are withheld.
 * - Below FULL, people that hiddenPersonIds (services/family/disclosure.ts) names are withheld
 *   entirely: from lists, blockers, and every event that names them (its data is all withheld).
 */
export type Scope = AccessScope;

/** `viewer_scope` of a read-model row (3 FULL, 2 DOCUMENTS, 1 STATUS); anything else is STATUS (fail closed). */
export const scopeOf = (viewerScope: number): Scope => (viewerScope === 3 ? 'FULL' : viewerScope === 2 ? 'DOCUMENTS' : 'STATUS');

/** The ids the system generates below DOCUMENTS, by what they name. */
export type IdKind = 'person' | 'document' | 'matter' | 'deadline';

/** What a field is shown against: the family as the reader may know it. */
export interface DisclosureContext {
  readonly scope: Scope;
  /** The id to show for a person, document, matter or deadline at this scope; undefined when it is withheld. */
  readonly shownId: (kind: IdKind, id: string) => string | undefined;
  /** People withheld entirely at this scope. */
  readonly hidden: ReadonlySet<string>;
  /** Records about hidden people (their documents, red flags), withheld entirely like them: `document:<id>`, `redFlag:<id>`. */
  readonly hiddenRecords: ReadonlySet<string>;
  /** A deadline's kind, for events that name a deadline without it. */
  readonly deadlineKind: (deadlineId: string) => DeadlineKind | undefined;
  /**
   * People whose personal data was erased (the family's state says so): their `personal` parts
   * in events are shown as erased even where the store still opened them (a key not yet destroyed).
   */
  readonly erased?: ReadonlySet<string>;
}

export const WITHHELD: unique symbol = Symbol('withheld');
type Shown = unknown;
/** How a field's value is shown at one scope: the value, a coarser or generated one, or WITHHELD. */
export type Show = (value: unknown, record: { readonly [key: string]: unknown }, context: DisclosureContext) => Shown;

/** A field's rule: how it is shown at each scope; a scope not named withholds it. */
export type FieldRule = {
  readonly [S in Scope]?: Show;
} & {
  /**
   * The field names people, or a record about a person: an event naming a person hidden from the
   * reader, or a document or red flag about one, is withheld whole.
   */
  readonly names?: 'person' | 'people' | 'document' | 'redFlag';
};

/**
 * How precisely each scope may learn when a deadline falls. SIJ age-out follows from the birth
 * date and the court's state: DOCUMENTS knows the birth date, so any timing would tell it the
 * state's age limit; STATUS may not know the birth date, and the month of the age-out is the
 * month and year of birth (one of two, age limit 18 or 21): neither gets any timing (regression:
 * status-reads-birth-month-from-age-out). Other kinds follow from dates DOCUMENTS may see;
 * STATUS gets the month.
 */
export const DEADLINE_PRECISION: Readonly<Record<DeadlineKind, Readonly<Record<Scope, DeadlinePrecision>>>> = {
  SIJ_AGE_OUT: { FULL: 'DAY', DOCUMENTS: 'NONE', STATUS: 'NONE' },
  ASYLUM_ONE_YEAR: { FULL: 'DAY', DOCUMENTS: 'DAY', STATUS: 'MONTH' },
  HEARING: { FULL: 'DAY', DOCUMENTS: 'DAY', STATUS: 'MONTH' },
  RESPONSE_WINDOW: { FULL: 'DAY', DOCUMENTS: 'DAY', STATUS: 'MONTH' },
  OTHER: { FULL: 'DAY', DOCUMENTS: 'DAY', STATUS: 'MONTH' },
};

/** Unknown kinds (a newer event) are withheld: NONE. */
export const deadlinePrecision = (kind: string | undefined, scope: Scope): DeadlinePrecision =>
  (kind !== undefined && Object.hasOwn(DEADLINE_PRECISION, kind) ? DEADLINE_PRECISION[kind as DeadlineKind][scope] : 'NONE');

// The rules, from the most shown to the least.
const asIs: Show = (value) => value;
const everyone: FieldRule = { STATUS: asIs, DOCUMENTS: asIs, FULL: asIs };
const documents: FieldRule = { DOCUMENTS: asIs, FULL: asIs };
const full: FieldRule = { FULL: asIs };
/** Shown at no scope (the field is named in `redacted`). */
const noScope: FieldRule = {};

const generatedId = (kind: IdKind): Show => (value, _record, context) =>
  (typeof value === 'string' ? (context.shownId(kind, value) ?? WITHHELD) : WITHHELD);
/** A client-chosen id: as chosen from DOCUMENTS up, generated by the system at STATUS. */
const idOf = (kind: IdKind): FieldRule => ({ STATUS: generatedId(kind), DOCUMENTS: asIs, FULL: asIs });
/** A person's id, never one hidden from the reader (at any scope: a view naming them would tell they exist). */
const notHidden: Show = (value, _record, context) => (typeof value === 'string' && context.hidden.has(value) ? WITHHELD : value);
const person: FieldRule = { ...idOf('person'), DOCUMENTS: notHidden, FULL: notHidden, names: 'person' };
const shownPeople: Show = (value, _record, context) => (Array.isArray(value) ? value.filter((id: unknown) => !(typeof id === 'string' && context.hidden.has(id))) : WITHHELD);
const people: FieldRule = {
  STATUS: (value, record, context) => (Array.isArray(value) ? value.filter((id: unknown) => !(typeof id === 'string' && context.hidden.has(id))).map((id: unknown) => generatedId('person')(id, record, context)) : WITHHELD),
  DOCUMENTS: shownPeople,
  FULL: shownPeople,
  names: 'people',
};
const documentId: FieldRule = { ...idOf('document'), names: 'document' };
const matterId = idOf('matter');
const redFlagId: FieldRule = { ...documents, names: 'redFlag' };
const deadlineId = idOf('deadline');

type KindOf = (record: { readonly [key: string]: unknown }, context: DisclosureContext) => string | undefined;
const ownKind: KindOf = (record) => record['kind'] as string | undefined;
const namedDeadlineKind: KindOf = (record, context) => context.deadlineKind(record['deadlineId'] as string);
/** The dates under a deadline event's `personal` are an age-out's (derived from the birth date). */
const ageOut: KindOf = () => 'SIJ_AGE_OUT';

/** A deadline's date in an event: the day, its month, or withheld, as DEADLINE_PRECISION says. */
const dueDate = (kindOf: KindOf): FieldRule => {
  const at = (scope: Scope): Show => (value, record, context) => {
    const precision = deadlinePrecision(kindOf(record, context), scope);
    if (typeof value !== 'string' || precision === 'NONE') return WITHHELD;
    return precision === 'DAY' ? value : monthOf(value as CalendarDate);
  };
  return { STATUS: at('STATUS'), DOCUMENTS: at('DOCUMENTS'), FULL: at('FULL') };
};
/** A view field shown only where the deadline's day (DAY) or at least its month (MONTH) may be known. */
const timing = (needs: 'DAY' | 'MONTH'): FieldRule => {
  const at = (scope: Scope): Show => (value, record) => {
    const precision = deadlinePrecision(record['kind'] as string | undefined, scope);
    return precision === 'DAY' || (needs === 'MONTH' && precision === 'MONTH') ? value : WITHHELD;
  };
  return { STATUS: at('STATUS'), DOCUMENTS: at('DOCUMENTS'), FULL: at('FULL') };
};

/**
 * The subject of case notes (services/shared/case-subject.ts): not a person, so never hidden or
 * generated; shown where the note's text is (DOCUMENTS up) and only with it.
 */
const caseSubject = documents;

/**
 * SeparationRecorded's `places`: one sealed copy per child (FULL only, as the place was). Each
 * copy goes out as `{ childId, personal }`; an erased child's copy as `{ childId, personal:
 * { subjectId, erased: true } }`; a hidden child's copy never (the whole event is a placeholder
 * then anyway, as `childIds` names them).
 */
const separationPlaces: FieldRule = {
  FULL: (value, _record, context) => {
    if (!Array.isArray(value)) return WITHHELD;
    return value.flatMap((item: unknown) => {
      const { childId, personal } = (item ?? {}) as { childId?: unknown; personal?: { subjectId?: unknown; place?: unknown; erased?: unknown } };
      if (typeof childId !== 'string' || context.hidden.has(childId) || typeof personal?.subjectId !== 'string') return [];
      const erased = personal.erased === true || context.erased?.has(personal.subjectId) === true;
      return [{ childId, personal: erased ? { subjectId: personal.subjectId, erased: true } : { subjectId: personal.subjectId, place: personal.place } }];
    });
  },
};

type PersonalRules<P> = { readonly [K in keyof P]-?: FieldRule };
type EventRules<D> = { readonly [K in keyof D]-?: K extends 'personal' ? PersonalRules<NonNullable<D[K]>> : FieldRule };
export type EventAllowlist = { readonly [T in FamilyEventType]: EventRules<FamilyEventOf<T>['data']> };

/** Every family event type's data, field by field (personal data under `personal`). */
export const EVENT_ALLOWLIST: EventAllowlist = {
  FamilyCaseOpened: { familyId: everyone, leadOrganizationId: everyone, programme: everyone },
  ChildRegistered: {
    childId: person, nationality: everyone, needsInterpreter: everyone, birthDateEstimated: everyone,
    arrivalDate: documents, ageReviewRequired: everyone,
    // Health data: the lead and FULL scope only (a Defender obtaining documents has no need of it).
    personal: { subjectId: person, givenName: documents, familyName: documents, birthDate: documents, medicalNeeds: full, languages: documents },
  },
  MedicalNeedsRecorded: { childId: person, personal: { subjectId: person, medicalNeeds: full } },
  ChildBirthDateCorrected: { childId: person, birthDateEstimated: everyone, ageReviewRequired: everyone, personal: { subjectId: person, birthDate: documents } },
  RelativeAdded: {
    relativeId: person, relationship: everyone, biological: documents, vitalStatus: everyone, adverse: everyone,
    needsInterpreter: everyone,
    personal: { subjectId: person, givenName: documents, familyName: documents, phone: full, languages: documents },
  },
  ChildArrivalDateCorrected: { childId: person, arrivalDate: documents },
  RelationshipRecorded: { relativeId: person, childId: person, relationship: everyone, biological: documents },
  // The other record is another family's: a reader of this one may not see that family, and the
  // allowlist is per event, so its ids are shown to no one here (the casefile keeps the pair).
  PossibleDuplicateDecided: { personId: person, otherFamilyId: noScope, otherPersonId: noScope, samePerson: documents, personal: { subjectId: person, reason: documents } },
  IdentifierRecorded: { personId: person, kind: documents, personal: { subjectId: person, value: full } },
  ConsentGiven: { consentId: documents, personId: person, purposes: documents, recipientOrganizationIds: documents, expiresOn: documents },
  ConsentWithdrawn: { consentId: documents },
  ProtectionConcernRecorded: { concernId: documents, kind: documents, neverDiscloseTo: full, personal: { subjectId: person, narrative: full } },
  SeparationRecorded: { separatedOn: documents, cause: documents, childIds: people, places: separationPlaces },
  ChildDetained: { childId: person, agency: full, detainedOn: documents, personal: { subjectId: person, facility: full } },
  ChildTransferred: { childId: person, transferredOn: documents, personal: { subjectId: person, facility: full } },
  ChildReleased: { childId: person, releasedOn: documents, releasedToRelativeId: person, placement: full, safetyOverrideIds: documents },
  ChildPlacementChanged: { childId: person, placement: full, changedOn: documents, relativeId: person, safetyOverrideIds: documents },
  TracingStarted: { relativeId: person, defenderOrganizationId: everyone, startedOn: documents, region: full },
  ContactAttemptMade: { relativeId: person, channel: documents, result: everyone },
  LeadReceived: { relativeId: person, personal: { subjectId: person, lead: full } },
  // locatedOn is the day of occurredAt, which STATUS sees in the envelope only by the month.
  RelativeLocated: { relativeId: person, country: full, method: everyone, locatedOn: documents, personal: { subjectId: person, place: full } },
  ContactEstablished: { relativeId: person, personal: { subjectId: person, safeContactInstructions: full } },
  PersonUnreachable: { relativeId: person },
  PersonReportedDeceased: { relativeId: person },
  PreferenceDeclared: { relativeId: person, preference: documents },
  IdentityVerified: { personId: person, method: everyone },
  RelationshipVerified: { relativeId: person, method: everyone, biological: documents },
  SafetyAssessmentCompleted: { relativeId: person, outcome: documents },
  RedFlagRaised: { flagId: redFlagId, category: documents, subjectPersonId: person, personal: { subjectId: person, narrative: full } },
  RedFlagCleared: { flagId: redFlagId },
  // Which gate was overridden can tell an assessment's outcome (DOCUMENTS data); the reason is FULL only.
  SafetyOverrideRecorded: {
    overrideId: documents, childId: person, personId: person, gate: documents, decidedBy: documents,
    personal: { subjectId: person, reason: full },
  },
  DocumentRequested: {
    documentId, documentType: everyone, issuingCountry: documents, assignedOrganizationId: everyone, subjectPersonId: person,
    needsLegalisation: everyone, needsTranslation: everyone, needsService: everyone,
  },
  DocumentObtained: { documentId },
  DocumentApostilled: { documentId, method: everyone },
  DocumentTranslated: { documentId, language: documents },
  DocumentServed: { documentId, servedPersonId: person },
  DocumentSigned: { documentId, signedByPersonId: person },
  DocumentFiled: { documentId },
  DocumentExpired: { documentId },
  LegalMatterOpened: { matterId, matterType: everyone, childId: person, jurisdiction: full, openedOn: documents },
  PetitionFiled: { matterId, filedOn: documents, personal: { subjectId: person, receiptNumber: full } },
  HearingScheduled: { matterId, hearingOn: dueDate(() => 'HEARING') },
  CourtOrderIssued: { matterId, orderType: everyone, issuedOn: documents },
  CustodyRecovered: { matterId, childId: person, recoveredOn: documents },
  ApplicationDecided: { matterId, decision: everyone, decidedOn: documents },
  // An age-out's dates under `personal` (version 5): only SIJ_AGE_OUT deadlines carry them there.
  DeadlineSet: { deadlineId, kind: everyone, dueOn: dueDate(ownKind), matterId, childId: person, derivedFrom: full, personal: { subjectId: person, dueOn: dueDate(ageOut) } },
  DeadlineRecomputed: {
    deadlineId, previousDueOn: dueDate(namedDeadlineKind), dueOn: dueDate(namedDeadlineKind), derivedFrom: full,
    personal: { subjectId: person, previousDueOn: dueDate(ageOut), dueOn: dueDate(ageOut) },
  },
  DeadlineMet: { deadlineId },
  DeadlineMissed: { deadlineId },
  FamilyReferred: {
    referralId: everyone, fromOrganizationId: everyone, toOrganizationId: everyone, purpose: documents, scope: everyone,
    expiresAt: everyone, acknowledgeBy: everyone,
  },
  ReferralAccepted: { referralId: everyone },
  ReferralDeclined: { referralId: everyone },
  ReferralRevoked: { referralId: everyone },
  AccessGranted: { grantId: everyone, organizationId: everyone, scope: everyone, expiresAt: everyone, purpose: documents },
  AccessRevoked: { grantId: everyone },
  FamilyTransferProposed: { fromOrganizationId: everyone, toOrganizationId: everyone, previousLeadKeepsReadAccess: everyone, previousLeadReadAccessUntil: everyone },
  FamilyTransferDeclined: { toOrganizationId: everyone },
  FamilyTransferCancelled: { toOrganizationId: everyone },
  FamilyTransferred: { fromOrganizationId: everyone, toOrganizationId: everyone, previousLeadKeepsReadAccess: everyone, previousLeadReadAccessUntil: everyone },
  ServiceSuspended: { personal: { subjectId: caseSubject, reason: documents } },
  ServiceResumed: {},
  ReunificationPlanned: { childId: person, relativeId: person, safetyOverrideIds: documents },
  ChildRepatriated: { childId: person, country: full, repatriatedOn: documents, safetyOverrideIds: documents },
  ReunificationCompleted: { childId: person, relativeId: person, reunifiedOn: documents, country: full, safetyOverrideIds: documents, personal: { subjectId: person, place: full } },
  ReunificationFailed: { childId: person, relativeId: person, personal: { subjectId: person, reason: documents } },
  FollowUpRecorded: { childId: person, personal: { subjectId: person, note: full } },
  FamilyCaseClosed: { reason: everyone },
  FamilyCaseReopened: { personal: { subjectId: caseSubject, reason: documents } },
  StopWorkExceptionRecorded: { organizationId: everyone, orderIds: everyone, commandType: everyone, personal: { subjectId: caseSubject, reason: documents } },
  FormerLeadAccessRevoked: { organizationId: everyone },
  // Erasure and legal hold carry no personal data (docs/ERASURE.md); every scope learns that a person it sees was erased.
  SubjectErased: { subjectId: person, personKind: everyone, reason: documents, personal: { subjectId: caseSubject, reference: full } },
  LegalHoldPlaced: { holdId: documents, reason: documents, personal: { subjectId: caseSubject, reference: full } },
  LegalHoldLifted: { holdId: documents },
};

/**
 * Whether a scope may learn that an event of a type happened, and when: 'DAY' shows its
 * `occurredAt` and `recordedAt` as recorded, 'MONTH' as the first instant (UTC) of their calendar
 * month; a scope not named gets the event as a placeholder (`WITHHELD_EVENT`: the type, the
 * data and the instants' days withheld, only its place in the stream kept, which concurrency
 * needs). An event whose data names someone hidden from the reader is a placeholder too.
 *
 * STATUS sees dates by month only (as deadlines). Custody steps are not STATUS events:
 * Child.custody and the placement history are withheld from it. Nor are facts whose fields are
 * DOCUMENTS or FULL data alone (medical needs at FULL only; identifiers, consents, concerns,
 * assessments, overrides from DOCUMENTS).
 */
export type EventShown = Readonly<Partial<Record<Scope, 'DAY' | 'MONTH'>>>;
const toEveryone: EventShown = { FULL: 'DAY', DOCUMENTS: 'DAY', STATUS: 'MONTH' };
const fromDocuments: EventShown = { FULL: 'DAY', DOCUMENTS: 'DAY' };
const toFull: EventShown = { FULL: 'DAY' };
const NOT_TO_STATUS: ReadonlySet<FamilyEventType> = new Set<FamilyEventType>([
  'ChildDetained', 'ChildTransferred', 'ChildReleased', 'ChildPlacementChanged', 'ChildRepatriated',
  'IdentifierRecorded', 'ConsentGiven', 'ConsentWithdrawn', 'ProtectionConcernRecorded', 'SafetyAssessmentCompleted',
  'SafetyOverrideRecorded', 'PreferenceDeclared', 'LegalHoldPlaced', 'LegalHoldLifted',
]);
const FULL_ONLY_EVENTS: ReadonlySet<FamilyEventType> = new Set<FamilyEventType>(['MedicalNeedsRecorded']);

/** Every family event type: which scopes see it happen, and how precisely when. */
export const EVENT_TYPE_ALLOWLIST: Readonly<Record<FamilyEventType, EventShown>> = Object.fromEntries(
  (Object.keys(EVENT_ALLOWLIST) as FamilyEventType[]).map((type) =>
    [type, FULL_ONLY_EVENTS.has(type) ? toFull : NOT_TO_STATUS.has(type) ? fromDocuments : toEveryone]),
) as Record<FamilyEventType, EventShown>;

/** How a scope sees an event of this type happen; undefined: as a placeholder (unknown types included). */
export const eventShownAt = (type: string, scope: Scope): 'DAY' | 'MONTH' | undefined =>
  (Object.hasOwn(EVENT_TYPE_ALLOWLIST, type) ? EVENT_TYPE_ALLOWLIST[type as FamilyEventType][scope] : undefined);

/** The type shown for an event the reader may not see. */
export const WITHHELD_EVENT = 'WITHHELD';


// Rules for the case file's views (projections/casefile/casefile-view.ts): each field shows a
// recorded fact exactly as the history shows the event field it comes from, at the scopes where
// the event type is shown at all, so a view never shows more than familyHistory at that scope.
const SCOPES: readonly Scope[] = ['STATUS', 'DOCUMENTS', 'FULL'];
type EventFieldRules = Readonly<Record<string, FieldRule | Readonly<Record<string, FieldRule>>>>;
const restricted = (rule: FieldRule, keep: (scope: Scope) => boolean): FieldRule => ({
  ...(rule.names ? { names: rule.names } : {}),
  ...Object.fromEntries(SCOPES.filter((scope) => keep(scope) && rule[scope]).map((scope) => [scope, rule[scope]])),
});
const shownIn = (types: readonly FamilyEventType[], scope: Scope, precision?: 'DAY'): boolean =>
  types.every((type) => (precision ? EVENT_TYPE_ALLOWLIST[type][scope] === precision : EVENT_TYPE_ALLOWLIST[type][scope] !== undefined));
/** A field of an event (`personal.x` for personal data), as the history shows it. */
const asInHistory = (type: FamilyEventType, field: string): FieldRule => {
  const [name, sub] = field.split('.') as [string, string | undefined];
  const rules = EVENT_ALLOWLIST[type] as unknown as EventFieldRules;
  const rule = (sub === undefined ? rules[name] : (rules[name] as Readonly<Record<string, FieldRule>> | undefined)?.[sub]) as FieldRule | undefined;
  if (!rule) throw new Error(`the allowlist has no rule for ${type}.${field}`);
  return restricted(rule, (scope) => shownIn([type], scope));
};
/** A view field shown wherever events of these types are shown (a list of them, who recorded one, the kind of step). */
const whereShown = (...types: FamilyEventType[]): FieldRule => restricted(everyone, (scope) => shownIn(types, scope));
/** The day events of these types happened: only where the history shows their day (not by month: a Date cannot hold a month). */
const dayOf = (...types: FamilyEventType[]): FieldRule => restricted(everyone, (scope) => shownIn(types, scope, 'DAY'));
/** A date field: a value the rule coarsened to a month is withheld (a Date cannot hold a month). */
const wholeDay = (show: Show): Show => (value, record, context) => {
  const shown = show(value, record, context);
  return typeof shown === 'string' && !/^\d{4}-\d{2}-\d{2}$/.test(shown) ? WITHHELD : shown;
};
/** A field whose rule depends on the kind of row (`discriminator`: the record field naming the event it came from). */
const byKind = (discriminator: string, rules: Readonly<Record<string, FieldRule>>, options: { dates?: boolean } = {}): FieldRule =>
  Object.fromEntries(SCOPES.map((scope): [Scope, Show] => [scope, (value, record, context) => {
    const show = rules[String(record[discriminator])]?.[scope];
    if (!show) return WITHHELD;
    return (options.dates ? wholeDay(show) : show)(value, record, context);
  }]));

const DOCUMENT_STEP_EVENTS: Readonly<Record<string, FamilyEventType>> = {
  REQUESTED: 'DocumentRequested', OBTAINED: 'DocumentObtained', LEGALISED: 'DocumentApostilled', TRANSLATED: 'DocumentTranslated',
  SERVED: 'DocumentServed', SIGNED: 'DocumentSigned', FILED: 'DocumentFiled', EXPIRED: 'DocumentExpired',
};
const MATTER_STEP_EVENTS: Readonly<Record<string, readonly [FamilyEventType, string]>> = {
  OPENED: ['LegalMatterOpened', 'openedOn'], PETITION_FILED: ['PetitionFiled', 'filedOn'], HEARING_SCHEDULED: ['HearingScheduled', 'hearingOn'],
  ORDER_ISSUED: ['CourtOrderIssued', 'issuedOn'], CUSTODY_RECOVERED: ['CustodyRecovered', 'recoveredOn'], DECIDED: ['ApplicationDecided', 'decidedOn'],
};
const CASE_NOTE_EVENTS: Readonly<Record<string, { type: FamilyEventType; code?: string; text?: string }>> = {
  REUNIFICATION_FAILED: { type: 'ReunificationFailed', text: 'personal.reason' },
  REUNIFIED: { type: 'ReunificationCompleted', code: 'country', text: 'personal.place' },
  FOLLOW_UP: { type: 'FollowUpRecorded', text: 'personal.note' },
  SERVICE_SUSPENDED: { type: 'ServiceSuspended', text: 'personal.reason' },
  CASE_CLOSED: { type: 'FamilyCaseClosed', code: 'reason' },
  CASE_REOPENED: { type: 'FamilyCaseReopened', text: 'personal.reason' },
  STOP_WORK_EXCEPTION: { type: 'StopWorkExceptionRecorded', code: 'commandType', text: 'personal.reason' },
};
const perStep = <T>(table: Readonly<Record<string, T>>, rule: (entry: T) => FieldRule | undefined): Record<string, FieldRule> =>
  Object.fromEntries(Object.entries(table).flatMap(([kind, entry]) => {
    const made = rule(entry);
    return made ? [[kind, made]] : [];
  }));
/** A field of a case note, by its kind's event: withheld for kinds whose event has no such field. */
const noteField = (field: 'code' | 'text'): FieldRule => byKind('kind', perStep(CASE_NOTE_EVENTS, (entry) => (entry[field] ? asInHistory(entry.type, entry[field]) : undefined)));
const noteOf = (rule: (type: FamilyEventType) => FieldRule): FieldRule => byKind('kind', perStep(CASE_NOTE_EVENTS, (entry) => rule(entry.type)));
const noteNames = (field: string): FieldRule => ({
  ...byKind('kind', perStep(CASE_NOTE_EVENTS, (entry) => (Object.hasOwn(EVENT_ALLOWLIST[entry.type], field) ? asInHistory(entry.type, field) : undefined))),
  names: 'person',
});

/** Person facts shared by Child and Relative. */
const personFacts = {
  identifiers: whereShown('IdentifierRecorded'), consents: whereShown('ConsentGiven'), duplicateDecisions: whereShown('PossibleDuplicateDecided'),
  identityVerifiedMethod: asInHistory('IdentityVerified', 'method'), identityVerifiedOn: dayOf('IdentityVerified'),
};

const statusChange = { cursor: everyone, familyId: everyone, previousStatus: everyone, status: everyone, occurredAt: everyone, recordedAt: everyone };
/**
 * The history's envelope; `type`, `occurredAt`, `recordedAt` and `data` are shown as
 * EVENT_TYPE_ALLOWLIST says (history-redaction.ts). Hashes are content a partner may not see put
 * through SHA-256: over a low-entropy value (a date, a code) they can be brute-forced, so they go
 * to FULL only (and to auditors, who verify: schema/resolvers/history.ts).
 */
const eventEnvelope = {
  type: everyone, revision: everyone, position: everyone, occurredAt: everyone, recordedAt: everyone, actor: everyone, data: everyone,
  hash: full, prevHash: full,
};

/** Every field of every view, by view (GraphQL type names where there is one). */
export const VIEW_ALLOWLIST = {
  Family: {
    id: everyone, status: everyone, revision: everyone, knownAt: everyone, programme: everyone, leadOrganization: everyone,
    children: everyone, relatives: everyone, documents: everyone, legalMatters: everyone, deadlines: everyone, referrals: everyone,
    blockers: everyone, nextDeadline: everyone, openedAt: everyone, updatedAt: everyone, viewerScope: everyone, viewerCanWrite: everyone,
    sharing: everyone, assignments: everyone,
    /** Sentences made from the history as the scope shows it (projections/timeline/). */
    timeline: everyone,
    // The case file's facts (issue 15 item 2): each list where its events are shown in the history.
    separations: whereShown('SeparationRecorded'), protectionConcerns: whereShown('ProtectionConcernRecorded'), redFlags: whereShown('RedFlagRaised'),
    safetyOverrides: whereShown('SafetyOverrideRecorded'), grants: whereShown('AccessGranted'), keptAccess: whereShown('FamilyTransferred'),
    transfers: whereShown('FamilyTransferProposed'), caseNotes: whereShown(...Object.values(CASE_NOTE_EVENTS).map((entry) => entry.type)),
    // Legal holds (docs/ERASURE.md) where the history shows them (DOCUMENTS up).
    legalHolds: whereShown('LegalHoldPlaced'),
    /** The status in words (services/family/labels.ts): as much as `status` tells. */
    statusLabel: everyone,
  },
  Organization: { id: everyone, name: everyone, kind: everyone },
  Child: {
    id: person, givenName: documents, birthDate: documents, birthDateEstimated: everyone, nationality: everyone, arrivalDate: documents,
    custody: full, placement: full, custodyRecovered: everyone, ageReviewRequired: everyone,
    // As in ChildRegistered: languages from DOCUMENTS up, the interpreter need at every scope, medical needs at FULL only.
    languages: documents, needsInterpreter: everyone, medicalNeeds: full,
    // The child's status and blockers as the family's (blockers are rendered for the scope:
    // services/family/blockers.ts); its placement history from DOCUMENTS up, each step as PlacementChange shows it.
    status: everyone, blockers: everyone, placementHistory: documents,
    familyName: asInHistory('ChildRegistered', 'personal.familyName'), ...personFacts,
    /** The child's personal data was erased (a tombstone): at every scope, as the facts it keeps. */
    erased: everyone,
    statusLabel: everyone,
  },
  /** A step of Child.placementHistory: what kind of step and when (as in the events' history at DOCUMENTS); where only at FULL. */
  PlacementChange: { change: documents, on: documents, placement: full, agency: full, relativeId: person, country: full, facility: full },
  Relative: {
    id: person, givenName: documents, relationship: everyone, locationStatus: everyone, locatedCountry: full, notLocatedSince: documents,
    adverse: everyone, preference: documents, languages: documents, needsInterpreter: everyone,
    familyName: asInHistory('RelativeAdded', 'personal.familyName'), phone: asInHistory('RelativeAdded', 'personal.phone'),
    biological: asInHistory('RelativeAdded', 'biological'), vitalStatus: asInHistory('RelativeAdded', 'vitalStatus'),
    safeContactInstructions: asInHistory('ContactEstablished', 'personal.safeContactInstructions'), contactEstablishedOn: dayOf('ContactEstablished'),
    locatedOn: asInHistory('RelativeLocated', 'locatedOn'), locatedMethod: asInHistory('RelativeLocated', 'method'), locatedPlace: asInHistory('RelativeLocated', 'personal.place'),
    safetyOutcome: asInHistory('SafetyAssessmentCompleted', 'outcome'), safetyAssessedOn: dayOf('SafetyAssessmentCompleted'),
    relationshipVerifiedMethod: asInHistory('RelationshipVerified', 'method'), relationshipVerifiedBiological: asInHistory('RelationshipVerified', 'biological'),
    relationshipVerifiedOn: dayOf('RelationshipVerified'),
    tracingOrganization: asInHistory('TracingStarted', 'defenderOrganizationId'), tracingStartedOn: asInHistory('TracingStarted', 'startedOn'),
    believedCountry: asInHistory('TracingStarted', 'region'),
    relationships: whereShown('RelationshipRecorded'), contactAttempts: whereShown('ContactAttemptMade'), leads: whereShown('LeadReceived'), ...personFacts,
    erased: everyone,
  },
  Document: {
    id: documentId, documentType: everyone, status: everyone, needsLegalisation: everyone, needsTranslation: everyone, needsService: everyone,
    legalised: everyone, translated: everyone, served: everyone, signed: everyone,
    issuingCountry: asInHistory('DocumentRequested', 'issuingCountry'), assignedOrganization: asInHistory('DocumentRequested', 'assignedOrganizationId'),
    subjectPersonId: asInHistory('DocumentRequested', 'subjectPersonId'), steps: whereShown('DocumentRequested'),
  },
  LegalMatter: {
    id: matterId, matterType: everyone, status: everyone, jurisdiction: full, childId: person,
    openedOn: asInHistory('LegalMatterOpened', 'openedOn'), steps: whereShown('LegalMatterOpened'),
  },
  Deadline: {
    id: deadlineId, familyId: everyone, kind: everyone, status: everyone,
    dueOn: timing('DAY'), daysLeft: timing('DAY'), dueMonth: timing('MONTH'), monthsLeft: timing('MONTH'),
    /** The facts it was computed from, in words (`derivedFrom` and the birth or arrival date): FULL only, as derivedFrom in the history. */
    basis: asInHistory('DeadlineSet', 'derivedFrom'), setOn: dayOf('DeadlineSet'),
    childId: asInHistory('DeadlineSet', 'childId'), matterId: asInHistory('DeadlineSet', 'matterId'),
  },
  LegalHold: { id: asInHistory('LegalHoldPlaced', 'holdId'), reason: asInHistory('LegalHoldPlaced', 'reason'), standing: whereShown('LegalHoldPlaced', 'LegalHoldLifted') },
  Referral: {
    id: everyone, toOrganization: everyone, scope: everyone, status: everyone, expiresAt: everyone,
    fromOrganization: asInHistory('FamilyReferred', 'fromOrganizationId'), purpose: asInHistory('FamilyReferred', 'purpose'),
    acknowledgeBy: asInHistory('FamilyReferred', 'acknowledgeBy'), referredOn: dayOf('FamilyReferred'), endedOn: dayOf('ReferralDeclined', 'ReferralRevoked'),
  },
  // The case file's views (casefile-view.ts), each field as the history shows the event field it comes from.
  Identifier: { kind: asInHistory('IdentifierRecorded', 'kind'), value: asInHistory('IdentifierRecorded', 'personal.value'), recordedOn: dayOf('IdentifierRecorded') },
  Consent: {
    id: asInHistory('ConsentGiven', 'consentId'), purposes: asInHistory('ConsentGiven', 'purposes'),
    recipientOrganizations: asInHistory('ConsentGiven', 'recipientOrganizationIds'), expiresOn: asInHistory('ConsentGiven', 'expiresOn'),
    givenOn: dayOf('ConsentGiven'), withdrawnOn: dayOf('ConsentWithdrawn'),
  },
  DuplicateDecision: {
    otherFamilyId: asInHistory('PossibleDuplicateDecided', 'otherFamilyId'), otherPersonId: asInHistory('PossibleDuplicateDecided', 'otherPersonId'),
    samePerson: asInHistory('PossibleDuplicateDecided', 'samePerson'), reason: asInHistory('PossibleDuplicateDecided', 'personal.reason'),
    decidedOn: dayOf('PossibleDuplicateDecided'),
  },
  RelationshipToChild: {
    childId: asInHistory('RelationshipRecorded', 'childId'), relationship: asInHistory('RelationshipRecorded', 'relationship'),
    biological: asInHistory('RelationshipRecorded', 'biological'), recordedOn: dayOf('RelationshipRecorded'),
  },
  ContactAttempt: {
    channel: asInHistory('ContactAttemptMade', 'channel'), result: asInHistory('ContactAttemptMade', 'result'), attemptedOn: dayOf('ContactAttemptMade'),
    recordedBy: whereShown('ContactAttemptMade'), recordedByUserId: whereShown('ContactAttemptMade'),
  },
  TracingLead: { lead: asInHistory('LeadReceived', 'personal.lead'), receivedOn: dayOf('LeadReceived'), recordedBy: whereShown('LeadReceived') },
  Separation: {
    separatedOn: asInHistory('SeparationRecorded', 'separatedOn'), cause: asInHistory('SeparationRecorded', 'cause'),
    childIds: asInHistory('SeparationRecorded', 'childIds'), place: restricted(full, (scope) => shownIn(['SeparationRecorded'], scope)), recordedOn: dayOf('SeparationRecorded'),
  },
  ProtectionConcern: {
    id: asInHistory('ProtectionConcernRecorded', 'concernId'), kind: asInHistory('ProtectionConcernRecorded', 'kind'),
    subjectPersonId: asInHistory('ProtectionConcernRecorded', 'personal.subjectId'), neverDiscloseTo: asInHistory('ProtectionConcernRecorded', 'neverDiscloseTo'),
    narrative: asInHistory('ProtectionConcernRecorded', 'personal.narrative'), recordedOn: dayOf('ProtectionConcernRecorded'),
  },
  RedFlag: {
    id: asInHistory('RedFlagRaised', 'flagId'), category: asInHistory('RedFlagRaised', 'category'), subjectPersonId: asInHistory('RedFlagRaised', 'subjectPersonId'),
    narrative: asInHistory('RedFlagRaised', 'personal.narrative'), raisedOn: dayOf('RedFlagRaised'), clearedOn: dayOf('RedFlagCleared'),
  },
  SafetyOverride: {
    id: asInHistory('SafetyOverrideRecorded', 'overrideId'), childId: asInHistory('SafetyOverrideRecorded', 'childId'),
    personId: asInHistory('SafetyOverrideRecorded', 'personId'), gate: asInHistory('SafetyOverrideRecorded', 'gate'),
    decidedBy: asInHistory('SafetyOverrideRecorded', 'decidedBy'), decidedByUserId: asInHistory('SafetyOverrideRecorded', 'decidedBy'),
    decidedByRole: asInHistory('SafetyOverrideRecorded', 'decidedBy'), reason: asInHistory('SafetyOverrideRecorded', 'personal.reason'),
    recordedOn: dayOf('SafetyOverrideRecorded'),
  },
  DocumentStep: {
    step: byKind('step', perStep(DOCUMENT_STEP_EVENTS, (type) => whereShown(type))),
    on: byKind('step', perStep(DOCUMENT_STEP_EVENTS, (type) => dayOf(type))),
    recordedBy: byKind('step', perStep(DOCUMENT_STEP_EVENTS, (type) => whereShown(type))),
    method: asInHistory('DocumentApostilled', 'method'), language: asInHistory('DocumentTranslated', 'language'),
    personId: { ...byKind('step', { SERVED: asInHistory('DocumentServed', 'servedPersonId'), SIGNED: asInHistory('DocumentSigned', 'signedByPersonId') }), names: 'person' },
  },
  MatterStep: {
    step: byKind('step', perStep(MATTER_STEP_EVENTS, ([type]) => whereShown(type))),
    on: byKind('step', perStep(MATTER_STEP_EVENTS, ([type, field]) => asInHistory(type, field)), { dates: true }),
    recordedBy: byKind('step', perStep(MATTER_STEP_EVENTS, ([type]) => whereShown(type))),
    receiptNumber: asInHistory('PetitionFiled', 'personal.receiptNumber'), orderType: asInHistory('CourtOrderIssued', 'orderType'),
    decision: asInHistory('ApplicationDecided', 'decision'), childId: asInHistory('CustodyRecovered', 'childId'),
  },
  AccessGrant: {
    id: asInHistory('AccessGranted', 'grantId'), organization: asInHistory('AccessGranted', 'organizationId'), scope: asInHistory('AccessGranted', 'scope'),
    purpose: asInHistory('AccessGranted', 'purpose'), expiresAt: asInHistory('AccessGranted', 'expiresAt'), status: whereShown('AccessGranted', 'AccessRevoked'),
    grantedOn: dayOf('AccessGranted'), revokedOn: dayOf('AccessRevoked'),
  },
  KeptAccess: {
    organization: asInHistory('FamilyTransferred', 'fromOrganizationId'), until: asInHistory('FamilyTransferred', 'previousLeadReadAccessUntil'),
    status: whereShown('FamilyTransferred', 'FormerLeadAccessRevoked'), since: dayOf('FamilyTransferred'), endedOn: dayOf('FormerLeadAccessRevoked'),
  },
  Transfer: {
    toOrganization: asInHistory('FamilyTransferProposed', 'toOrganizationId'), fromOrganization: asInHistory('FamilyTransferProposed', 'fromOrganizationId'),
    previousLeadReadAccessUntil: asInHistory('FamilyTransferProposed', 'previousLeadReadAccessUntil'),
    status: whereShown('FamilyTransferProposed', 'FamilyTransferDeclined', 'FamilyTransferCancelled', 'FamilyTransferred'),
    proposedOn: dayOf('FamilyTransferProposed'), answeredOn: dayOf('FamilyTransferDeclined', 'FamilyTransferCancelled', 'FamilyTransferred'),
  },
  CaseNote: {
    kind: noteOf((type) => whereShown(type)), on: noteOf((type) => dayOf(type)), recordedBy: noteOf((type) => whereShown(type)),
    childId: noteNames('childId'), relativeId: noteNames('relativeId'), code: noteField('code'), text: noteField('text'),
  },
  /** Who else holds access (sharing-view.ts): the hand-offs themselves, as Referral shows them. */
  Sharing: { id: everyone, organization: everyone, via: everyone, scope: everyone, status: everyone, expiresAt: everyone, coveredByConsent: everyone },
  /**
   * Work given to the reader's own organisation: shown only to it (sharing-view.ts), at any
   * scope, with the given name of the person it is to find (a Defender holds STATUS scope).
   */
  Assignment: { kind: everyone, subjectId: everyone, relationship: everyone, givenName: everyone, documentType: everyone, status: everyone },
  /** familyHistory's FamilyEvent (and its edge). */
  FamilyEvent: eventEnvelope,
  /** A line of `tracker export`: for the operator of the store, who holds the hashes anyway. */
  ExportedEvent: { familyId: everyone, ...eventEnvelope, hash: everyone, prevHash: everyone },
  FamilyStatusChange: statusChange,
  /** The body of a webhook delivery; `change` is a FamilyStatusChange. */
  WebhookPayload: { deliveryId: everyone, webhookId: everyone, organizationId: everyone, change: everyone },
  /** A search result (schema/search.graphql): returned only from DOCUMENTS scope up, by what that scope may see. */
  SearchHit: { family: documents, personId: documents, personKind: documents, displayName: documents, matchedOn: documents },
} as const satisfies Readonly<Record<string, Readonly<Record<string, FieldRule>>>>;

export type ViewName = keyof typeof VIEW_ALLOWLIST;

/** The allowlist of one scope, as field names: what a reader at that scope may see of each view and event type. */
export const allowlistOf = (scope: Scope): { views: Record<string, string[]>; events: Record<string, string[]> } => {
  const listed = (rules: Readonly<Record<string, unknown>>, prefix = ''): string[] =>
    Object.entries(rules).flatMap(([field, rule]) => {
      if (field === 'personal') return listed(rule as Record<string, unknown>, 'personal.');
      return (rule as FieldRule)[scope] ? [`${prefix}${field}`] : [];
    });
  return {
    views: Object.fromEntries(Object.entries(VIEW_ALLOWLIST).map(([view, rules]) => [view, listed(rules)])),
    events: Object.fromEntries(Object.entries(EVENT_ALLOWLIST).map(([type, rules]) => [type, listed(rules)])),
  };
};

import { assertNever } from '../shared/decider.js';
import type { FamilyEvent } from './events.js';
import type { CalendarDate } from '../shared/calendar-date.js';
import { evolveHandoffFacts } from './handoff-state.js';
import { isErased } from '../privacy/sealed-data.js';
import type { ChildState, DeadlineState, FamilyState, LegalHoldState, PlacementChange, RelativeState } from './state.js';

const put = <V>(map: ReadonlyMap<string, V>, key: string, value: V): ReadonlyMap<string, V> =>
  new Map(map).set(key, value);

const patch = <V>(map: ReadonlyMap<string, V>, key: string, change: Partial<V>): ReadonlyMap<string, V> => {
  const current = map.get(key);
  return current === undefined ? map : put(map, key, { ...current, ...change });
};

const add = (set: ReadonlySet<string>, value: string): ReadonlySet<string> => new Set(set).add(value);
const remove = (set: ReadonlySet<string>, value: string): ReadonlySet<string> => {
  const next = new Set(set);
  next.delete(value);
  return next;
};

/** The facility of a custody event, kept under the child's personal data (none once the child was erased). */
const facility = (personal: { subjectId: string; facility: string } | undefined): Pick<PlacementChange, 'personal'> =>
  personal && !isErased(personal) ? { personal: { subjectId: personal.subjectId, facility: personal.facility } } : {};

/**
 * A `personal` part that opens as erased (services/privacy: the subject's key was destroyed)
 * has none of its fields: the person is folded as a tombstone, as after SubjectErased.
 */
const erasedMark = (personal: object): { erased?: true } => (isErased(personal) ? { erased: true } : {});

/** A child as a tombstone: the facts kept, the personal data (names, birth date, medical needs, languages, facilities) gone. */
const erasedChild = (child: ChildState): ChildState => ({
  ...child, erased: true, givenName: undefined, birthDate: undefined, medicalNeeds: undefined, languages: [],
  placementHistory: child.placementHistory.map(({ personal: _personal, ...step }) => step),
});

/**
 * A deadline's day from its event: in the data, or (version 5: derived from a birth date) under
 * the child's `personal`, which opens as erased once the child's key is gone: the day is then unknown.
 */
const dueOnOf = (d: { dueOn?: CalendarDate | undefined; personal?: { dueOn?: CalendarDate } | undefined }): Pick<DeadlineState, 'dueOn' | 'personalDueOn'> =>
  (d.personal === undefined ? { dueOn: d.dueOn } : { dueOn: isErased(d.personal) ? undefined : d.personal.dueOn, personalDueOn: true });

/** An erased child's deadlines keep their kind and status; a day that came from the birth date is gone. */
const withoutPersonalDays = (deadlines: ReadonlyMap<string, DeadlineState>, childId: string): ReadonlyMap<string, DeadlineState> =>
  new Map([...deadlines].map(([id, deadline]) => [id, deadline.personalDueOn === true && deadline.childId === childId ? { ...deadline, dueOn: undefined } : deadline]));

const erasedRelative = (relative: RelativeState): RelativeState => ({ ...relative, erased: true, givenName: undefined, languages: [] });

const holds = (state: FamilyState): ReadonlyMap<string, LegalHoldState> => state.legalHolds ?? new Map();

/** A custody or placement step: the child's current fields change and the step joins its history. */
const placed = (state: FamilyState, childId: string, change: Partial<ChildState>, step: PlacementChange): FamilyState => {
  const child = state.children.get(childId);
  if (!child) return state;
  return { ...state, children: put(state.children, childId, { ...child, ...change, placementHistory: [...child.placementHistory, step] }) };
};

/** Records a dated fact about a child: the latest custody step and the earliest fact of all. */
const dated = (state: FamilyState, childId: string, on: CalendarDate, field: string, custody: boolean): ReadonlyMap<string, ChildState> => {
  const child = state.children.get(childId);
  if (child === undefined) return state.children;
  const earliest = child.earliestFact === undefined || on < child.earliestFact.on ? { on, field } : child.earliestFact;
  return put(state.children, childId, { ...child, earliestFact: earliest, ...(custody ? { custodySince: { on, field } } : {}) });
};

const childOfMatter = (state: FamilyState, matterId: string): string => state.matters.get(matterId)?.childId ?? '';

/** Marks the overrides a step used as consumed (single use). */
const consume = (state: FamilyState, ids: readonly string[] | undefined): FamilyState['safetyOverrides'] =>
  (ids ?? []).reduce((overrides, id) => patch(overrides, id, { consumed: true }), state.safetyOverrides);

const withCustody = (state: FamilyState, childId: string, on: CalendarDate, field: string): FamilyState =>
  ({ ...state, children: dated(state, childId, on, field, true) });

/** Folds one event into the family's case. Total: every event type has its case. */
const evolveCase = (state: FamilyState, event: FamilyEvent): FamilyState => {
  switch (event.type) {
    case 'FamilyCaseOpened':
      return { ...state, exists: true, familyId: event.data.familyId, leadOrganizationId: event.data.leadOrganizationId, programme: event.data.programme };
    case 'ChildRegistered': {
      const d = event.data;
      return {
        ...state,
        personIds: add(state.personIds, d.childId),
        children: put(state.children, d.childId, {
          childId: d.childId, givenName: d.personal.givenName, birthDate: d.personal.birthDate,
          birthDateEstimated: d.birthDateEstimated, nationality: d.nationality, arrivalDate: d.arrivalDate,
          ageReviewRequired: d.ageReviewRequired, languages: d.personal.languages ?? [], needsInterpreter: d.needsInterpreter, medicalNeeds: d.personal.medicalNeeds,
          custody: 'NOT_IN_CUSTODY', placement: undefined, custodyRecovered: false,
          placementHistory: [], reunificationPlannedWith: undefined, separationCauses: [], ...erasedMark(d.personal),
        }),
      };
    }
    case 'MedicalNeedsRecorded':
      return { ...state, children: patch(state.children, event.data.childId, { medicalNeeds: event.data.personal.medicalNeeds }) };
    case 'ChildBirthDateCorrected':
      return { ...state, children: patch(state.children, event.data.childId, { birthDate: event.data.personal.birthDate, birthDateEstimated: event.data.birthDateEstimated, ageReviewRequired: event.data.ageReviewRequired }) };
    case 'RelativeAdded': {
      const d = event.data;
      return {
        ...state,
        personIds: add(state.personIds, d.relativeId),
        relatives: put(state.relatives, d.relativeId, {
          relativeId: d.relativeId, givenName: d.personal.givenName, relationship: d.relationship, adverse: d.adverse,
          location: d.vitalStatus === 'DECEASED' ? 'DECEASED' : 'NOT_SOUGHT', locatedCountry: undefined,
          soughtSince: undefined, preference: undefined, languages: d.personal.languages ?? [], needsInterpreter: d.needsInterpreter ?? false, biological: d.biological, biologicalFor: new Map(),
          relationshipVerified: false, childIds: [], safetyOutcome: undefined, locatedOn: undefined, ...erasedMark(d.personal),
        }),
      };
    }
    case 'ChildArrivalDateCorrected':
      return { ...state, children: patch(state.children, event.data.childId, { arrivalDate: event.data.arrivalDate }) };
    case 'AccessGranted': {
      const d = event.data;
      return { ...state, grants: put(state.grants, d.grantId, { grantId: d.grantId, organizationId: d.organizationId, scope: d.scope, expiresAt: d.expiresAt, active: true }) };
    }
    case 'AccessRevoked':
      return { ...state, grants: patch(state.grants, event.data.grantId, { active: false }) };
    case 'RelationshipRecorded': {
      const relative = state.relatives.get(event.data.relativeId);
      if (relative === undefined) return state;
      const biologicalFor = new Map(relative.biologicalFor ?? []).set(event.data.childId, event.data.biological);
      const childIds = relative.childIds.includes(event.data.childId) ? relative.childIds : [...relative.childIds, event.data.childId];
      return { ...state, relatives: put(state.relatives, relative.relativeId, { ...relative, biologicalFor, childIds }) };
    }
    case 'IdentityVerified':
      return { ...state, verifiedIdentities: add(state.verifiedIdentities, event.data.personId) };
    case 'RelationshipVerified':
      // A verified relationship replaces what was declared, for every child.
      return { ...state, relatives: patch(state.relatives, event.data.relativeId, { relationshipVerified: true, biological: event.data.biological, biologicalFor: new Map() }) };
    case 'SafetyAssessmentCompleted':
      return { ...state, relatives: patch(state.relatives, event.data.relativeId, { safetyOutcome: event.data.outcome }) };
    case 'SafetyOverrideRecorded': {
      const d = event.data;
      return { ...state, safetyOverrides: put(state.safetyOverrides, d.overrideId, { overrideId: d.overrideId, childId: d.childId, personId: d.personId, gate: d.gate, consumed: false }) };
    }
    case 'IdentifierRecorded':
    case 'PossibleDuplicateDecided':
    case 'ContactAttemptMade':
    case 'LeadReceived':
    case 'FollowUpRecorded':
    case 'ReunificationFailed':
      return state;
    case 'ConsentGiven':
      return { ...state, consents: add(state.consents, event.data.consentId) };
    case 'ConsentWithdrawn':
      return { ...state, consents: remove(state.consents, event.data.consentId) };
    case 'ProtectionConcernRecorded':
      return {
        ...state,
        concerns: add(state.concerns, event.data.concernId),
        neverDiscloseTo: event.data.neverDiscloseTo.reduce(add, state.neverDiscloseTo),
        protectionConcerns: put(state.protectionConcerns, event.data.concernId, { kind: event.data.kind, subjectPersonId: event.data.personal?.subjectId }),
      };
    case 'SeparationRecorded': {
      const d = event.data;
      const children = d.childIds.reduce((children, childId) => {
        const child = children.get(childId);
        return child ? put(children, childId, { ...child, separationCauses: [...child.separationCauses, d.cause] }) : children;
      }, d.childIds.reduce((s, childId) => ({ ...s, children: dated(s, childId, d.separatedOn, 'separatedOn', false) }), state).children);
      return { ...state, children, separatedOn: state.separatedOn ?? d.separatedOn };
    }
    case 'ChildDetained': {
      const d = event.data;
      const placement = d.agency === 'ORR' ? 'ORR_SHELTER' : 'OTHER';
      const next = withCustody(state, d.childId, d.detainedOn, 'detainedOn');
      return placed(next, d.childId, { custody: 'DETAINED', placement }, { change: 'DETAINED', on: d.detainedOn, placement, agency: d.agency, ...facility(d.personal) });
    }
    case 'ChildTransferred': {
      const d = event.data;
      const next = withCustody(state, d.childId, d.transferredOn, 'transferredOn');
      const placement = next.children.get(d.childId)?.placement;
      return placed(next, d.childId, {}, { change: 'TRANSFERRED', on: d.transferredOn, placement, ...facility(d.personal) });
    }
    case 'ChildReleased': {
      const d = event.data;
      const next = { ...withCustody(state, d.childId, d.releasedOn, 'releasedOn'), safetyOverrides: consume(state, d.safetyOverrideIds) };
      return placed(next, d.childId, { custody: 'RELEASED', placement: d.placement }, {
        change: 'RELEASED', on: d.releasedOn, placement: d.placement, ...(d.releasedToRelativeId ? { relativeId: d.releasedToRelativeId } : {}),
      });
    }
    case 'ChildPlacementChanged': {
      const d = event.data;
      const next = { ...withCustody(state, d.childId, d.changedOn, 'changedOn'), safetyOverrides: consume(state, d.safetyOverrideIds) };
      return placed(next, d.childId, { placement: d.placement }, {
        change: 'PLACEMENT_CHANGED', on: d.changedOn, placement: d.placement, ...(d.relativeId ? { relativeId: d.relativeId } : {}),
      });
    }
    case 'TracingStarted':
      return { ...state, relatives: patch(state.relatives, event.data.relativeId, { location: 'TRACING', soughtSince: event.data.startedOn }) };
    case 'RelativeLocated':
      return { ...state, relatives: patch(state.relatives, event.data.relativeId, { location: 'LOCATED', locatedCountry: event.data.country, locatedOn: event.data.locatedOn }) };
    case 'ContactEstablished':
      return { ...state, relatives: patch(state.relatives, event.data.relativeId, { location: 'IN_CONTACT' }) };
    case 'PersonUnreachable':
      return { ...state, relatives: patch(state.relatives, event.data.relativeId, { location: 'UNREACHABLE' }) };
    case 'PersonReportedDeceased':
      return { ...state, relatives: patch(state.relatives, event.data.relativeId, { location: 'DECEASED' }) };
    case 'PreferenceDeclared':
      return { ...state, relatives: patch(state.relatives, event.data.relativeId, { preference: event.data.preference }) };
    case 'RedFlagRaised': {
      const d = event.data;
      return { ...state, openRedFlags: add(state.openRedFlags, d.flagId), redFlagSubjects: put(state.redFlagSubjects, d.flagId, d.subjectPersonId ?? d.personal?.subjectId) };
    }
    case 'RedFlagCleared': {
      const redFlagSubjects = new Map(state.redFlagSubjects);
      redFlagSubjects.delete(event.data.flagId);
      return { ...state, openRedFlags: remove(state.openRedFlags, event.data.flagId), redFlagSubjects };
    }
    case 'DocumentRequested': {
      const d = event.data;
      return {
        ...state,
        documents: put(state.documents, d.documentId, {
          documentId: d.documentId, documentType: d.documentType, status: 'REQUESTED',
          needsLegalisation: d.needsLegalisation, needsTranslation: d.needsTranslation, needsService: d.needsService,
          legalised: false, translated: false, served: false, signed: false, subjectPersonId: d.subjectPersonId,
        }),
      };
    }
    case 'DocumentObtained':
      return { ...state, documents: patch(state.documents, event.data.documentId, { status: 'OBTAINED' }) };
    case 'DocumentApostilled':
      return { ...state, documents: patch(state.documents, event.data.documentId, { legalised: true }) };
    case 'DocumentTranslated':
      return { ...state, documents: patch(state.documents, event.data.documentId, { translated: true }) };
    case 'DocumentServed':
      return { ...state, documents: patch(state.documents, event.data.documentId, { served: true }) };
    case 'DocumentSigned':
      return { ...state, documents: patch(state.documents, event.data.documentId, { signed: true }) };
    case 'DocumentFiled':
      return { ...state, documents: patch(state.documents, event.data.documentId, { status: 'FILED' }) };
    case 'DocumentExpired':
      return { ...state, documents: patch(state.documents, event.data.documentId, { status: 'EXPIRED' }) };
    case 'LegalMatterOpened': {
      const d = event.data;
      const next = { ...state, matters: put(state.matters, d.matterId, { matterId: d.matterId, matterType: d.matterType, childId: d.childId, jurisdiction: d.jurisdiction, status: 'OPEN' as const, openedOn: d.openedOn }) };
      return d.openedOn ? { ...next, children: dated(next, d.childId, d.openedOn, 'openedOn', false) } : next;
    }
    case 'PetitionFiled': {
      const d = event.data;
      return { ...state, children: dated(state, childOfMatter(state, d.matterId), d.filedOn, 'filedOn', false), matters: patch(state.matters, d.matterId, { status: 'PETITION_FILED', filedOn: d.filedOn }) };
    }
    case 'HearingScheduled':
      return { ...state, matters: patch(state.matters, event.data.matterId, { status: 'HEARING_SCHEDULED' }) };
    case 'CourtOrderIssued': {
      const d = event.data;
      return { ...state, children: dated(state, childOfMatter(state, d.matterId), d.issuedOn, 'issuedOn', false), matters: patch(state.matters, d.matterId, { status: 'ORDER_ISSUED', orderIssuedOn: d.issuedOn }) };
    }
    case 'CustodyRecovered': {
      const d = event.data;
      const next = { ...state, children: dated(state, d.childId, d.recoveredOn, 'recoveredOn', false) };
      return {
        ...next,
        matters: patch(next.matters, d.matterId, { status: 'CUSTODY_RECOVERED' }),
        children: patch(next.children, d.childId, { custodyRecovered: true }),
      };
    }
    case 'ApplicationDecided': {
      const d = event.data;
      return { ...state, children: dated(state, childOfMatter(state, d.matterId), d.decidedOn, 'decidedOn', false), matters: patch(state.matters, d.matterId, { status: 'DECIDED' }) };
    }
    case 'DeadlineSet': {
      const d = event.data;
      return { ...state, deadlines: put(state.deadlines, d.deadlineId, { deadlineId: d.deadlineId, kind: d.kind, ...dueOnOf(d), status: 'OPEN', childId: d.childId, matterId: d.matterId, derivedFrom: d.derivedFrom }) };
    }
    case 'DeadlineRecomputed': {
      // `derivedFrom` is the new basis, or (`corrected birthDate`, `corrected arrivalDate`) the reason; a reason keeps the basis.
      const d = event.data;
      const basis = d.derivedFrom.startsWith('corrected ') ? {} : { derivedFrom: d.derivedFrom };
      return { ...state, deadlines: patch(state.deadlines, d.deadlineId, { ...dueOnOf(d), ...basis }) };
    }
    case 'DeadlineMet':
      return { ...state, deadlines: patch(state.deadlines, event.data.deadlineId, { status: 'MET' }) };
    case 'DeadlineMissed':
      return { ...state, deadlines: patch(state.deadlines, event.data.deadlineId, { status: 'MISSED' }) };
    case 'FamilyReferred': {
      const d = event.data;
      return { ...state, referrals: put(state.referrals, d.referralId, { referralId: d.referralId, fromOrganizationId: d.fromOrganizationId, toOrganizationId: d.toOrganizationId, scope: d.scope, expiresAt: d.expiresAt, status: 'PENDING' }) };
    }
    case 'ReferralAccepted':
      return { ...state, referrals: patch(state.referrals, event.data.referralId, { status: 'ACCEPTED' }) };
    case 'ReferralDeclined':
      return { ...state, referrals: patch(state.referrals, event.data.referralId, { status: 'DECLINED' }) };
    case 'ReferralRevoked':
      return { ...state, referrals: patch(state.referrals, event.data.referralId, { status: 'REVOKED' }) };
    case 'FamilyTransferProposed':
      return {
        ...state,
        pendingTransfer: {
          toOrganizationId: event.data.toOrganizationId, previousLeadKeepsReadAccess: event.data.previousLeadKeepsReadAccess,
          previousLeadReadAccessUntil: event.data.previousLeadReadAccessUntil,
        },
      };
    case 'FamilyTransferDeclined':
    case 'FamilyTransferCancelled':
      return { ...state, pendingTransfer: undefined };
    case 'FamilyTransferred':
      return {
        ...state,
        pendingTransfer: undefined,
        leadOrganizationId: event.data.toOrganizationId,
        formerLeadsWithReadAccess: event.data.previousLeadKeepsReadAccess
          ? add(state.formerLeadsWithReadAccess, event.data.fromOrganizationId)
          : remove(state.formerLeadsWithReadAccess, event.data.fromOrganizationId),
      };
    case 'ServiceSuspended':
      return { ...state, lifecycle: 'SUSPENDED' };
    case 'ServiceResumed':
      return { ...state, lifecycle: 'OPEN' };
    case 'ReunificationPlanned':
      return {
        ...state,
        reunificationPlanned: true,
        safetyOverrides: consume(state, event.data.safetyOverrideIds),
        children: patch(state.children, event.data.childId, { reunificationPlannedWith: event.data.relativeId }),
      };
    case 'ChildRepatriated': {
      const d = event.data;
      const next = { ...withCustody(state, d.childId, d.repatriatedOn, 'repatriatedOn'), safetyOverrides: consume(state, d.safetyOverrideIds) };
      // Back in the country of origin: no longer in the US placement; unknown until recorded.
      return placed(next, d.childId, { custody: 'REPATRIATED', placement: undefined }, { change: 'REPATRIATED', on: d.repatriatedOn, placement: undefined, country: d.country });
    }
    case 'ReunificationCompleted': {
      const d = event.data;
      return {
        ...placed({ ...state, children: dated(state, d.childId, d.reunifiedOn, 'reunifiedOn', false) }, d.childId, { placement: 'RELATIVE' }, {
          change: 'REUNIFIED', on: d.reunifiedOn, placement: 'RELATIVE', relativeId: d.relativeId, country: d.country,
        }),
        safetyOverrides: consume(state, d.safetyOverrideIds),
        reunifiedChildIds: add(state.reunifiedChildIds, d.childId),
      };
    }
    case 'FamilyCaseClosed':
      return { ...state, lifecycle: 'CLOSED' };
    case 'FamilyCaseReopened':
      return { ...state, lifecycle: 'OPEN' };
    case 'StopWorkExceptionRecorded':
      return state;
    case 'FormerLeadAccessRevoked':
      return { ...state, formerLeadsWithReadAccess: remove(state.formerLeadsWithReadAccess, event.data.organizationId) };
    case 'SubjectErased': {
      const child = state.children.get(event.data.subjectId);
      const relative = state.relatives.get(event.data.subjectId);
      return {
        ...state,
        ...(child ? { children: put(state.children, child.childId, erasedChild(child)) } : {}),
        ...(relative ? { relatives: put(state.relatives, relative.relativeId, erasedRelative(relative)) } : {}),
        ...(child ? { deadlines: withoutPersonalDays(state.deadlines, child.childId) } : {}),
      };
    }
    case 'LegalHoldPlaced':
      return { ...state, legalHolds: put(holds(state), event.data.holdId, { reason: event.data.reason, standing: true }) };
    case 'LegalHoldLifted':
      return { ...state, legalHolds: patch(holds(state), event.data.holdId, { standing: false }) };
    default:
      return assertNever(event);
  }
};

/** Folds one event into the family: the case's own fold, then its consent, hand-off and assignment facts. */
export const evolve = (state: FamilyState, event: FamilyEvent): FamilyState => evolveHandoffFacts(evolveCase(state, event), event);

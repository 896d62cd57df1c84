import { assertNever } from '../shared/decider.js';
import type { FamilyEvent } from './events.js';
import type { ChildState, FamilyState, PlacementChange } from './state.js';

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

/** The facility of a custody event, kept under the child's personal data. */
const facility = (personal: { subjectId: string; facility: string } | undefined): Pick<PlacementChange, 'personal'> =>
  personal ? { personal: { subjectId: personal.subjectId, facility: personal.facility } } : {};

/** A custody or placement step: the child's current fields change and the step joins its history. */
const placed = (state: FamilyState, childId: string, change: Partial<ChildState>, step: PlacementChange): FamilyState => {
  const child = state.children.get(childId);
  if (!child) return state;
  return { ...state, children: put(state.children, childId, { ...child, ...change, placementHistory: [...child.placementHistory, step] }) };
};

/** Folds one event into the family. Total: every event type has its case. */
export const evolve = (state: FamilyState, event: FamilyEvent): FamilyState => {
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
          ageReviewRequired: d.ageReviewRequired, custody: 'NOT_IN_CUSTODY', placement: undefined, custodyRecovered: false,
          placementHistory: [], reunificationPlannedWith: undefined, separationCauses: [],
        }),
      };
    }
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
          soughtSince: undefined, preference: undefined, childIds: [], safetyOutcome: undefined,
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
      if (!relative || relative.childIds.includes(event.data.childId)) return state;
      return { ...state, relatives: patch(state.relatives, event.data.relativeId, { childIds: [...relative.childIds, event.data.childId] }) };
    }
    case 'SafetyAssessmentCompleted':
      return { ...state, relatives: patch(state.relatives, event.data.relativeId, { safetyOutcome: event.data.outcome }) };
    case 'IdentifierRecorded':
    case 'ContactAttemptMade':
    case 'LeadReceived':
    case 'IdentityVerified':
    case 'RelationshipVerified':
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
    case 'SeparationRecorded':
      return {
        ...state,
        separatedOn: state.separatedOn ?? event.data.separatedOn,
        children: event.data.childIds.reduce((children, childId) => {
          const child = children.get(childId);
          return child ? put(children, childId, { ...child, separationCauses: [...child.separationCauses, event.data.cause] }) : children;
        }, state.children),
      };
    case 'ChildDetained': {
      const d = event.data;
      const placement = d.agency === 'ORR' ? 'ORR_SHELTER' : 'OTHER';
      return placed(state, d.childId, { custody: 'DETAINED', placement }, { change: 'DETAINED', on: d.detainedOn, placement, agency: d.agency, ...facility(d.personal) });
    }
    case 'ChildTransferred': {
      const d = event.data;
      const placement = state.children.get(d.childId)?.placement;
      return placed(state, d.childId, {}, { change: 'TRANSFERRED', on: d.transferredOn, placement, ...facility(d.personal) });
    }
    case 'ChildReleased': {
      const d = event.data;
      return placed(state, d.childId, { custody: 'RELEASED', placement: d.placement }, {
        change: 'RELEASED', on: d.releasedOn, placement: d.placement, ...(d.releasedToRelativeId ? { relativeId: d.releasedToRelativeId } : {}),
      });
    }
    case 'ChildPlacementChanged':
      return placed(state, event.data.childId, { placement: event.data.placement }, { change: 'PLACEMENT_CHANGED', on: event.data.changedOn, placement: event.data.placement });
    case 'TracingStarted':
      return { ...state, relatives: patch(state.relatives, event.data.relativeId, { location: 'TRACING', soughtSince: event.data.startedOn }) };
    case 'RelativeLocated':
      return { ...state, relatives: patch(state.relatives, event.data.relativeId, { location: 'LOCATED', locatedCountry: event.data.country }) };
    case 'ContactEstablished':
      return { ...state, relatives: patch(state.relatives, event.data.relativeId, { location: 'IN_CONTACT' }) };
    case 'PersonUnreachable':
      return { ...state, relatives: patch(state.relatives, event.data.relativeId, { location: 'UNREACHABLE' }) };
    case 'PersonReportedDeceased':
      return { ...state, relatives: patch(state.relatives, event.data.relativeId, { location: 'DECEASED' }) };
    case 'PreferenceDeclared':
      return { ...state, relatives: patch(state.relatives, event.data.relativeId, { preference: event.data.preference }) };
    case 'RedFlagRaised':
      return { ...state, openRedFlags: add(state.openRedFlags, event.data.flagId) };
    case 'RedFlagCleared':
      return { ...state, openRedFlags: remove(state.openRedFlags, event.data.flagId) };
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
      return { ...state, matters: put(state.matters, d.matterId, { matterId: d.matterId, matterType: d.matterType, childId: d.childId, jurisdiction: d.jurisdiction, status: 'OPEN' }) };
    }
    case 'PetitionFiled':
      return { ...state, matters: patch(state.matters, event.data.matterId, { status: 'PETITION_FILED' }) };
    case 'HearingScheduled':
      return { ...state, matters: patch(state.matters, event.data.matterId, { status: 'HEARING_SCHEDULED' }) };
    case 'CourtOrderIssued':
      return { ...state, matters: patch(state.matters, event.data.matterId, { status: 'ORDER_ISSUED' }) };
    case 'CustodyRecovered':
      return {
        ...state,
        matters: patch(state.matters, event.data.matterId, { status: 'CUSTODY_RECOVERED' }),
        children: patch(state.children, event.data.childId, { custodyRecovered: true }),
      };
    case 'ApplicationDecided':
      return { ...state, matters: patch(state.matters, event.data.matterId, { status: 'DECIDED' }) };
    case 'DeadlineSet': {
      const d = event.data;
      return { ...state, deadlines: put(state.deadlines, d.deadlineId, { deadlineId: d.deadlineId, kind: d.kind, dueOn: d.dueOn, status: 'OPEN', childId: d.childId, matterId: d.matterId, derivedFrom: d.derivedFrom }) };
    }
    case 'DeadlineRecomputed':
      return { ...state, deadlines: patch(state.deadlines, event.data.deadlineId, { dueOn: event.data.dueOn }) };
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
      return { ...state, pendingTransfer: { toOrganizationId: event.data.toOrganizationId, previousLeadKeepsReadAccess: event.data.previousLeadKeepsReadAccess } };
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
      return { ...state, reunificationPlanned: true, children: patch(state.children, event.data.childId, { reunificationPlannedWith: event.data.relativeId }) };
    case 'ChildRepatriated': {
      const d = event.data;
      // Back in the country of origin: no longer in the US placement; unknown until recorded.
      return placed(state, d.childId, { custody: 'REPATRIATED', placement: undefined }, { change: 'REPATRIATED', on: d.repatriatedOn, placement: undefined, country: d.country });
    }
    case 'ReunificationCompleted': {
      const d = event.data;
      return {
        ...placed(state, d.childId, { placement: 'RELATIVE' }, { change: 'REUNIFIED', on: d.reunifiedOn, placement: 'RELATIVE', relativeId: d.relativeId, country: d.country }),
        reunifiedChildIds: add(state.reunifiedChildIds, d.childId),
      };
    }
    case 'FamilyCaseClosed':
      return { ...state, lifecycle: 'CLOSED' };
    case 'FamilyCaseReopened':
      return { ...state, lifecycle: 'OPEN' };
    default:
      return assertNever(event);
  }
};

import type { CalendarDate } from '../shared/calendar-date.js';
import type { FamilyEvent, FamilyEventOf, FamilyEventType } from './events.js';
import type { FamilyState } from './state.js';

/**
 * What the family knows of consent, kept read access and scoped assignments, folded apart from
 * the case (evolve.ts calls this after its own fold), so the rules of docs/HANDOFFS.md read
 * from one place.
 */
export interface ConsentRecord {
  readonly consentId: string;
  readonly personId: string;
  /** As given; compared by consent.ts trimmed and case-insensitively. */
  readonly purposes: readonly string[];
  readonly recipientOrganizationIds: readonly string[];
  /** The last day the consent is in force (UTC); undefined: until withdrawn. */
  readonly expiresOn: CalendarDate | undefined;
  readonly withdrawn: boolean;
}

/** Work given to another organisation (a Defender): one sought person or one document. */
export interface Assignment {
  readonly kind: 'TRACING' | 'DOCUMENT';
  /** The relative sought (TRACING) or the document (DOCUMENT). */
  readonly subjectId: string;
  readonly organizationId: string;
}

export interface HandoffFacts {
  readonly consents: ReadonlyMap<string, ConsentRecord>;
  /** When each former lead's kept read access ends; a former lead absent here has none left or none dated (older events). */
  readonly formerLeadAccessUntil: ReadonlyMap<string, string>;
  /** By `TRACING:<relativeId>` or `DOCUMENT:<documentId>`: the latest assignment of that work. */
  readonly assignments: ReadonlyMap<string, Assignment>;
  /** The purpose of each referral (`REFERRAL:<id>`) and grant (`GRANT:<id>`), as consent must cover it. */
  readonly sharingPurposes: ReadonlyMap<string, string>;
}

export const initialHandoffFacts: HandoffFacts = { consents: new Map(), formerLeadAccessUntil: new Map(), assignments: new Map(), sharingPurposes: new Map() };

/** The purpose consent must cover for a transfer, and for a grant recorded without one. */
export const TRANSFER_PURPOSE = 'transfer';
export const GRANT_PURPOSE = 'access';

export const assignmentKey = (kind: Assignment['kind'], subjectId: string): string => `${kind}:${subjectId}`;

const without = <V>(map: ReadonlyMap<string, V>, ...keys: string[]): ReadonlyMap<string, V> => {
  const next = new Map(map);
  for (const key of keys) next.delete(key);
  return next;
};

const facts = (state: FamilyState, change: Partial<HandoffFacts>): FamilyState => ({ ...state, handoffs: { ...state.handoffs, ...change } });

type Fold<T extends FamilyEventType> = (state: FamilyState, data: FamilyEventOf<T>['data']) => FamilyState;

/** The events that change these facts; every other event leaves them as they are. */
const FOLDS: { readonly [T in FamilyEventType]?: Fold<T> } = {
  ConsentGiven: (state, d) => facts(state, {
    consents: new Map(state.handoffs.consents).set(d.consentId, {
      consentId: d.consentId, personId: d.personId, purposes: d.purposes, recipientOrganizationIds: d.recipientOrganizationIds,
      expiresOn: d.expiresOn, withdrawn: false,
    }),
  }),
  ConsentWithdrawn: (state, d) => {
    const consent = state.handoffs.consents.get(d.consentId);
    return consent ? facts(state, { consents: new Map(state.handoffs.consents).set(consent.consentId, { ...consent, withdrawn: true }) }) : state;
  },
  // An erased person's consents end with their data: none covers sharing any more, and none
  // keeps the purposes the person agreed to (regression: consent-of-an-erased-person).
  SubjectErased: (state, d) => {
    const theirs = [...state.handoffs.consents.values()].filter((consent) => consent.personId === d.subjectId);
    if (theirs.length === 0) return state;
    const consents = new Map(state.handoffs.consents);
    for (const consent of theirs) consents.set(consent.consentId, { ...consent, purposes: [], withdrawn: true });
    return facts(state, { consents });
  },
  FamilyTransferred: (state, d) => {
    const until = without(state.handoffs.formerLeadAccessUntil, d.fromOrganizationId, d.toOrganizationId);
    // The former lead's own work (tracing, documents it named itself for) ends with its lead:
    // what it keeps is the kept read access, if any, never access through an assignment.
    const assignments = new Map([...state.handoffs.assignments].filter(([, assignment]) => assignment.organizationId !== d.fromOrganizationId));
    return facts(state, {
      assignments,
      formerLeadAccessUntil: d.previousLeadKeepsReadAccess && d.previousLeadReadAccessUntil !== undefined
        ? new Map(until).set(d.fromOrganizationId, d.previousLeadReadAccessUntil)
        : until,
    });
  },
  FormerLeadAccessRevoked: (state, d) => facts(state, { formerLeadAccessUntil: without(state.handoffs.formerLeadAccessUntil, d.organizationId) }),
  TracingStarted: (state, d) => facts(state, {
    assignments: new Map(state.handoffs.assignments).set(assignmentKey('TRACING', d.relativeId), {
      kind: 'TRACING', subjectId: d.relativeId, organizationId: d.defenderOrganizationId,
    }),
  }),
  DocumentRequested: (state, d) => facts(state, {
    assignments: new Map(state.handoffs.assignments).set(assignmentKey('DOCUMENT', d.documentId), {
      kind: 'DOCUMENT', subjectId: d.documentId, organizationId: d.assignedOrganizationId,
    }),
  }),
  FamilyReferred: (state, d) => facts(state, { sharingPurposes: new Map(state.handoffs.sharingPurposes).set(`REFERRAL:${d.referralId}`, d.purpose) }),
  AccessGranted: (state, d) => facts(state, { sharingPurposes: new Map(state.handoffs.sharingPurposes).set(`GRANT:${d.grantId}`, d.purpose ?? GRANT_PURPOSE) }),
};

export const evolveHandoffFacts = (state: FamilyState, event: FamilyEvent): FamilyState => {
  const fold = FOLDS[event.type] as Fold<FamilyEventType> | undefined;
  return fold ? fold(state, event.data) : state;
};

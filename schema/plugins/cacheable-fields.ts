/**
 * The fields a cached answer may hold (response-cache.ts), by parent type: each one's value is a
 * function of the projector-fed read models (families, case file, organisations), the caller,
 * the day and the field's arguments alone. Deny by default: a field not listed here (a new
 * field, introspection, the timeline, which reads the event store) makes the whole operation
 * answered afresh. `test/unit/schema/response-cache.unit.test.ts` fails when a field reachable
 * from `families` or `family` is in neither this list nor NOT_CACHEABLE.
 */
export const CACHEABLE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Query: ['families', 'family'],
  FamilyConnection: ['edges', 'pageInfo', 'totalCount'],
  Family: ['separations', 'protectionConcerns', 'redFlags', 'safetyOverrides', 'grants', 'keptAccess', 'transfers', 'caseNotes', 'id', 'status', 'revision', 'knownAt', 'programme', 'leadOrganization', 'children', 'relatives', 'documents', 'legalMatters', 'deadlines', 'referrals', 'legalHolds', 'blockers', 'nextDeadline', 'openedAt', 'updatedAt', 'viewerScope', 'viewerCanWrite', 'sharing', 'assignments', 'statusLabel'],
  FamilyEdge: ['cursor', 'node'],
  PageInfo: ['hasNextPage', 'hasPreviousPage', 'startCursor', 'endCursor'],
  Separation: ['separatedOn', 'cause', 'childIds', 'place', 'recordedOn'],
  ProtectionConcern: ['id', 'kind', 'subjectPersonId', 'neverDiscloseTo', 'narrative', 'recordedOn'],
  RedFlag: ['id', 'category', 'subjectPersonId', 'narrative', 'raisedOn', 'clearedOn'],
  SafetyOverride: ['id', 'childId', 'personId', 'gate', 'decidedBy', 'decidedByUserId', 'decidedByRole', 'reason', 'recordedOn'],
  AccessGrant: ['id', 'organization', 'scope', 'purpose', 'expiresAt', 'status', 'grantedOn', 'revokedOn'],
  KeptAccess: ['organization', 'until', 'status', 'since', 'endedOn'],
  Transfer: ['toOrganization', 'fromOrganization', 'previousLeadReadAccessUntil', 'status', 'proposedOn', 'answeredOn'],
  CaseNote: ['kind', 'on', 'recordedBy', 'childId', 'relativeId', 'code', 'text'],
  Organization: ['id', 'name', 'kind'],
  Child: ['familyName', 'identifiers', 'consents', 'duplicateDecisions', 'identityVerifiedMethod', 'identityVerifiedOn', 'id', 'givenName', 'birthDate', 'birthDateEstimated', 'nationality', 'arrivalDate', 'custody', 'placement', 'custodyRecovered', 'ageReviewRequired', 'languages', 'needsInterpreter', 'medicalNeeds', 'status', 'blockers', 'placementHistory', 'erased', 'statusLabel'],
  Relative: ['familyName', 'phone', 'biological', 'vitalStatus', 'safeContactInstructions', 'contactEstablishedOn', 'locatedOn', 'locatedMethod', 'locatedPlace', 'safetyOutcome', 'safetyAssessedOn', 'relationshipVerifiedMethod', 'relationshipVerifiedBiological', 'relationshipVerifiedOn', 'tracingOrganization', 'tracingStartedOn', 'believedCountry', 'relationships', 'contactAttempts', 'leads', 'identifiers', 'consents', 'duplicateDecisions', 'identityVerifiedMethod', 'identityVerifiedOn', 'id', 'givenName', 'relationship', 'locationStatus', 'locatedCountry', 'notLocatedSince', 'adverse', 'preference', 'languages', 'needsInterpreter', 'erased'],
  Document: ['issuingCountry', 'assignedOrganization', 'subjectPersonId', 'steps', 'id', 'documentType', 'status', 'needsLegalisation', 'needsTranslation', 'needsService', 'legalised', 'translated', 'served', 'signed'],
  LegalMatter: ['openedOn', 'steps', 'id', 'matterType', 'status', 'jurisdiction', 'childId'],
  Deadline: ['basis', 'setOn', 'childId', 'matterId', 'id', 'familyId', 'kind', 'dueOn', 'status', 'daysLeft', 'dueMonth', 'monthsLeft'],
  Referral: ['fromOrganization', 'purpose', 'acknowledgeBy', 'referredOn', 'endedOn', 'id', 'toOrganization', 'scope', 'status', 'expiresAt'],
  LegalHold: ['id', 'reason', 'standing'],
  Sharing: ['id', 'organization', 'via', 'scope', 'status', 'expiresAt', 'coveredByConsent'],
  Assignment: ['kind', 'subjectId', 'relationship', 'givenName', 'documentType', 'status'],
  Identifier: ['kind', 'value', 'recordedOn'],
  Consent: ['id', 'purposes', 'recipientOrganizations', 'expiresOn', 'givenOn', 'withdrawnOn'],
  DuplicateDecision: ['otherFamilyId', 'otherPersonId', 'samePerson', 'reason', 'decidedOn'],
  PlacementChange: ['change', 'on', 'placement', 'agency', 'relativeId', 'country', 'facility'],
  RelationshipToChild: ['childId', 'relationship', 'biological', 'recordedOn'],
  ContactAttempt: ['channel', 'result', 'attemptedOn', 'recordedBy', 'recordedByUserId'],
  TracingLead: ['lead', 'receivedOn', 'recordedBy'],
  DocumentStep: ['step', 'on', 'recordedBy', 'method', 'language', 'personId'],
  MatterStep: ['step', 'on', 'recordedBy', 'receiptNumber', 'orderType', 'decision', 'childId'],
};

/** Reachable fields answered afresh on every request, and why. */
export const NOT_CACHEABLE: Readonly<Record<string, readonly string[]>> = {
  // Read from the event store, which may be ahead of the read models the cache follows.
  Family: ['timeline'],
};

/**
 * The closed vocabularies of the family case. The command checks use these lists and the
 * GraphQL enums are generated from them (schema/mutations/mutation-sdl.ts), so the two cannot
 * disagree.
 */

export const PROGRAMMES = ['DETENTION', 'SEPARATED_FAMILY', 'SIJ', 'ASYLUM', 'TRAFFICKING_REUNIFICATION'] as const;
export type Programme = (typeof PROGRAMMES)[number];

export const RELATIONSHIPS = [
  'MOTHER', 'FATHER', 'STEPFATHER', 'STEPMOTHER', 'AUNT', 'UNCLE', 'GRANDPARENT', 'SIBLING', 'OTHER_CAREGIVER',
] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

export const VITAL_STATUSES = ['ALIVE', 'DECEASED', 'UNKNOWN'] as const;
export type VitalStatus = (typeof VITAL_STATUSES)[number];

export const SEPARATION_CAUSES = [
  'SEPARATED_AT_BORDER', 'PARENT_DEPORTED', 'PARENT_DETAINED', 'ABANDONMENT', 'TRAFFICKING', 'OTHER',
] as const;
export type SeparationCause = (typeof SEPARATION_CAUSES)[number];

export const CUSTODIAN_AGENCIES = ['ORR', 'CBP', 'ICE', 'DIF', 'FOSTER_CARE', 'OTHER'] as const;
export type CustodianAgency = (typeof CUSTODIAN_AGENCIES)[number];

export const PLACEMENTS = [
  'ORR_SHELTER', 'FOSTER_CARE', 'SPONSOR', 'RELATIVE', 'DIF', 'WITH_TRAFFICKER_FAMILY', 'UNKNOWN', 'OTHER',
] as const;
export type Placement = (typeof PLACEMENTS)[number];

export const CONTACT_CHANNELS = ['PHONE', 'WHATSAPP', 'IN_PERSON', 'CONSULATE', 'PARTNER_NGO', 'OTHER'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

export const CONTACT_RESULTS = ['NO_ANSWER', 'WRONG_NUMBER', 'REACHED', 'REFUSED', 'UNSAFE'] as const;
export type ContactResult = (typeof CONTACT_RESULTS)[number];

export const LOCATION_METHODS = ['PHONE', 'FIELD_VISIT', 'NEIGHBOURS', 'CONSULATE', 'PARTNER_NGO', 'RECORDS', 'OTHER'] as const;
export type LocationMethod = (typeof LOCATION_METHODS)[number];

export const PREFERENCES = ['CHILD_RETURNS_HOME', 'CHILD_STAYS_FOR_PROTECTION'] as const;
export type Preference = (typeof PREFERENCES)[number];

export const VERIFICATION_METHODS = ['DOCUMENT', 'DNA', 'INTERVIEW'] as const;
export type VerificationMethod = (typeof VERIFICATION_METHODS)[number];

export const SAFETY_OUTCOMES = ['SAFE', 'UNSAFE', 'CONDITIONAL'] as const;
export type SafetyOutcome = (typeof SAFETY_OUTCOMES)[number];

export const DOCUMENT_TYPES = [
  'BIRTH_CERTIFICATE', 'ADOPTION_RECORD', 'CUSTODY_ORDER', 'COUNTRY_CONDITIONS_REPORT', 'PASSPORT',
  'IDENTITY_DOCUMENT', 'COURT_PAPERS', 'OTHER',
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export const LEGALISATION_METHODS = ['APOSTILLE', 'CONSULAR_LEGALISATION'] as const;
export type LegalisationMethod = (typeof LEGALISATION_METHODS)[number];

export const MATTER_TYPES = [
  'SIJ', 'ASYLUM', 'MEXICAN_CUSTODY', 'ORR_SPONSORSHIP', 'T_VISA_DERIVATIVE', 'PAROLE', 'FAMILY_COURT_CUSTODY',
] as const;
export type MatterType = (typeof MATTER_TYPES)[number];

/** Matters in which custody of a child can be recovered. */
export const CUSTODY_MATTERS: readonly MatterType[] = ['MEXICAN_CUSTODY', 'FAMILY_COURT_CUSTODY'];

export const ORDER_TYPES = ['SIJ_FINDINGS', 'CUSTODY_ORDER', 'RETURN_ORDER', 'OTHER'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

export const DECISIONS = ['GRANTED', 'DENIED', 'WITHDRAWN'] as const;
export type Decision = (typeof DECISIONS)[number];

export const DEADLINE_KINDS = ['SIJ_AGE_OUT', 'ASYLUM_ONE_YEAR', 'HEARING', 'RESPONSE_WINDOW', 'OTHER'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

export const ACCESS_SCOPES = ['STATUS', 'DOCUMENTS', 'FULL'] as const;
export type AccessScope = (typeof ACCESS_SCOPES)[number];

export const IDENTIFIER_KINDS = [
  'A_NUMBER', 'ORR_ID', 'COURT_CASE_NUMBER', 'USCIS_RECEIPT', 'CURP', 'DPI', 'DUI', 'DNI', 'CEDULA', 'PASSPORT',
] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

export const CONCERN_KINDS = ['TRAFFICKING', 'ABUSE', 'DOMESTIC_VIOLENCE', 'ORGANISED_CRIME', 'OTHER'] as const;
export type ConcernKind = (typeof CONCERN_KINDS)[number];

export const RED_FLAG_CATEGORIES = ['IDENTITY_DOUBT', 'SAFETY', 'FRAUD_SUSPECTED', 'OTHER'] as const;
export type RedFlagCategory = (typeof RED_FLAG_CATEGORIES)[number];

/** The safety gates a release, placement, reunification or repatriation must pass (or have overridden). */
export const SAFETY_GATES = ['UNSAFE_ASSESSMENT', 'OPEN_RED_FLAG', 'DECLARED_PREFERENCE', 'UNVERIFIED_RELATIONSHIP'] as const;
export type SafetyGate = (typeof SAFETY_GATES)[number];

export const CLOSE_REASONS = ['REUNIFIED_FOLLOW_UP_DONE', 'CHILD_AGED_OUT', 'WITHDRAWN', 'TRANSFERRED_OUT', 'OTHER'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

/**
 * Why a person's personal data is erased (eraseSubject, docs/ERASURE.md): the person asked, their
 * guardian asked (a child), the retention period ended, or a court ordered it.
 */
export const ERASURE_REASONS = ['SUBJECT_REQUEST', 'GUARDIAN_REQUEST', 'RETENTION_EXPIRED', 'COURT_ORDER'] as const;
export type ErasureReason = (typeof ERASURE_REASONS)[number];

/** Why a family's records must be preserved (placeLegalHold): while a hold stands nobody in the family is erased. */
export const LEGAL_HOLD_REASONS = ['COURT_ORDER', 'LITIGATION', 'INVESTIGATION', 'REGULATOR_REQUEST'] as const;
export type LegalHoldReason = (typeof LEGAL_HOLD_REASONS)[number];

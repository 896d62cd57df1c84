import type { Language } from './labels.js';
import type { LocationStatus } from './state.js';
import type { ReunificationStatus } from './status.js';
import type * as V from './vocabulary.js';

/**
 * The API's vocabulary codes (programmes, relationships, channels, results, document types,
 * ...) in words a person reads, for sentences such as the timeline's: "Intentó contactar a
 * mother por WhatsApp: sin respuesta." instead of "... por WHATSAPP: NO_ANSWER.". The Spanish
 * table's type lists every code of every vocabulary, so a code without its Spanish word is a
 * compile error. English reads the code's own words ("no answer"), acronyms kept.
 */
export type VocabularyCode =
  | V.Programme | V.Relationship | V.VitalStatus | V.SeparationCause | V.CustodianAgency | V.Placement | V.ContactChannel
  | V.ContactResult | V.LocationMethod | V.Preference | V.VerificationMethod | V.SafetyOutcome | V.DocumentType
  | V.LegalisationMethod | V.MatterType | V.OrderType | V.Decision | V.DeadlineKind | V.AccessScope | V.IdentifierKind
  | V.ConcernKind | V.RedFlagCategory | V.SafetyGate | V.CloseReason | V.ErasureReason | V.LegalHoldReason
  | ReunificationStatus | LocationStatus;

const SPANISH: Readonly<Record<VocabularyCode, string>> = {
  // Programmes
  DETENTION: 'detención', SEPARATED_FAMILY: 'familia separada', SIJ: 'SIJ (estatus especial de inmigrante juvenil)', ASYLUM: 'asilo',
  TRAFFICKING_REUNIFICATION: 'reunificación tras trata',
  // Relationships
  MOTHER: 'madre', FATHER: 'padre', STEPFATHER: 'padrastro', STEPMOTHER: 'madrastra', AUNT: 'tía', UNCLE: 'tío', GRANDPARENT: 'abuelo o abuela',
  SIBLING: 'hermano o hermana', OTHER_CAREGIVER: 'otra persona cuidadora',
  // Vital statuses
  ALIVE: 'con vida', DECEASED: 'fallecido', UNKNOWN: 'desconocido',
  // Separation causes
  SEPARATED_AT_BORDER: 'separación en la frontera', PARENT_DEPORTED: 'deportación del padre o la madre', PARENT_DETAINED: 'detención del padre o la madre',
  ABANDONMENT: 'abandono', TRAFFICKING: 'trata',
  // Custodian agencies and placements
  ORR: 'ORR', CBP: 'CBP', ICE: 'ICE', DIF: 'DIF', FOSTER_CARE: 'hogar de acogida', ORR_SHELTER: 'albergue de ORR', SPONSOR: 'patrocinador',
  RELATIVE: 'familiar', WITH_TRAFFICKER_FAMILY: 'con la familia del tratante',
  // Contact channels, results, location methods
  PHONE: 'teléfono', WHATSAPP: 'WhatsApp', IN_PERSON: 'en persona', CONSULATE: 'consulado', PARTNER_NGO: 'ONG aliada',
  NO_ANSWER: 'sin respuesta', WRONG_NUMBER: 'número equivocado', REACHED: 'contactado', REFUSED: 'se negó', UNSAFE: 'no seguro',
  FIELD_VISIT: 'visita en terreno', NEIGHBOURS: 'vecinos', RECORDS: 'registros',
  // Preferences, verification, safety
  CHILD_RETURNS_HOME: 'que la niña o el niño vuelva a casa', CHILD_STAYS_FOR_PROTECTION: 'que la niña o el niño se quede por protección',
  DOCUMENT: 'documento', DNA: 'ADN', INTERVIEW: 'entrevista', SAFE: 'seguro', CONDITIONAL: 'con condiciones',
  // Documents and legalisation
  BIRTH_CERTIFICATE: 'acta de nacimiento', ADOPTION_RECORD: 'registro de adopción', CUSTODY_ORDER: 'orden de custodia',
  COUNTRY_CONDITIONS_REPORT: 'informe sobre las condiciones del país', PASSPORT: 'pasaporte', IDENTITY_DOCUMENT: 'documento de identidad',
  COURT_PAPERS: 'documentos judiciales', APOSTILLE: 'apostilla', CONSULAR_LEGALISATION: 'legalización consular',
  // Legal matters, orders, decisions, deadlines
  MEXICAN_CUSTODY: 'custodia en México', ORR_SPONSORSHIP: 'patrocinio ante ORR', T_VISA_DERIVATIVE: 'visa T derivada', PAROLE: 'permiso humanitario (parole)',
  FAMILY_COURT_CUSTODY: 'custodia ante tribunal de familia', SIJ_FINDINGS: 'dictamen SIJ', RETURN_ORDER: 'orden de restitución',
  GRANTED: 'concedido', DENIED: 'denegado', WITHDRAWN: 'retirado',
  SIJ_AGE_OUT: 'límite de edad para SIJ', ASYLUM_ONE_YEAR: 'plazo de un año para pedir asilo', HEARING: 'audiencia', RESPONSE_WINDOW: 'plazo de respuesta',
  // Scopes and identifiers
  STATUS: 'solo el estado', DOCUMENTS: 'documentos', FULL: 'completo',
  A_NUMBER: 'número A', ORR_ID: 'número de ORR', COURT_CASE_NUMBER: 'número de expediente judicial', USCIS_RECEIPT: 'recibo de USCIS', CURP: 'CURP',
  DPI: 'DPI', DUI: 'DUI', DNI: 'DNI', CEDULA: 'cédula',
  // Concerns, red flags, safety gates
  ABUSE: 'abuso', DOMESTIC_VIOLENCE: 'violencia doméstica', ORGANISED_CRIME: 'crimen organizado', IDENTITY_DOUBT: 'duda de identidad',
  SAFETY: 'seguridad', FRAUD_SUSPECTED: 'sospecha de fraude', UNSAFE_ASSESSMENT: 'evaluación no segura', OPEN_RED_FLAG: 'alerta abierta',
  DECLARED_PREFERENCE: 'preferencia declarada', UNVERIFIED_RELATIONSHIP: 'parentesco sin verificar',
  // Closing, erasure, legal hold
  REUNIFIED_FOLLOW_UP_DONE: 'reunificación con seguimiento hecho', CHILD_AGED_OUT: 'cumplió la edad límite', TRANSFERRED_OUT: 'transferido a otra organización',
  SUBJECT_REQUEST: 'pedido de la persona', GUARDIAN_REQUEST: 'pedido de su tutor', RETENTION_EXPIRED: 'fin del plazo de conservación',
  COURT_ORDER: 'orden judicial', LITIGATION: 'litigio', INVESTIGATION: 'investigación', REGULATOR_REQUEST: 'pedido de la autoridad de control',
  // Reunification and location statuses
  INTAKE: 'admisión', SEARCHING: 'en búsqueda', IN_CONTACT: 'en contacto', LEGAL_PROCESS: 'proceso legal', READY_TO_REUNIFY: 'a punto de reunificar',
  REUNIFIED: 'reunificación hecha', CLOSED: 'caso cerrado', NOT_SOUGHT: 'no buscado', TRACING: 'en búsqueda', LOCATED: 'localizado', UNREACHABLE: 'inalcanzable',
  OTHER: 'otro',
};

/** Codes that are names of their own (agencies, identity documents): kept as they are in English. */
const ACRONYMS = /^(ORR|CBP|ICE|DIF|SIJ|DNA|CURP|DPI|DUI|DNI|USCIS|NGO)$/;

const englishWords = (code: string): string =>
  code.split('_').map((word) => (ACRONYMS.test(word) ? word : word.toLowerCase())).join(' ').replace(/^whatsapp$/, 'WhatsApp');

const isCode = (text: string): text is VocabularyCode => Object.hasOwn(SPANISH, text);

/** A vocabulary code in the reader's words; any other text (an id, a date, a country) as it is. */
export const codeInWords = (text: string, language: Language): string => {
  if (!isCode(text)) return text;
  return language === 'es' ? SPANISH[text] : englishWords(text);
};

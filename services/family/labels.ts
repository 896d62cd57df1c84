import i18next, { type TFunction } from 'i18next';
import type { ReunificationStatus } from './status.js';
import { DOCUMENT_TYPES, RELATIONSHIPS, type DeadlineKind, type DocumentType, type Relationship } from './vocabulary.js';

/**
 * The words of blockers and status labels in English and Spanish (issue 15, item 3), through
 * i18next like the timeline (projections/timeline/). A blocker is built as a message (a sentence
 * key and its values: codes, dates, numbers, never a name) and worded here. The English
 * sentences are the ones the API has always answered, byte for byte. The tables' types make a
 * sentence, status or vocabulary word without its Spanish text a compile error, and
 * test/unit/services/family/labels.unit.test.ts fails on an empty one or a placeholder missing in
 * either language.
 */
export const LANGUAGES = ['en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

/** A value of a blocker: text that is no word (a date, a number), or a code worded in the reader's language. */
export type BlockerValue =
  | string
  | number
  | { readonly relationship: Relationship }
  | { readonly relationships: readonly Relationship[] }
  | { readonly document: DocumentType }
  | { readonly deadline: DeadlineKind };

/** A sentence that takes `count` has a singular and a plural (i18next's `_one` / `_other`). */
type Sentence = string | { readonly one: string; readonly other: string };

const SENTENCES_EN = {
  suspended: "service suspended by a funder's stop-work order",
  ageReview: 'child registered at 18 or older: age needs review',
  detained: 'still detained',
  detainedSince: 'still detained since {{since}}',
  detainedTransferred: 'still detained, transferred',
  detainedSinceTransferredOn: 'still detained since {{since}}, transferred on {{on}}',
  repatriated: 'repatriated, reunification not yet recorded',
  repatriatedOn: 'repatriated on {{on}}, reunification not yet recorded',
  notLocatedSince: '{{who}} not located since {{since}}',
  notLocatedSinceUnknown: '{{who}} not located since an unknown date',
  unreachable: '{{who}} unreachable',
  caregiverToFindThenPlace: 'no parent available (deceased or adverse): another caregiver to be found and assessed, then a placement decision',
  caregiverToFind: 'no parent available (deceased or adverse): another caregiver to be found and assessed',
  caregiverToAssess: 'no parent available: {{candidates}} to be assessed as caregiver (safety assessment)',
  placementDecision: 'no parent available: placement decision needed ({{assessed}} assessed)',
  documentRequested: '{{document}} requested, not yet obtained',
  documentExpired: '{{document}} expired',
  awaitingApostille: '{{document}} awaiting apostille',
  awaitingTranslation: '{{document}} awaiting certified translation',
  awaitingService: '{{document}} awaiting service',
  arrivalUnknown: 'arrival date unknown: asylum one-year deadline cannot be computed',
  deadlinePassedOn: '{{deadline}} passed on {{on}}',
  deadlineToday: '{{deadline}} today',
  deadlineInDays: { one: '{{deadline}} in {{count}} day', other: '{{deadline}} in {{count}} days' },
  deadlinePassed: '{{deadline}} passed',
  deadlineThisMonth: '{{deadline}} due this month',
  deadlineNextMonth: '{{deadline}} due next month',
  deadlineInMonths: '{{deadline}} due in {{count}} months',
  identityNotVerified: '{{who}}: identity not verified',
  relationshipNotVerified: '{{who}}: relationship not verified',
  safetyUnsafe: '{{who}}: safety assessment UNSAFE',
  redFlags: { one: '{{count}} open red flag', other: '{{count}} open red flags' },
  oneChild: 'child {{number}}: {{text}}',
  someChildren: 'children {{numbers}} and {{last}}: {{text}}',
} as const satisfies Record<string, Sentence>;

export type BlockerKey = keyof typeof SENTENCES_EN;

const SENTENCES_ES: Readonly<Record<BlockerKey, Sentence>> = {
  suspended: 'servicio suspendido por una orden de suspensión (stop-work) de un financiador',
  ageReview: 'registro con 18 años o más: hay que revisar la edad',
  detained: 'sigue en detención',
  detainedSince: 'sigue en detención desde {{since}}',
  detainedTransferred: 'sigue en detención, con traslado',
  detainedSinceTransferredOn: 'sigue en detención desde {{since}}, con traslado el {{on}}',
  repatriated: 'repatriación hecha, reunificación aún no registrada',
  repatriatedOn: 'repatriación el {{on}}, reunificación aún no registrada',
  notLocatedSince: '{{who}} sin localizar desde {{since}}',
  notLocatedSinceUnknown: '{{who}} sin localizar desde una fecha desconocida',
  unreachable: '{{who}} sin forma de contacto',
  caregiverToFindThenPlace: 'ningún progenitor disponible (fallecido o adverso): hay que encontrar y evaluar a otra persona cuidadora y luego decidir la colocación',
  caregiverToFind: 'ningún progenitor disponible (fallecido o adverso): hay que encontrar y evaluar a otra persona cuidadora',
  caregiverToAssess: 'ningún progenitor disponible: evaluar como persona cuidadora a {{candidates}} (evaluación de seguridad)',
  placementDecision: 'ningún progenitor disponible: hay que decidir la colocación (evaluación hecha: {{assessed}})',
  documentRequested: '{{document}} pendiente de obtener (solicitud en curso)',
  documentExpired: '{{document}} con vigencia vencida',
  awaitingApostille: '{{document}} en espera de apostilla',
  awaitingTranslation: '{{document}} en espera de traducción certificada',
  awaitingService: '{{document}} en espera de notificación',
  arrivalUnknown: 'fecha de llegada desconocida: no se puede calcular el plazo de un año para el asilo',
  deadlinePassedOn: '{{deadline}} pasó el {{on}}',
  deadlineToday: '{{deadline}} hoy',
  deadlineInDays: { one: '{{deadline}} en {{count}} día', other: '{{deadline}} en {{count}} días' },
  deadlinePassed: '{{deadline}} ya pasó',
  deadlineThisMonth: '{{deadline}} este mes',
  deadlineNextMonth: '{{deadline}} el mes próximo',
  deadlineInMonths: '{{deadline}} en {{count}} meses',
  identityNotVerified: '{{who}}: identidad no verificada',
  relationshipNotVerified: '{{who}}: parentesco no verificado',
  safetyUnsafe: '{{who}}: evaluación de seguridad desfavorable (UNSAFE)',
  redFlags: { one: '{{count}} alerta abierta', other: '{{count}} alertas abiertas' },
  oneChild: 'menor {{number}}: {{text}}',
  someChildren: 'menores {{numbers}} y {{last}}: {{text}}',
};

/** The sentences of each language, by key: for the tests, which compare them. */
export const BLOCKER_SENTENCES: Readonly<Record<Language, Readonly<Record<BlockerKey, Sentence>>>> = { en: SENTENCES_EN, es: SENTENCES_ES };

/** The API's English words for a code: lower case, spaces for underscores ("other caregiver"). */
const words = (code: string): string => code.toLowerCase().replaceAll('_', ' ');
const englishWords = <C extends string>(codes: readonly C[]): Record<C, string> => Object.fromEntries(codes.map((code) => [code, words(code)])) as Record<C, string>;

type Vocabulary = {
  readonly relationship: Readonly<Record<Relationship, string>>;
  readonly document: Readonly<Record<DocumentType, string>>;
  readonly deadline: Readonly<Record<DeadlineKind, string>>;
  readonly or: string;
  readonly status: Readonly<Record<ReunificationStatus, string>>;
};

export const VOCABULARY: Readonly<Record<Language, Vocabulary>> = {
  en: {
    relationship: englishWords(RELATIONSHIPS),
    document: englishWords(DOCUMENT_TYPES),
    deadline: { SIJ_AGE_OUT: 'SIJ age-out', ASYLUM_ONE_YEAR: 'asylum one-year filing deadline', HEARING: 'hearing', RESPONSE_WINDOW: 'response window', OTHER: 'deadline' },
    or: 'or',
    status: {
      INTAKE: 'Intake', SEARCHING: 'Searching', IN_CONTACT: 'In contact', LEGAL_PROCESS: 'Legal process', READY_TO_REUNIFY: 'Ready to reunify',
      REUNIFIED: 'Reunified', CLOSED: 'Closed',
    },
  },
  es: {
    relationship: {
      MOTHER: 'madre', FATHER: 'padre', STEPFATHER: 'padrastro', STEPMOTHER: 'madrastra', AUNT: 'tía', UNCLE: 'tío', GRANDPARENT: 'abuelo o abuela',
      SIBLING: 'hermano o hermana', OTHER_CAREGIVER: 'otra persona cuidadora',
    },
    document: {
      BIRTH_CERTIFICATE: 'acta de nacimiento', ADOPTION_RECORD: 'registro de adopción', CUSTODY_ORDER: 'orden de custodia',
      COUNTRY_CONDITIONS_REPORT: 'informe sobre las condiciones del país', PASSPORT: 'pasaporte', IDENTITY_DOCUMENT: 'documento de identidad',
      COURT_PAPERS: 'documentos judiciales', OTHER: 'otro documento',
    },
    deadline: {
      SIJ_AGE_OUT: 'límite de edad para SIJ', ASYLUM_ONE_YEAR: 'plazo de un año para pedir asilo', HEARING: 'audiencia', RESPONSE_WINDOW: 'plazo de respuesta',
      OTHER: 'plazo',
    },
    or: 'o',
    status: {
      // Words that agree with a family and a child alike (the web app shows the same: infra/web/src/i18n.ts).
      INTAKE: 'Admisión', SEARCHING: 'En búsqueda', IN_CONTACT: 'En contacto', LEGAL_PROCESS: 'Proceso legal', READY_TO_REUNIFY: 'A punto de reunificar',
      REUNIFIED: 'Reunificación hecha', CLOSED: 'Caso cerrado',
    },
  },
};

/** i18next's resources: a sentence with a plural becomes `key_one` and `key_other`. */
const resourcesOf = (sentences: Readonly<Record<BlockerKey, Sentence>>): Record<string, string> =>
  Object.fromEntries(Object.entries(sentences).flatMap(([key, sentence]) =>
    (typeof sentence === 'string' ? [[key, sentence]] : [[`${key}_one`, sentence.one], [`${key}_other`, sentence.other]])));

// One instance, resources in code; interpolation unescaped (the API returns text, not HTML) and
// never nested (a value is never read as a template).
const translator = i18next.createInstance();
void translator.init({
  resources: { en: { translation: resourcesOf(SENTENCES_EN) }, es: { translation: resourcesOf(SENTENCES_ES) } },
  lng: 'en',
  fallbackLng: false,
  initAsync: false,
  interpolation: { escapeValue: false, skipOnVariables: true },
  returnNull: false,
});
const fixed: Record<Language, TFunction> = { en: translator.getFixedT('en'), es: translator.getFixedT('es') };

/** A blocker before it is worded. */
export interface BlockerMessage {
  readonly key: BlockerKey;
  readonly values?: Readonly<Record<string, BlockerValue>>;
}

const worded = (value: BlockerValue, vocabulary: Vocabulary): string | number => {
  if (typeof value === 'string' || typeof value === 'number') return value;
  if ('relationship' in value) return vocabulary.relationship[value.relationship];
  if ('relationships' in value) return value.relationships.map((r) => vocabulary.relationship[r]).join(` ${vocabulary.or} `);
  if ('document' in value) return vocabulary.document[value.document];
  return vocabulary.deadline[value.deadline];
};

/** A blocker in the reader's language. */
export const wordBlocker = (message: BlockerMessage, language: Language): string => {
  const vocabulary = VOCABULARY[language];
  const values = Object.fromEntries(Object.entries(message.values ?? {}).map(([name, value]) => [name, worded(value, vocabulary)]));
  return fixed[language](message.key, values);
};

/** A status as a person reads it ("Ready to reunify", "A punto de reunificar"). */
export const statusLabel = (status: ReunificationStatus, language: Language): string => VOCABULARY[language].status[status];

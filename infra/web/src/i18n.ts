import i18next from 'i18next';

/**
 * English and Spanish. The language is remembered per browser (localStorage holds the
 * language only); dates follow it (Intl). Enum values and event types have their own labels
 * where translated, else they are shown in words ("NO_ANSWER" as "no answer").
 */
const LANGUAGE = 'tracker.language';

const en = {
  appName: 'Family reunification tracker',
  skip: 'Skip to content',
  language: 'Language',
  signIn: { title: 'Sign in', key: 'API key', help: 'Your organisation gives you an API key. It is kept in this browser tab only, until you sign out or close the tab.', submit: 'Sign in', wrong: 'This key is not accepted (unknown or revoked).', unavailable: 'The tracker is not ready yet; try again in a moment.' },
  signOut: 'Sign out',
  signedInAs: 'Signed in: {{org}} ({{role}})',
  nav: { home: 'Families', newCase: 'Open a case', graphiql: 'GraphiQL' },
  home: {
    title: 'Families', counts: 'Families by status', deadlines: 'Deadlines in the next 60 days', noDeadlines: 'No open deadline in the next 60 days.',
    noFamilies: 'No family matches.', filters: 'Filters', status: 'Status', any: 'Any', within: 'Next deadline within (days)', programme: 'Programme',
    facility: 'Facility', assigned: 'Assigned to us', apply: 'Apply', shown: '{{count}} families shown of {{total}}', nextDeadline: 'Next deadline', blockers: 'Blockers', children: 'Children',
  },
  search: { label: 'Search names, identifiers, phone numbers', submit: 'Search', none: 'Nothing found.', results: 'Search results', matched: 'matched on', unavailable: 'Search is not available on this server yet.' },
  family: {
    back: 'Back to families', status: 'Status', scope: 'What you may see', children: 'Children', relatives: 'Relatives', deadlines: 'Deadlines', documents: 'Documents',
    tracing: 'Tracing', legal: 'Legal matters', referrals: 'Referrals and access', timeline: 'Timeline', blockers: 'Blockers', none: 'None', live: 'Live updates on',
    steps: 'Record a step', choose: 'Choose a step', readOnly: 'Your organisation can read this family but not record steps.', notFound: 'This family does not exist or you may not see it.',
    daysLeft: '{{count}} days left', daysAgo: '{{count}} days ago', monthsLeft: 'in {{count}} months', custody: 'custody', placement: 'placement', born: 'born', nationality: 'nationality',
    location: 'location', locatedIn: 'located in', since: 'not located since', adverse: 'adverse: never disclose to', attempts: 'Contact attempts', by: 'by',
    phone: 'phone', lastAttempt: 'last contact attempt', basis: 'computed from',
  },
  withheld: 'withheld',
  withheldHelp: 'Withheld: your scope on this family does not show it.',
  form: { submit: 'Record', sending: 'Recording…', done: 'Recorded.', replayed: 'Already recorded (nothing was recorded twice).', fix: 'Check the fields marked below.', optional: 'optional', occurredAt: 'When it happened', listHelp: 'separate with commas', cancel: 'Close' },
  scope: { FULL: 'full', DOCUMENTS: 'documents', STATUS: 'status only' },
  loading: 'Loading…',
  error: 'Something went wrong: {{message}}',
};

type Resource = typeof en;

const es: Resource = {
  appName: 'Seguimiento de reunificación familiar',
  skip: 'Saltar al contenido',
  language: 'Idioma',
  signIn: { title: 'Iniciar sesión', key: 'Clave de API', help: 'Su organización le da una clave de API. Se guarda solo en esta pestaña del navegador, hasta que cierre la sesión o la pestaña.', submit: 'Entrar', wrong: 'Esta clave no se acepta (desconocida o revocada).', unavailable: 'El sistema aún no está listo; inténtelo de nuevo en un momento.' },
  signOut: 'Cerrar sesión',
  signedInAs: 'Sesión: {{org}} ({{role}})',
  nav: { home: 'Familias', newCase: 'Abrir un caso', graphiql: 'GraphiQL' },
  home: {
    title: 'Familias', counts: 'Familias por estado', deadlines: 'Plazos de los próximos 60 días', noDeadlines: 'Ningún plazo abierto en los próximos 60 días.',
    noFamilies: 'Ninguna familia coincide.', filters: 'Filtros', status: 'Estado', any: 'Cualquiera', within: 'Próximo plazo en (días)', programme: 'Programa',
    facility: 'Centro', assigned: 'Asignadas a nosotros', apply: 'Aplicar', shown: '{{count}} familias de {{total}}', nextDeadline: 'Próximo plazo', blockers: 'Obstáculos', children: 'Niñas y niños',
  },
  search: { label: 'Buscar nombres, identificadores, teléfonos', submit: 'Buscar', none: 'No se encontró nada.', results: 'Resultados', matched: 'coincide por', unavailable: 'La búsqueda aún no está disponible en este servidor.' },
  family: {
    back: 'Volver a las familias', status: 'Estado', scope: 'Lo que usted puede ver', children: 'Niñas y niños', relatives: 'Familiares', deadlines: 'Plazos', documents: 'Documentos',
    tracing: 'Búsqueda', legal: 'Asuntos legales', referrals: 'Derivaciones y acceso', timeline: 'Cronología', blockers: 'Obstáculos', none: 'Ninguno', live: 'Actualización en vivo',
    steps: 'Registrar un paso', choose: 'Elija un paso', readOnly: 'Su organización puede leer esta familia pero no registrar pasos.', notFound: 'Esta familia no existe o usted no puede verla.',
    daysLeft: 'quedan {{count}} días', daysAgo: 'hace {{count}} días', monthsLeft: 'en {{count}} meses', custody: 'custodia', placement: 'ubicación', born: 'nacimiento', nationality: 'nacionalidad',
    location: 'localización', locatedIn: 'localizado en', since: 'sin localizar desde', adverse: 'adverso: nunca revelar a', attempts: 'Intentos de contacto', by: 'por',
    phone: 'teléfono', lastAttempt: 'último intento de contacto', basis: 'calculado a partir de',
  },
  withheld: 'reservado',
  withheldHelp: 'Reservado: su alcance en esta familia no lo muestra.',
  form: { submit: 'Registrar', sending: 'Registrando…', done: 'Registrado.', replayed: 'Ya estaba registrado (nada se registró dos veces).', fix: 'Revise los campos marcados abajo.', optional: 'opcional', occurredAt: 'Cuándo ocurrió', listHelp: 'separe con comas', cancel: 'Cerrar' },
  scope: { FULL: 'completo', DOCUMENTS: 'documentos', STATUS: 'solo el estado' },
  loading: 'Cargando…',
  error: 'Algo salió mal: {{message}}',
};

/** Spanish words for enum values and field names; English falls back to the words of the name. */
const ES_WORDS: Record<string, string> = {
  // Statuses as the API's statusLabel(language: "es") words them (services/family/labels.ts).
  INTAKE: 'Admisión', SEARCHING: 'En búsqueda', IN_CONTACT: 'En contacto', LEGAL_PROCESS: 'Proceso legal', READY_TO_REUNIFY: 'A punto de reunificar', REUNIFIED: 'Reunificación hecha', CLOSED: 'Caso cerrado',
  PHONE: 'teléfono', WHATSAPP: 'WhatsApp', IN_PERSON: 'en persona', CONSULATE: 'consulado', PARTNER_NGO: 'ONG aliada', OTHER: 'otro',
  NO_ANSWER: 'sin respuesta', WRONG_NUMBER: 'número equivocado', REACHED: 'contactado', MOTHER: 'madre', FATHER: 'padre', AUNT: 'tía', STEPFATHER: 'padrastro',
  TRACING: 'en búsqueda', LOCATED: 'localizado', UNREACHABLE: 'inalcanzable', DECEASED: 'fallecido', NOT_SOUGHT: 'no buscado', REQUESTED: 'solicitado', OBTAINED: 'obtenido', FILED: 'presentado', EXPIRED: 'vencido',
  OPEN: 'abierto', MET: 'cumplido', MISSED: 'incumplido', PENDING: 'pendiente', ACCEPTED: 'aceptada', DECLINED: 'rechazada',
  relativeId: 'familiar', childId: 'niña o niño', documentId: 'documento', matterId: 'asunto legal', referralId: 'derivación', channel: 'canal', result: 'resultado',
  givenName: 'nombre', familyName: 'apellido', birthDate: 'fecha de nacimiento', nationality: 'nacionalidad', relationship: 'parentesco', country: 'país', method: 'método',
  recordContactAttempt: 'Intento de contacto', registerChild: 'Registrar niña o niño', addRelative: 'Añadir familiar', openFamilyCase: 'Abrir un caso', startTracing: 'Iniciar búsqueda',
  recordLead: 'Pista', recordParentLocated: 'Familiar localizado', recordContactEstablished: 'Contacto establecido', requestDocument: 'Solicitar documento',
  recordDocumentObtained: 'Documento obtenido', recordDocumentApostilled: 'Documento apostillado', recordDocumentTranslated: 'Documento traducido', recordDocumentServed: 'Documento notificado',
  recordDocumentSigned: 'Documento firmado', recordDocumentFiled: 'Documento presentado', openLegalMatter: 'Abrir asunto legal', scheduleHearing: 'Audiencia', recordCourtOrder: 'Orden judicial',
  referFamily: 'Derivar', acceptReferral: 'Aceptar derivación', declineReferral: 'Rechazar derivación', transferFamily: 'Transferir', acceptTransfer: 'Aceptar transferencia', declineTransfer: 'Rechazar transferencia',
};

/** "NO_ANSWER" / "recordContactAttempt" / "ContactAttemptRecorded" in words of the current language. */
export const words = (name: string): string => {
  if (i18next.language === 'es' && ES_WORDS[name]) return ES_WORDS[name];
  const spaced = name.includes('_') ? name.toLowerCase().replace(/_/g, ' ') : name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/Id$/, '').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
};

export const LANGUAGES = ['en', 'es'] as const;

export const initI18n = async (): Promise<void> => {
  const stored = localStorage.getItem(LANGUAGE);
  const preferred = stored ?? (navigator.language.startsWith('es') ? 'es' : 'en');
  await i18next.init({ lng: preferred, fallbackLng: 'en', resources: { en: { translation: en }, es: { translation: es } }, interpolation: { escapeValue: false } });
  document.documentElement.lang = i18next.language;
};

export const setLanguage = async (language: string): Promise<void> => {
  localStorage.setItem(LANGUAGE, language);
  await i18next.changeLanguage(language);
  document.documentElement.lang = language;
};

export const t = (key: string, options?: Record<string, unknown>): string => i18next.t(key, options ?? {});

/** The UI's language, as the API's `language` arguments take it (blockers and status labels in it). */
export const currentLanguage = (): string => (i18next.language === 'es' ? 'es' : 'en');

/**
 * A server error as the user reads it. English: the server's message (it names the field and the
 * rule). Spanish: a sentence per stable code (`extensions.code`), naming the field
 * (`extensions.field`) in Spanish words where the server gave one; an unknown code keeps the
 * server's message.
 */
const ES_ERRORS: Record<string, string> = {
  BAD_USER_INPUT: 'Un dato no es válido; revíselo y vuelva a intentarlo.',
  BAD_USER_INPUT_FIELD: 'El campo «{{field}}» no es válido; revíselo y vuelva a intentarlo.',
  NOT_FOUND: 'No existe o usted no puede verlo.',
  NOT_FOUND_FIELD: '«{{field}}»: no existe o usted no puede verlo.',
  FORBIDDEN: 'Su organización no puede hacer esto en esta familia.',
  INVALID_TRANSITION: 'Este paso no es posible en el estado actual del caso.',
  CONFLICT: 'Alguien cambió esta familia mientras tanto; vuelva a cargarla e inténtelo de nuevo.',
  IDEMPOTENCY_KEY_REUSED: 'Este formulario ya se envió con otros datos; ábralo de nuevo.',
  UNAVAILABLE: 'El sistema no puede responder ahora; inténtelo de nuevo en un momento.',
  RATE_LIMITED: 'Demasiadas solicitudes; espere un momento e inténtelo de nuevo.',
  UNAUTHENTICATED: 'Su clave ya no se acepta; inicie sesión de nuevo.',
  QUERY_TOO_COMPLEX: 'La consulta es demasiado grande.',
  INTERNAL_SERVER_ERROR: 'Algo salió mal en el servidor.',
};

/**
 * Codes whose message names the rule broken or the step's missing condition (each differs by
 * reason): in Spanish the server's reason follows the sentence, in the server's words (it never
 * repeats what was sent), so a Defender can tell what to correct. The others say all there is.
 */
const REASON_MATTERS = new Set(['BAD_USER_INPUT', 'INVALID_TRANSITION', 'FORBIDDEN', 'LEGAL_HOLD']);

export const errorText = (error: { readonly message: string; readonly extensions?: { readonly code?: string; readonly field?: string } }): string => {
  const code = error.extensions?.code;
  if (i18next.language !== 'es' || !code) return error.message;
  const field = error.extensions?.field?.split('.').pop();
  const sentence = (field && ES_ERRORS[`${code}_FIELD`]) || ES_ERRORS[code];
  if (!sentence) return error.message;
  const worded = sentence.replace('{{field}}', field ? words(field) : '');
  return REASON_MATTERS.has(code) ? `${worded} Motivo (en inglés): ${error.message}` : worded;
};

/** A date (YYYY-MM-DD) or instant in the user's language. */
export const formatDate = (value: string | null | undefined): string => {
  if (!value) return '';
  const date = value.length === 10 ? new Date(`${value}T00:00:00Z`) : new Date(value);
  return new Intl.DateTimeFormat(i18next.language, { dateStyle: 'medium', ...(value.length === 10 ? { timeZone: 'UTC' } : { timeStyle: 'short' }) }).format(date);
};

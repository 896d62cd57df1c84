import i18next, { type TFunction } from 'i18next';
import { WITHHELD_EVENT, type DisclosureContext } from '../families/allowlist.js';
import { historyEventView, type StoredFamilyEvent } from '../families/history-redaction.js';
import { codeInWords } from '../../services/family/code-words.js';
import { EN, ERASED_WORD, ES, WITHHELD_EVENT_SENTENCE, WITHHELD_WORD } from './sentences.js';

export type TimelineLanguage = 'en' | 'es';
export const TIMELINE_LANGUAGES: readonly TimelineLanguage[] = ['en', 'es'];

/**
 * The timeline's sentences through i18next (one instance, resources in code: sentences.ts).
 * `{{field}}` placeholders take the event's data after history redaction, never the stored data,
 * so a sentence shows exactly what `familyHistory` shows the reader; a field withheld from the
 * scope reads "withheld" / "reservado". Interpolation escaping is off: the API returns text,
 * not HTML.
 */
const translator = i18next.createInstance();
void translator.init({
  resources: {
    en: { translation: { ...EN, withheld: WITHHELD_WORD.en, erased: ERASED_WORD.en } },
    es: { translation: { ...ES, withheld: WITHHELD_WORD.es, erased: ERASED_WORD.es } },
  },
  lng: 'en',
  fallbackLng: 'en',
  initAsync: false,
  interpolation: { escapeValue: false, skipOnVariables: true },
  returnNull: false,
});
const fixed: Record<TimelineLanguage, TFunction> = { en: translator.getFixedT('en'), es: translator.getFixedT('es') };

/** The language asked for (an argument, else the Accept-Language header's first supported one), English by default. */
export const timelineLanguage = (argument: string | null | undefined, acceptLanguage: string | null | undefined): TimelineLanguage => {
  const wanted = argument ? [argument] : (acceptLanguage ?? '').split(',').map((part) => part.split(';')[0]?.trim() ?? '');
  for (const tag of wanted) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'en' || base === 'es') return base;
  }
  return 'en';
};

const PLACEHOLDER = /\{\{([\w.]+)\}\}/g;

/** The placeholders of a sentence, e.g. `childId`, `personal.givenName`. */
export const placeholdersOf = (sentence: string): string[] => [...sentence.matchAll(PLACEHOLDER)].map((match) => match[1] as string);

const valueAt = (data: Readonly<Record<string, unknown>>, path: string): unknown =>
  path.split('.').reduce<unknown>((value, key) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), data);

const shown = (value: unknown): string | undefined =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : Array.isArray(value) ? value.join(', ') : undefined;

/** One event as a sentence a person reads, in the language asked for, from what the reader's scope shows of it. */
export const timelineEntry = (event: StoredFamilyEvent, context: DisclosureContext, language: TimelineLanguage) => {
  const view = historyEventView(event, context);
  const data = (view.data ?? {}) as Readonly<Record<string, unknown>>;
  const t = fixed[language];
  const withheld = t('withheld');
  // The person's key was destroyed: their personal fields read "erased", not "withheld".
  const erased = (data['personal'] as { erased?: unknown } | undefined)?.erased === true;
  const missing = (path: string): string => (erased && path.startsWith('personal.') ? t('erased') : withheld);
  const template = language === 'es' ? ES : EN;
  // The type as history shows it: an event withheld from the scope keeps its placeholder type here too.
  const type = view.type ?? WITHHELD_EVENT;
  const sentenceOf = Object.hasOwn(template, type) ? template[type as keyof typeof EN] : undefined;
  const valueOf = (path: string): string => {
    const value = shown(valueAt(data, path));
    // A vocabulary code in the reader's words; ids and what a person typed (under `personal`) as they are.
    if (value !== undefined) return path.startsWith('personal.') || /Ids?$/.test(path) ? value : codeInWords(value, language);
    // A field a later event version moved under `personal` (an age-out's dates, version 5) reads from there.
    const moved = `personal.${path}`;
    return !path.includes('.') && !Object.hasOwn(data, path) && data['personal'] !== undefined ? (shown(valueAt(data, moved)) ?? missing(moved)) : missing(path);
  };
  const values = Object.fromEntries((sentenceOf ? placeholdersOf(sentenceOf) : []).map((path) => [path, valueOf(path)]));
  // i18next reads dotted names as nested objects: pass `personal.givenName` under `personal`.
  const nested: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(values)) {
    const [head, ...rest] = path.split('.');
    if (rest.length === 0) nested[head as string] = value;
    else nested[head as string] = { ...((nested[head as string]) ?? {}), [rest.join('.')]: value };
  }
  const sentence = sentenceOf ? t(type, nested) : WITHHELD_EVENT_SENTENCE[language];
  const actor = view.actor as { organizationId?: unknown } | undefined;
  const occurredAt = typeof view.occurredAt === 'string' ? view.occurredAt : undefined;
  return {
    revision: event.revision,
    type,
    occurredOn: occurredAt?.slice(0, 10) ?? null,
    recordedByOrganizationId: typeof actor?.organizationId === 'string' ? actor.organizationId : null,
    sentence,
    language,
  };
};

import { describe, expect, it } from 'vitest';
import { EVENT_ALLOWLIST } from '../../../projections/families/allowlist.js';
import { disclosureContext } from '../../../projections/families/disclose.js';
import { EN, ES } from '../../../projections/timeline/sentences.js';
import { placeholdersOf, timelineEntry, timelineLanguage } from '../../../projections/timeline/timeline.js';
import { initialFamilyState } from '../../../services/family/state.js';

/** Every family event type has a sentence in both languages, naming only fields the event has. */
const EVENT_TYPES = Object.keys(EVENT_ALLOWLIST);

describe('the timeline sentences', () => {
  it('exist for every event type in English and Spanish, and for nothing else', () => {
    for (const [language, sentences] of [['en', EN], ['es', ES]] as const) {
      const missing = EVENT_TYPES.filter((type) => !Object.hasOwn(sentences, type) || (sentences as Record<string, string>)[type]?.trim() === '');
      expect(missing, `event types without a ${language} sentence`).toEqual([]);
      expect(Object.keys(sentences).filter((type) => !EVENT_TYPES.includes(type)), `${language} sentences of no event type`).toEqual([]);
    }
  });

  it('name only fields of the event (from the allowlist, which lists every field), the same in both languages', () => {
    for (const type of EVENT_TYPES) {
      const rules = (EVENT_ALLOWLIST as unknown as Record<string, Record<string, unknown>>)[type] ?? {};
      const fields = Object.entries(rules).flatMap(([field, rule]) => (field === 'personal' ? Object.keys(rule as object).map((inner) => `personal.${inner}`) : [field]));
      for (const sentences of [EN, ES]) {
        const unknown = placeholdersOf((sentences as Record<string, string>)[type] ?? '').filter((path) => !fields.includes(path));
        expect(unknown, type).toEqual([]);
      }
      expect(placeholdersOf((ES as Record<string, string>)[type] ?? '').sort(), type).toEqual(placeholdersOf((EN as Record<string, string>)[type] ?? '').sort());
    }
  });

  it('renders what the scope shows: a name at FULL, "withheld" / "reservado" at STATUS with the generated id', () => {
    const state = { ...initialFamilyState, exists: true, children: new Map([['c1', {} as never]]) };
    const event = {
      revision: 1, position: '2', type: 'ChildRegistered',
      data: { childId: 'c1', nationality: 'HN', languages: [], needsInterpreter: false, birthDateEstimated: false, ageReviewRequired: false, personal: { subjectId: 'c1', givenName: 'Ana', birthDate: '2010-01-01' } },
      metadata: { occurredAt: '2024-01-01T10:00:00.000Z', actor: { organizationId: 'org-a', userId: 'u', role: 'ADVOCATE' } },
    };
    expect(timelineEntry(event, disclosureContext(state, 'FULL'), 'en')).toMatchObject({ sentence: 'Registered child c1 (Ana), nationality HN.', occurredOn: '2024-01-01', recordedByOrganizationId: 'org-a' });
    expect(timelineEntry(event, disclosureContext(state, 'STATUS'), 'es').sentence).toBe('Registró al niño o niña child#1 (reservado), nacionalidad HN.');
    expect(timelineEntry(event, disclosureContext(state, 'STATUS'), 'en').sentence).not.toContain('Ana');
  });

  it('takes the language from the argument, else the first supported Accept-Language, else English', () => {
    expect(timelineLanguage('es', 'en-US')).toBe('es');
    expect(timelineLanguage(null, 'fr-FR, es-MX;q=0.8, en;q=0.5')).toBe('es');
    expect(timelineLanguage(undefined, 'de')).toBe('en');
    expect(timelineLanguage(undefined, undefined)).toBe('en');
  });
});

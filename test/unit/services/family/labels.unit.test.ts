import { describe, expect, it } from 'vitest';
import { BLOCKER_SENTENCES, LANGUAGES, statusLabel, VOCABULARY, wordBlocker, type BlockerKey } from '../../../../services/family/labels.js';
import { blockers, childBlockers, REUNIFICATION_STATUSES } from '../../../../services/family/status.js';
import { DEADLINE_KINDS, DOCUMENT_TYPES, RELATIONSHIPS } from '../../../../services/family/vocabulary.js';
import { childRegistered, date, documentRequested, event, given, opened, relativeAdded, suspended, tracingStarted } from '../../../support/family-fixtures.js';

/**
 * Blockers and status labels in English and Spanish (issue 15, item 3): every sentence, status and
 * word has its Spanish text, with the same placeholders as the English one; English is what the
 * API always answered.
 */
const KEYS = Object.keys(BLOCKER_SENTENCES.en) as BlockerKey[];
const PLACEHOLDER = /\{\{(\w+)\}\}/g;
const formsOf = (sentence: string | { one: string; other: string }): string[] => (typeof sentence === 'string' ? [sentence] : [sentence.one, sentence.other]);
const placeholders = (sentence: string | { one: string; other: string }): string[] =>
  [...new Set(formsOf(sentence).flatMap((form) => [...form.matchAll(PLACEHOLDER)].map((match) => match[1]!)))].sort();

describe('blocker sentences', () => {
  it('every sentence has Spanish text, not the English one, with the same placeholders and plural forms', () => {
    expect(Object.keys(BLOCKER_SENTENCES.es).sort()).toEqual([...KEYS].sort());
    for (const key of KEYS) {
      const [en, es] = [BLOCKER_SENTENCES.en[key], BLOCKER_SENTENCES.es[key]];
      for (const form of formsOf(es)) expect(form.trim(), key).not.toBe('');
      expect(formsOf(es), key).not.toEqual(formsOf(en));
      expect(typeof es, `${key}: plural forms in both languages or neither`).toBe(typeof en);
      expect(placeholders(es), key).toEqual(placeholders(en));
    }
  });

  it('every status, relationship, document type and deadline kind has a word in each language', () => {
    for (const language of LANGUAGES) {
      const words = VOCABULARY[language];
      for (const status of REUNIFICATION_STATUSES) expect(statusLabel(status, language).trim(), `${language} ${status}`).not.toBe('');
      for (const code of RELATIONSHIPS) expect(words.relationship[code]?.trim(), `${language} ${code}`).toBeTruthy();
      for (const code of DOCUMENT_TYPES) expect(words.document[code]?.trim(), `${language} ${code}`).toBeTruthy();
      for (const code of DEADLINE_KINDS) expect(words.deadline[code]?.trim(), `${language} ${code}`).toBeTruthy();
    }
    expect(REUNIFICATION_STATUSES.filter((status) => statusLabel(status, 'es') === statusLabel(status, 'en'))).toEqual([]);
  });

  it('every sentence is worded whole in each language: no placeholder or key left', () => {
    const values = { who: { relationship: 'AUNT' as const }, since: '2024-01-10', on: '2024-02-01', candidates: { relationships: ['AUNT', 'UNCLE'] as const },
      assessed: { relationships: ['AUNT'] as const }, document: { document: 'PASSPORT' as const }, deadline: { deadline: 'HEARING' as const },
      count: 2, number: '2', numbers: '1, 2', last: '3', text: 'x' };
    for (const language of LANGUAGES) {
      for (const key of KEYS) {
        const worded = wordBlocker({ key, values }, language);
        expect(worded, `${language} ${key}`).not.toMatch(/\{\{|\}\}/);
        expect(worded, `${language} ${key}`).not.toBe(key);
      }
    }
  });
});

describe('blockers in a language', () => {
  const state = given(opened, childRegistered('child-1'), childRegistered('child-2'), relativeAdded('father-1', 'FATHER'), tracingStarted('father-1', '2024-01-10'),
    event('RelationshipRecorded', { relativeId: 'father-1', childId: 'child-2', relationship: 'FATHER', biological: true }), documentRequested('doc-1'), suspended);
  const today = date('2024-06-01');

  it('English without a language, as the API always answered', () => {
    expect(blockers(state, today)).toEqual([
      "service suspended by a funder's stop-work order",
      'child 2: father not located since 2024-01-10',
      'birth certificate requested, not yet obtained',
    ]);
    expect(blockers(state, today, { language: 'en' })).toEqual(blockers(state, today));
  });

  it('Spanish with the same facts, children by number, never a name', () => {
    expect(blockers(state, today, { language: 'es' })).toEqual([
      'servicio suspendido por una orden de suspensión (stop-work) de un financiador',
      'menor 2: padre sin localizar desde 2024-01-10',
      'acta de nacimiento pendiente de obtener (solicitud en curso)',
    ]);
    expect(childBlockers(state, 'child-2', today, { language: 'es' })).toContain('padre sin localizar desde 2024-01-10');
    expect(JSON.stringify(blockers(state, today, { language: 'es' }))).not.toContain('Canary');
  });
});

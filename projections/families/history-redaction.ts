import type { FamilyRow } from './family-read-model.js';
import type { FamilyState } from '../../services/family/state.js';
import { DOCUMENTS, FULL } from './redaction.js';

/** The personal fields shown from DOCUMENTS scope up; every other personal field is FULL only. */
const NAMES_AND_DATES = new Set(['subjectId', 'givenName', 'familyName', 'birthDate']);
/** Where a person is or goes: shown at FULL scope only. */
const WHEREABOUTS = new Set(['country', 'region', 'placement']);
/** Free text an advocate typed, which may tell a story: not shown at STATUS scope. */
const FREE_TEXT = new Set(['purpose', 'reason']);
/** Event types whose `reason` is a code, not free text. */
const CODED_REASON = new Set(['FamilyCaseClosed']);
/** Fields that name the person an event is about. */
const PERSON_KEYS = ['relativeId', 'personId', 'servedPersonId', 'signedByPersonId', 'releasedToRelativeId'];

type Data = { readonly [key: string]: unknown };

const adverseIds = (state: FamilyState): Set<string> =>
  new Set([...state.relatives.values()].filter((relative) => relative.adverse).map((relative) => relative.relativeId));

const concernsAdverse = (data: Data, adverse: ReadonlySet<string>): boolean =>
  PERSON_KEYS.some((key) => adverse.has(data[key] as string)) ||
  adverse.has((data['personal'] as { subjectId?: string } | undefined)?.subjectId ?? '');

/** The personal fields shown at this scope (names and dates from DOCUMENTS up); the rest are named as redacted. */
const splitPersonal = (personal: Data, scope: number): { kept: Data | undefined; redacted: string[] } => {
  const entries = Object.entries(personal).filter(([key]) => key !== 'subjectId');
  const shown = scope >= DOCUMENTS ? entries.filter(([key]) => NAMES_AND_DATES.has(key)) : [];
  return {
    kept: shown.length > 0 ? Object.fromEntries([['subjectId', personal['subjectId']], ...shown]) : undefined,
    redacted: entries.filter((entry) => !shown.includes(entry)).map(([key]) => `personal.${key}`),
  };
};

const hiddenAt = (type: string, key: string, scope: number): boolean =>
  (WHEREABOUTS.has(key) && scope < FULL) || (FREE_TEXT.has(key) && scope < DOCUMENTS && !(key === 'reason' && CODED_REASON.has(type)));

/**
 * An event's data as the caller may see it, by the same scopes as the live family
 * (redaction.ts): FULL sees everything; DOCUMENTS sees names and birth dates but no place or
 * country where anyone is, and nothing about a relative marked "never disclose to"; STATUS sees
 * no personal data, no places and no free text. Fields left out are named in `redacted`.
 */
export const redactEventData = (type: string, data: Data, row: FamilyRow, state: FamilyState): Data => {
  const scope = row.viewer_scope;
  if (scope >= FULL) return data;
  if (concernsAdverse(data, adverseIds(state))) return { redacted: Object.keys(data) };
  const shown: Record<string, unknown> = {};
  const redacted: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (key === 'personal') {
      const personal = splitPersonal(value as Data, scope);
      if (personal.kept) shown[key] = personal.kept;
      redacted.push(...personal.redacted);
    } else if (hiddenAt(type, key, scope)) {
      redacted.push(key);
    } else {
      shown[key] = value;
    }
  }
  return redacted.length > 0 ? { ...shown, redacted } : shown;
};

/** Does the caller see any personal data of this event (for the access log)? */
export const showsPersonalData = (shown: Data): boolean => shown['personal'] !== undefined;

import type { FamilyState } from './state.js';
import type { AccessScope } from './vocabulary.js';

/**
 * Which people of a family are hidden from a scope: the one rule, used by the read side
 * (views, history, exports: withheld entirely) and by the write-side access policy (a command
 * about a hidden person is NOT_FOUND, exactly like an unknown person id).
 *
 * Below FULL, a person is hidden when they are an adverse relative, or named in any protection
 * concern's "never disclose to" list. FULL (and the lead organisation) sees everyone. Pure: a
 * function of the folded state and the scope only; a person once hidden stays hidden (neither
 * flag is ever cleared by an event).
 */
export const hiddenPersonIds = (state: FamilyState, scope: AccessScope): ReadonlySet<string> => {
  if (scope === 'FULL') return new Set();
  const adverse = [...state.relatives.values()].filter((relative) => relative.adverse).map((relative) => relative.relativeId);
  return new Set([...adverse, ...state.neverDiscloseTo]);
};

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

const without = <K, V>(map: ReadonlyMap<K, V>, keep: (value: V, key: K) => boolean): ReadonlyMap<K, V> => {
  const kept = [...map].filter(([key, value]) => keep(value, key));
  return kept.length === map.size ? map : new Map(kept);
};

/**
 * The family as a reader (or writer) at `scope` may know it: the people hidden from that scope
 * are not in it, nor anything recorded about them (documents, red flags, safety overrides,
 * verifications about them; their place in other relatives' records). Every figure derived from
 * this state (status per child and family, blockers, counts, generated ids) therefore says
 * nothing of a hidden person: the family is as if they had never been recorded. The lead's
 * view (FULL) is the state itself.
 *
 * Limit: children are never hidden (a "never disclose to" list names relatives); the number of
 * events (revision) is not a fact of this state and stays visible to every scope.
 */
export const familySeenAt = (state: FamilyState, scope: AccessScope, hidden: ReadonlySet<string> = hiddenPersonIds(state, scope)): FamilyState => {
  if (scope === 'FULL' || hidden.size === 0) return state;
  const visible = (id: string | undefined): boolean => id === undefined || !hidden.has(id);
  const openRedFlags = new Set([...state.openRedFlags].filter((flagId) => visible(state.redFlagSubjects.get(flagId))));
  return {
    ...state,
    relatives: without(state.relatives, (_relative, id) => visible(id)),
    personIds: new Set([...state.personIds].filter(visible)),
    documents: without(state.documents, (document) => visible(document.subjectPersonId)),
    openRedFlags,
    redFlagSubjects: without(state.redFlagSubjects, (subject) => visible(subject)),
    verifiedIdentities: new Set([...state.verifiedIdentities].filter(visible)),
    safetyOverrides: without(state.safetyOverrides, (override) => visible(override.personId)),
    protectionConcerns: without(state.protectionConcerns, (concern) => visible(concern.subjectPersonId)),
    children: new Map([...state.children].map(([id, child]) =>
      [id, visible(child.reunificationPlannedWith) ? child : { ...child, reunificationPlannedWith: undefined }])),
  };
};

import { badInput, invalidTransition, known, notFound, rule, type Rule } from '../shared/domain-error.js';
import type { FamilyCommandType } from './commands.js';
import type { FamilyState } from './state.js';
import type { TransitionTable } from './transitions.js';

/** Finds an entity of the family or fails with NOT_FOUND naming the input field (never the id). */
export const existing = <V>(map: ReadonlyMap<string, V>, id: string, field: string, what: Rule): V => {
  const value = map.get(id);
  if (value === undefined) throw notFound(field, what);
  return value;
};

export const requirePerson = (state: FamilyState, personId: string, field: string): void => {
  if (!state.personIds.has(personId)) throw notFound(field, rule`person`);
};

export const requireNew = <V>(map: ReadonlyMap<string, V> | ReadonlySet<string>, id: string, field: string, what: Rule): void => {
  if (map.has(id)) throw badInput(field, rule`names a ${known(what)} that already exists`);
};

const words = (command: FamilyCommandType): string =>
  command.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();

/**
 * Checks a command against a state machine; the error names the current state and the states
 * the step is allowed from (words of the code), and the subject by its kind, never by its id.
 */
export const requireTransition = <S extends string>(
  table: TransitionTable<S>,
  command: FamilyCommandType,
  current: S,
  subject: Rule,
): void => {
  const allowed = table[command];
  if (!allowed || !allowed.includes(current)) {
    const step = rule`Cannot ${known(words(command))}: ${known(subject)} is ${known(current)}`;
    throw invalidTransition(allowed ? rule`${known(step)} (allowed from ${allowed.map(known)})` : step);
  }
};

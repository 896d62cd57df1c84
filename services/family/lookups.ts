import { DomainError, invalidTransition, notFound } from '../shared/domain-error.js';
import type { FamilyCommandType } from './commands.js';
import type { FamilyState } from './state.js';
import type { TransitionTable } from './transitions.js';

/** Finds an entity of the family or fails with NOT_FOUND naming the input field. */
export const existing = <V>(map: ReadonlyMap<string, V>, id: string, field: string, what: string): V => {
  const value = map.get(id);
  if (value === undefined) throw notFound(field, `${what} ${id}`);
  return value;
};

export const requirePerson = (state: FamilyState, personId: string, field: string): void => {
  if (!state.personIds.has(personId)) throw notFound(field, `person ${personId}`);
};

export const requireNew = <V>(map: ReadonlyMap<string, V> | ReadonlySet<string>, id: string, field: string, what: string): void => {
  if (map.has(id)) throw new DomainError('BAD_USER_INPUT', `${what} ${id} already exists`, field);
};

const words = (command: FamilyCommandType): string =>
  command.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();

/** Checks a command against a state machine; the error names the current state. */
export const requireTransition = <S extends string>(
  table: TransitionTable<S>,
  command: FamilyCommandType,
  current: S,
  subject: string,
): void => {
  const allowed = table[command];
  if (!allowed || !allowed.includes(current)) {
    throw invalidTransition(
      `Cannot ${words(command)}: ${subject} is ${current}` +
        (allowed ? ` (allowed from ${allowed.join(', ')})` : ''),
    );
  }
};

import { parseFamilyCommand } from './command-inputs.js';
import type { FamilyCommand } from './commands.js';

/**
 * Commands that came out of the parse below. Each is frozen, deeply, before it is added, so it
 * still is what the parse returned; checking one again returns it as it is (the parse of a
 * mutation's command runs once, in the resolver, not again in the service).
 */
const parsedCommands = new WeakSet<object>();

const deepFreeze = (value: unknown): void => {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const nested of Object.values(value)) deepFreeze(nested);
};

const parsed = (command: { readonly type: string } & object): FamilyCommand => {
  if (parsedCommands.has(command)) return command as FamilyCommand;
  const output = parseFamilyCommand(command) as FamilyCommand;
  // The actor is passed through by reference (the server's own object): freeze a copy of it.
  const result = { ...output, actor: { ...output.actor } } as FamilyCommand;
  deepFreeze(result);
  parsedCommands.add(result);
  return result;
};

/**
 * Command construction checks for every family command, from its one definition
 * (command-inputs.ts): each field has the rule of its own command (strict calendar dates, ISO
 * country codes, the command's own vocabulary, id syntax, bounded text and lists, no control or
 * bidirectional formatting characters in any text). Each failure is BAD_USER_INPUT naming the
 * field, never repeating the value. Returns the command with text trimmed and every instant
 * normalised to UTC, frozen.
 */
export const checkFamilyCommand = <C extends FamilyCommand>(command: C): C => parsed(command) as C;

/** The same parse for a command built from a client's input: the checked command, or BAD_USER_INPUT. */
export const parseUncheckedFamilyCommand = (command: { readonly type: string } & Readonly<Record<string, unknown>>): FamilyCommand => parsed(command);

import { parseFamilyCommand } from './command-inputs.js';
import type { FamilyCommand } from './commands.js';

/**
 * Command construction checks for every family command, from its one definition
 * (command-inputs.ts): each field has the rule of its own command (strict calendar dates, ISO
 * country codes, the command's own vocabulary, id syntax, bounded text and lists, no control or
 * bidirectional formatting characters in any text). Each failure is BAD_USER_INPUT naming the
 * field, never repeating the value. Returns the command with text trimmed and every instant
 * normalised to UTC.
 */
export const checkFamilyCommand = <C extends FamilyCommand>(command: C): C => parseFamilyCommand(command) as C;

/** The same parse for a command built from a client's input: the checked command, or BAD_USER_INPUT. */
export const parseUncheckedFamilyCommand = (command: { readonly type: string } & Readonly<Record<string, unknown>>): FamilyCommand => parseFamilyCommand(command) as FamilyCommand;

import type { Actor } from '../shared/decider.js';
import type { z } from 'zod';
import type { CommandInputs } from './command-inputs.js';

/**
 * Family commands, imperative, one per mutation. Every command carries who issued it, when the
 * system received it (`issuedAt`) and when it happened in the world (`occurredAt`, defaulting
 * to `issuedAt`). Each command's fields are defined once, in
 * command-inputs.ts, and checked for shape from there (check-command.ts); the decider checks
 * the rules of the process.
 */
export interface CommandBase {
  readonly familyId: string;
  readonly actor: Actor;
  /** ISO instant: the server's clock when the command arrived. */
  readonly issuedAt: string;
  /** ISO instant: when it happened in the world; never after `issuedAt`. */
  readonly occurredAt: string;
}

/** Any command may say why a step that is not unavoidable work is recorded under a stop-work order (docs/STOP-WORK.md). */
export interface StopWorkReason {
  readonly stopWorkReason?: string;
}

type C<Type extends string, Fields> = { readonly type: Type } & CommandBase & StopWorkReason & Readonly<Fields>;

/** A zod output as a command's fields: an optional field is left out, never `undefined`
 * (exactOptionalPropertyTypes); zod's `Record<string, never>` of a command without fields is `{}`. */
type Exact<T> = string extends keyof T ? Record<never, never> : { [K in keyof T]: Exclude<T[K], undefined> };

/** The fields of one command as its definition in command-inputs.ts gives them (after the checks). */
export type FamilyCommandFields<T extends keyof CommandInputs> = Exact<z.output<CommandInputs[T]>>;

/** Every family command, one per mutation, derived from its one definition (command-inputs.ts). */
export type FamilyCommand = { [T in keyof CommandInputs]: C<T, FamilyCommandFields<T>> }[keyof CommandInputs];

export type FamilyCommandType = FamilyCommand['type'];
export type FamilyCommandOf<T extends FamilyCommandType> = Extract<FamilyCommand, { type: T }>;

/** A command without its envelope (family, actor, times): what a caller fills in. */
export type FamilyCommandInput = FamilyCommand extends infer C ? (C extends unknown ? Omit<C, keyof CommandBase> : never) : never;

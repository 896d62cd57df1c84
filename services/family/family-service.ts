import { handleCommand, type CommandResult, type HandlerDependencies } from '../command-handler.js';
import { sha256 } from '../shared/hash-chain.js';
import { commandId } from '../shared/input.js';
import { checkFamilyCommand } from './check-command.js';
import type { FamilyCommand } from './commands.js';
import { FAMILY_EVENT_SCHEMA_VERSION } from './events.js';
import { familyDeciderIn, familyStreamName } from './family-decider.js';
import { loadFamilyWorld } from './world.js';

export interface FamilyCommandOptions {
  /** Idempotency key: a repeat returns the first result and appends nothing. */
  readonly commandId?: string;
  /** The client's input as sent, compared on a repeated commandId. */
  readonly input?: unknown;
  readonly expectedRevision?: number;
  readonly correlationId?: string;
  readonly causationId?: string;
}

/** Runs one family command through the handler, with the metadata every event carries. */
export const executeFamilyCommand = async (
  dependencies: HandlerDependencies,
  unchecked: FamilyCommand,
  options: FamilyCommandOptions = {},
): Promise<CommandResult> => {
  const command = checkFamilyCommand(unchecked);
  commandId(options.commandId);
  const correlationId = options.correlationId ?? options.commandId ?? dependencies.newEventId();
  // The organisations the command involves, read before deciding (world.ts says what that does not guarantee).
  const world = await loadFamilyWorld(dependencies.store, command);
  return handleCommand(
    dependencies,
    familyDeciderIn(world),
    {
      stream: familyStreamName(command.familyId),
      command,
      metadata: {
        actor: command.actor,
        occurredAt: command.occurredAt,
        recordedAt: command.issuedAt,
        commandType: command.type,
        correlationId,
        causationId: options.causationId ?? options.commandId ?? correlationId,
        ...(options.commandId ? { commandId: options.commandId } : {}),
      },
      idempotentPayload: options.input ?? payloadOf(command),
      ...(options.expectedRevision === undefined ? {} : { expectedRevision: options.expectedRevision }),
    },
    FAMILY_EVENT_SCHEMA_VERSION,
  );
};

/**
 * What a repeated command is compared on when the caller gave no raw input: the command less
 * the arrival time, and less `occurredAt` when it merely defaulted to the arrival time.
 */
const payloadOf = (command: FamilyCommand): object => {
  const { issuedAt, occurredAt, ...payload } = command;
  return occurredAt === issuedAt ? payload : { ...payload, occurredAt };
};

/**
 * The id of a family opened by a command. With a commandId it is derived from the opening
 * organisation and that id, so a retried opening lands on the same stream, finds the command
 * already applied and never creates a second family. Without one, a fresh id.
 */
export const familyIdForOpening = (organizationId: string, commandId: string | undefined, freshId: () => string): string => {
  if (commandId === undefined) return freshId();
  const hex = sha256(`family-opening:${organizationId}:${commandId}`);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};

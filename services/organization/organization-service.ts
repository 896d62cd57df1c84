import { handleCommand, type CommandResult, type HandlerDependencies } from '../command-handler.js';
import { commandId } from '../shared/input.js';
import { checkOrganizationCommand } from './check-command.js';
import { organizationDecider, organizationStreamName, type OrganizationCommand } from './organization.js';

/** Version 2: free-text reasons (OrganizationDeactivated, StopWorkOrderRecorded) sealed under `personal`. */
export const ORGANIZATION_EVENT_SCHEMA_VERSION = 2;

export const executeOrganizationCommand = (
  dependencies: HandlerDependencies,
  unchecked: OrganizationCommand,
  options: { readonly commandId?: string; readonly input?: unknown } = {},
): Promise<CommandResult> => {
  const command = checkOrganizationCommand(unchecked);
  commandId(options.commandId);
  const correlationId = options.commandId ?? dependencies.newEventId();
  return handleCommand(
    dependencies,
    organizationDecider,
    {
      stream: organizationStreamName(command.organizationId),
      command,
      metadata: {
        actor: command.actor,
        occurredAt: command.issuedAt,
        recordedAt: command.issuedAt,
        commandType: command.type,
        correlationId,
        causationId: correlationId,
        ...(options.commandId ? { commandId: options.commandId } : {}),
      },
      idempotentPayload: options.input ?? { ...command, issuedAt: undefined },
    },
    ORGANIZATION_EVENT_SCHEMA_VERSION,
  );
};

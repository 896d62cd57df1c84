import type { Projector } from '../../projections/projector.js';
import type { FamilyWriter } from '../../schema/context.js';
import type { HandlerDependencies } from '../../services/command-handler.js';
import type { EventStore } from '../../services/event-store/port.js';
import { executeFamilyCommand } from '../../services/family/family-service.js';
import { executeOrganizationCommand } from '../../services/organization/organization-service.js';
import { generateApiKey, hashApiKey } from '../auth/api-keys.js';
import { newEventId } from '../event-store/event-id.js';
import { createAccessLogBatcher } from '../access-log-writer.js';
import { formatPosition, parsePosition } from '../../services/event-store/position.js';

/** The write side for GraphQL: the command handler on the configured store, and the projector to wait on. */
export const createFamilyWriter = (store: EventStore, projector: Projector, clock: () => Date): FamilyWriter => {
  const dependencies: HandlerDependencies = { store, newEventId };
  return {
    execute: async (command, options) => {
      const result = await executeFamilyCommand(dependencies, command, options);
      return { revision: result.revision, position: formatPosition(result.position), replayed: result.replayed };
    },
    waitFor: (position, timeoutMs, projection) => {
      const parsed = parsePosition(position);
      return parsed ? projector.waitFor(parsed, timeoutMs, projection === undefined ? undefined : [projection]) : Promise.resolve(false);
    },
    executeOrganization: async (command, options) => {
      const result = await executeOrganizationCommand(dependencies, command, options);
      return { position: formatPosition(result.position), replayed: result.replayed };
    },
    now: () => clock().toISOString(),
    newId: newEventId,
    logAccess: createAccessLogBatcher(store),
    newApiKey: () => {
      const key = generateApiKey();
      return { key, hash: hashApiKey(key) };
    },
  };
};

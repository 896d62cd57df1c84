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
import type { KeyStore } from '../../services/privacy/key-store.js';
import { forgetDecodedFamilyStates } from '../../schema/resolvers/family.js';
import { familyDataKeyId } from '../../services/privacy/data-key-id.js';
import { completeErasure } from '../../services/privacy/erasure.js';

/**
 * The write side for GraphQL: the command handler on the configured store, and the projector to
 * wait on. `keys`: the key store the store seals with; after an eraseSubject stands in the store
 * (appended now, or a replay of one appended before) the subject's key is destroyed before the
 * mutation answers (services/privacy/erasure.ts; the sweep at start covers a crash in between).
 */
export const createFamilyWriter = (store: EventStore, projector: Projector, clock: () => Date, keys?: Pick<KeyStore, 'destroy'>): FamilyWriter => {
  const dependencies: HandlerDependencies = { store, newEventId };
  return {
    execute: async (command, options) => {
      const result = await executeFamilyCommand(dependencies, command, options);
      if (command.type === 'EraseSubject' && keys) {
        await completeErasure(keys, store, familyDataKeyId(command.familyId, command.subjectId));
        forgetDecodedFamilyStates();
      }
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

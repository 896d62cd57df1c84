import type { Position } from '../../services/event-store/position.js';
import type { HandlerDependencies } from '../../services/command-handler.js';
import { executeOrganizationCommand } from '../../services/organization/organization-service.js';
import { SYSTEM_ORGANIZATION_ID } from '../../services/organization/organization.js';
import { StreamNotFoundError } from '../../services/event-store/errors.js';
import type { Actor } from '../../services/shared/decider.js';
import type { EventStore } from '../../services/event-store/port.js';
import { generateApiKey, hashApiKey } from './api-keys.js';

const SYSTEM_ACTOR: Actor = { userId: 'bootstrap', organizationId: SYSTEM_ORGANIZATION_ID, role: 'SYSTEM' };

export interface BootstrapResult {
  /** The key, when start-up generated one (print it once); undefined when configured or already bootstrapped. */
  readonly generatedKey: string | undefined;
  readonly position: Position | undefined;
}

const exists = async (store: EventStore, stream: string): Promise<boolean> => {
  try {
    for await (const _ of store.readStream(stream, { maxCount: 1 })) return true;
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  return false;
};

/**
 * On a store with no system organisation: create it, with an admin whose key is
 * TRACKER_BOOTSTRAP_ADMIN_KEY, or a generated key returned to be printed once. The commands
 * carry fixed commandIds, so two replicas starting together bootstrap once; only the replica
 * whose IssueApiKey was recorded returns its generated key (the other one's was never stored).
 */
export const bootstrapSystemOrganization = async (
  store: EventStore,
  dependencies: HandlerDependencies,
  configuredKey: string | undefined,
  now: string,
): Promise<BootstrapResult> => {
  if (await exists(store, `organization-${SYSTEM_ORGANIZATION_ID}`)) return { generatedKey: undefined, position: undefined };
  const key = configuredKey ?? generateApiKey();
  const base = { organizationId: SYSTEM_ORGANIZATION_ID, actor: SYSTEM_ACTOR, issuedAt: now };
  await executeOrganizationCommand(dependencies, { ...base, type: 'RegisterOrganization', name: 'System', kind: 'SYSTEM', countries: [] }, { commandId: 'bootstrap-organization' });
  await executeOrganizationCommand(dependencies, { ...base, type: 'AddMember', userId: 'admin', role: 'ADMIN', name: 'System administrator' }, { commandId: 'bootstrap-admin' });
  const issued = await executeOrganizationCommand(
    dependencies,
    { ...base, type: 'IssueApiKey', keyId: 'bootstrap-admin-key', userId: 'admin', keyHash: hashApiKey(key), label: 'bootstrap' },
    { commandId: 'bootstrap-admin-key', input: { keyId: 'bootstrap-admin-key' } },
  );
  return { generatedKey: configuredKey || issued.replayed ? undefined : key, position: issued.position };
};

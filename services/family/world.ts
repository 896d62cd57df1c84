import { foldStream, type StreamStore } from '../command-handler.js';
import { DomainError, rule } from '../shared/domain-error.js';
import { evolveOrganization, initialOrganizationState, organizationStreamName, type OrganizationEvent, type OrganizationState } from '../organization/organization.js';
import type { StopWorkOrder } from '../organization/stop-work-orders.js';
import type { FamilyCommand } from './commands.js';

/**
 * What a family command needs to know beyond the family's own stream: the organisations it
 * names (do they exist, are they active) and the stop-work orders in force for them and for the
 * acting organisation. The family service reads each organisation's stream before deciding and
 * passes this in; the decider stays pure.
 *
 * Limit: read before the family is appended, not in one transaction with it. A stop-work order
 * or a deactivation recorded while a command is being decided applies from the next command.
 */
export interface OrganizationFacts {
  readonly exists: boolean;
  readonly active: boolean;
  readonly stopWorkOrders: readonly StopWorkOrder[];
}

export interface FamilyWorld {
  /** Facts of every organisation the command names and of the actor's; undefined for any other. */
  readonly organization: (organizationId: string) => OrganizationFacts | undefined;
}

/** The commands that give work or access to another organisation, and the field that names it: it must exist and be active. */
const NAMED_ORGANIZATION: Readonly<Partial<Record<FamilyCommand['type'], string>>> = {
  ReferFamily: 'toOrganizationId',
  TransferFamily: 'toOrganizationId',
  GrantAccess: 'organizationId',
  StartTracing: 'defenderOrganizationId',
  RequestDocument: 'assignedOrganizationId',
};

export const namedOrganization = (command: FamilyCommand): { field: string; organizationId: string } | undefined => {
  const field = NAMED_ORGANIZATION[command.type];
  const value = field === undefined ? undefined : (command as unknown as Record<string, unknown>)[field];
  return field !== undefined && typeof value === 'string' ? { field, organizationId: value } : undefined;
};

const organizationFold = { initialState: initialOrganizationState, evolve: evolveOrganization } as const;

/** The organisation's folded state, read after its cached revision (command-handler.ts, foldStream). */
const readOrganization = async (store: StreamStore, organizationId: string): Promise<OrganizationFacts> => {
  let state: OrganizationState;
  try {
    ({ state } = await foldStream<OrganizationEvent, OrganizationState>(store, organizationStreamName(organizationId), organizationFold));
  } catch {
    // Fail closed: a command whose organisations cannot be read is not decided.
    throw new DomainError('UNAVAILABLE', rule`The organisations this change involves cannot be read right now; retry later`);
  }
  if (!state.exists) return { exists: false, active: false, stopWorkOrders: [] };
  return { exists: state.exists, active: state.active, stopWorkOrders: [...state.stopWorkOrders.values()] };
};

/** Reads the actor's organisation and every organisation the command names (each once). */
export const loadFamilyWorld = async (store: StreamStore, command: FamilyCommand): Promise<FamilyWorld> => {
  const named = namedOrganization(command);
  const ids = new Set([command.actor.organizationId, ...(named ? [named.organizationId] : [])]);
  const facts = new Map<string, OrganizationFacts>();
  for (const id of ids) facts.set(id, await readOrganization(store, id));
  return { organization: (organizationId) => facts.get(organizationId) };
};

/** A world in which the given organisations exist, active, with the given orders in force (for tests and tools). */
export const worldOf = (organizations: Readonly<Record<string, readonly StopWorkOrder[]>>): FamilyWorld => ({
  organization: (organizationId) => {
    const orders = organizations[organizationId];
    return orders ? { exists: true, active: true, stopWorkOrders: orders } : { exists: false, active: false, stopWorkOrders: [] };
  },
});

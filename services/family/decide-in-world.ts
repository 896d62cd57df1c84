import { notFound, rule } from '../shared/domain-error.js';
import type { FamilyCommand } from './commands.js';
import { decide } from './decide.js';
import type { FamilyEvent } from './events.js';
import type { FamilyState } from './state.js';
import { stopWorkCheck, suspensionCheck } from './stop-work.js';
import { namedOrganization, type FamilyWorld } from './world.js';

/**
 * The family decider with what it knows of other organisations (world.ts): an organisation a
 * command gives work or access to must exist and be active (NOT_FOUND naming that field, never
 * the family), and the stop-work rule of stop-work.ts applies; then the family's own decide.
 * Pure: the world is read by the family service and passed in.
 */
export const decideInWorld = (command: FamilyCommand, state: FamilyState, world: FamilyWorld): readonly FamilyEvent[] => {
  const named = namedOrganization(command);
  if (named && state.exists) {
    const facts = world.organization(named.organizationId);
    if (!facts?.exists || !facts.active) throw notFound(named.field, rule`organisation`);
  }
  const underOrder = stopWorkCheck(command, state, world);
  const suspension = suspensionCheck(command, state);
  const events = decide(command, suspension.allowed ? { ...state, lifecycle: 'OPEN' } : state);
  const exception = underOrder ?? suspension.exception;
  return exception ? [exception, ...events] : events;
};

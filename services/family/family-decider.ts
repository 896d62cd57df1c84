import { familyEventOf } from './upcast.js';
import type { Decider } from '../shared/decider.js';
import { authorizeFamilyCommand } from './access-policy.js';
import type { FamilyCommand } from './commands.js';
import { decideInWorld } from './decide-in-world.js';
import { familyAsSeenBy } from './family-as-seen-by.js';
import type { FamilyEvent } from './events.js';
import { evolve } from './evolve.js';
import { initialFamilyState, type FamilyState } from './state.js';
import type { FamilyWorld } from './world.js';

/** The family decider in a world of organisations (world.ts): what the family service runs. */
export const familyDeciderIn = (world: FamilyWorld): Decider<FamilyCommand, FamilyEvent, FamilyState> => ({
  initialState: initialFamilyState,
  // Decided on the family as the actor may see it: a hidden person is an unknown person.
  decide: (command, state) => decideInWorld(command, familyAsSeenBy(command, state), world),
  evolve,
  authorize: authorizeFamilyCommand,
  decode: familyEventOf,
});

/**
 * Fails closed without a world: every organisation a command names is unknown, and no
 * stop-work order is known, so sharing and assignments are refused. For folding and tests.
 */
export const familyDecider: Decider<FamilyCommand, FamilyEvent, FamilyState> = familyDeciderIn({ organization: () => undefined });

export const familyStreamName = (familyId: string): string => `family-${familyId}`;

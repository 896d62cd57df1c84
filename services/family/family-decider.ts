import type { Decider } from '../shared/decider.js';
import { authorizeFamilyCommand } from './access-policy.js';
import type { FamilyCommand } from './commands.js';
import { decide } from './decide.js';
import { familyAsSeenBy } from './family-as-seen-by.js';
import type { FamilyEvent } from './events.js';
import { evolve } from './evolve.js';
import { initialFamilyState, type FamilyState } from './state.js';

export const familyDecider: Decider<FamilyCommand, FamilyEvent, FamilyState> = {
  initialState: initialFamilyState,
  // Decided on the family as the actor may see it: a hidden person is an unknown person.
  decide: (command, state) => decide(command, familyAsSeenBy(command, state)),
  evolve,
  authorize: authorizeFamilyCommand,
};

export const familyStreamName = (familyId: string): string => `family-${familyId}`;

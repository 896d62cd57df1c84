import type { Decider } from '../shared/decider.js';
import { authorizeFamilyCommand } from './access-policy.js';
import type { FamilyCommand } from './commands.js';
import { decide } from './decide.js';
import type { FamilyEvent } from './events.js';
import { evolve } from './evolve.js';
import { initialFamilyState, type FamilyState } from './state.js';

export const familyDecider: Decider<FamilyCommand, FamilyEvent, FamilyState> = {
  initialState: initialFamilyState,
  decide,
  evolve,
  authorize: authorizeFamilyCommand,
};

export const familyStreamName = (familyId: string): string => `family-${familyId}`;

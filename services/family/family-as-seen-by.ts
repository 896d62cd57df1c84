import { familySeenAt } from './disclosure.js';
import { organizationAccess } from './access-policy.js';
import type { FamilyCommand } from './commands.js';
import type { FamilyState } from './state.js';

/**
 * The family as the command's actor may see it: below FULL scope the people hidden from that
 * scope (adverse relatives, anyone a protection concern says never to tell) and what is recorded
 * about them are not in it (`familySeenAt`, the same view the read side renders). The decider
 * decides on this view, so a command about a hidden person fails exactly as one about an
 * unknown person id does (same code, field and message), and says nothing of who exists.
 */
export const familyAsSeenBy = (command: FamilyCommand, state: FamilyState): FamilyState => {
  const scope = organizationAccess(state, command.actor.organizationId, command.issuedAt).writeScope;
  if (scope === 'FULL') return state;
  // No write scope: a Defender allowed its assigned work alone (access-policy.ts), which sees the
  // family at STATUS; and fail closed for any other way past the policy.
  return familySeenAt(state, scope ?? 'STATUS');
};

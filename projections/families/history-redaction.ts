import type { DisclosureContext } from './allowlist.js';
import { disclose, discloseEventData } from './disclose.js';

/**
 * A family event as a reader at their scope may see it, in `familyHistory` and in `tracker
 * export`: the envelope fields the allowlist lists (FamilyEvent, ExportedEvent) and the data
 * fields its type lists (EVENT_ALLOWLIST), the data fields left out named in `data.redacted`.
 * The context comes from the family's current state (disclose.ts), so hidden people and
 * generated ids are the same as in the family's views.
 */
export interface StoredFamilyEvent {
  readonly revision: number;
  readonly position: string;
  readonly type: string;
  readonly data: { readonly [key: string]: unknown };
  readonly metadata: { readonly [key: string]: unknown };
}

const envelope = (event: StoredFamilyEvent, context: DisclosureContext) => ({
  type: event.type,
  revision: event.revision,
  position: event.position,
  occurredAt: event.metadata['occurredAt'],
  recordedAt: event.metadata['recordedAt'],
  actor: event.metadata['actor'],
  data: discloseEventData(event.type, event.data, context),
  hash: event.metadata['hash'],
  prevHash: event.metadata['prevHash'],
});

/** A node of `familyHistory`. */
export const historyEventView = (event: StoredFamilyEvent, context: DisclosureContext) => disclose('FamilyEvent', envelope(event, context), context);

/** A line of `tracker export`. */
export const exportedEventView = (familyId: string, event: StoredFamilyEvent, context: DisclosureContext) =>
  disclose('ExportedEvent', { familyId, ...envelope(event, context) }, context);

export { showsPersonalData } from './disclose.js';

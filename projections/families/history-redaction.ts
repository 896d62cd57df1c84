import { upcastStoredFamilyEvent } from '../../services/family/upcast.js';
import { eventShownAt, WITHHELD_EVENT, type DisclosureContext } from './allowlist.js';
import { disclose, discloseEventData, namesHiddenRecord } from './disclose.js';

/**
 * A family event as a reader at their scope may see it, in `familyHistory` and in `tracker
 * export`: the envelope fields the allowlist lists (FamilyEvent, ExportedEvent) and the data
 * fields its type lists (EVENT_ALLOWLIST), the data fields left out named in `data.redacted`.
 * The context comes from the family's current state (disclose.ts), so hidden people and
 * generated ids are the same as in the family's views. The data is shown in the current schema
 * version (upcast.ts): one shape per type for the reader, whatever version stored it; the
 * hashes cover the sealed data as stored, which no reader below the store sees anyway.
 */
export interface StoredFamilyEvent {
  readonly revision: number;
  readonly position: string;
  readonly type: string;
  readonly data: { readonly [key: string]: unknown };
  readonly metadata: { readonly [key: string]: unknown };
}

/** An instant as the first instant (UTC) of its calendar month: all a MONTH reader may know of it. */
const monthStart = (instant: unknown): unknown => (typeof instant === 'string' && /^\d{4}-\d{2}/.test(instant) ? `${instant.slice(0, 7)}-01T00:00:00.000Z` : instant);

/**
 * The envelope as EVENT_TYPE_ALLOWLIST shows the event's type at the reader's scope: as it is,
 * its instants by month, or a placeholder (type WITHHELD, no data, instants by month) for a type
 * the scope may not see or an event about someone hidden from it.
 */
const envelope = (stored: StoredFamilyEvent, context: DisclosureContext) => {
  // In the current shape (upcast.ts): a version-1 reason shows where a version-2 one does, under `personal`.
  const event = upcastStoredFamilyEvent(stored);
  const shown = namesHiddenRecord(event.type, event.data, context) ? undefined : eventShownAt(event.type, context.scope);
  const when = shown === 'DAY' ? (instant: unknown) => instant : monthStart;
  return {
    type: shown ? event.type : WITHHELD_EVENT,
    revision: event.revision,
    position: event.position,
    occurredAt: when(event.metadata['occurredAt']),
    recordedAt: when(event.metadata['recordedAt']),
    actor: event.metadata['actor'],
    data: shown ? discloseEventData(event.type, event.data, context) : {},
    hash: event.metadata['hash'],
    prevHash: event.metadata['prevHash'],
  };
};

/** A node of `familyHistory`. */
export const historyEventView = (event: StoredFamilyEvent, context: DisclosureContext) => disclose('FamilyEvent', envelope(event, context), context);

/** A line of `tracker export`. */
export const exportedEventView = (familyId: string, event: StoredFamilyEvent, context: DisclosureContext) =>
  disclose('ExportedEvent', { familyId, ...envelope(event, context) }, context);

export { showsPersonalData } from './disclose.js';

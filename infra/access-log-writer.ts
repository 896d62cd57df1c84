import { ACCESS_LOG_STREAM_PREFIX } from '../projections/access-log/access-log-projection.js';
import type { Actor } from '../services/shared/decider.js';
import { newEventId } from './event-store/event-id.js';
import type { EventStore } from './event-store/port.js';

export interface AccessLogEntry {
  readonly viewer: Actor;
  readonly views: ReadonlyArray<{ readonly familyId: string; readonly fields: string }>;
  readonly viewedAt: string;
}

/**
 * Appends reads of personal data to the access log: one stream per day, outside the family
 * streams. The log is an append-only record with no invariant to protect: `any` is right here.
 */
export const appendAccessLog = async (store: EventStore, entry: AccessLogEntry): Promise<void> => {
  await store.appendToStream(
    `${ACCESS_LOG_STREAM_PREFIX}${entry.viewedAt.slice(0, 10)}`,
    [{ id: newEventId(), type: 'PersonalDataViewed', data: { viewer: { ...entry.viewer }, views: entry.views.map((view) => ({ ...view })), viewedAt: entry.viewedAt }, metadata: { schemaVersion: 1 } }],
    { expectedRevision: 'any' },
  );
};

import type { JsonObject, RecordedEvent } from '../../../services/event-store/port.js';
import { positionOf } from '../../../services/event-store/position.js';

/** A row of `events` as read with safe integers (every INTEGER column is a bigint). */
export interface EventRow {
  readonly position: bigint;
  readonly id: string;
  readonly stream: string;
  readonly revision: bigint;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
  readonly recorded_at: bigint;
}

export const EVENT_COLUMNS =
  'e.position, e.id, s.name AS stream, e.revision, e.type, e.data, e.metadata, e.recorded_at';

/** The same columns from `events` alone, the stream's name bound as the first parameter. */
export const STREAM_EVENT_COLUMNS = 'e.position, e.id, ? AS stream, e.revision, e.type, e.data, e.metadata, e.recorded_at';

/** The events table with each event's stream name. */
export const EVENTS_WITH_STREAM = 'events e JOIN streams s ON s.stream_id = e.stream_id';

export const toRecordedEvent = (row: EventRow): RecordedEvent => ({
  id: row.id,
  stream: row.stream,
  revision: Number(row.revision),
  position: positionOf(row.position),
  type: row.type,
  data: JSON.parse(row.data) as JsonObject,
  metadata: JSON.parse(row.metadata) as JsonObject,
  recordedAt: new Date(Number(row.recorded_at)),
});

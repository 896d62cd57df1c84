import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  StreamDeletedError as EsdbStreamDeletedError,
  StreamNotFoundError as EsdbStreamNotFoundError,
  WrongExpectedVersionError,
  type AllStreamRecordedEvent,
  type AppendExpectedRevision,
  type RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';
import { StreamDeletedError, StreamNotFoundError, WrongExpectedRevisionError } from '../../../services/event-store/errors.js';
import type { ExpectedRevision, JsonObject, RecordedEvent } from '../../../services/event-store/port.js';

export const toEsdbExpectedRevision = (expected: ExpectedRevision): AppendExpectedRevision => {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return BigInt(expected);
  }
};

/** The client's errors, as the port's typed errors; anything else passes through unchanged. */
export const toPortError = (error: unknown, stream: string, expected?: ExpectedRevision): unknown => {
  if (error instanceof WrongExpectedVersionError) {
    const actual = typeof error.actualVersion === 'bigint' ? Number(error.actualVersion) : undefined;
    return new WrongExpectedRevisionError(stream, expected ?? 'any', actual);
  }
  if (error instanceof EsdbStreamNotFoundError) return new StreamNotFoundError(stream);
  if (error instanceof EsdbStreamDeletedError) return new StreamDeletedError(stream);
  return error;
};

export const isSystemEvent = (event: { streamId: string; type: string }): boolean =>
  event.streamId.startsWith('$') || event.type.startsWith('$');

const asJsonObject = (value: unknown): JsonObject => {
  if (value instanceof Uint8Array) return JSON.parse(Buffer.from(value).toString('utf8')) as JsonObject;
  if (value === undefined || value === null) return {};
  return value as JsonObject;
};

export const fromEsdbEvent = (event: EsdbRecordedEvent | AllStreamRecordedEvent): RecordedEvent => {
  if (!event.position) {
    throw new Error(`EventStoreDB returned event ${event.id} without a position (server too old?)`);
  }
  return {
    id: event.id,
    stream: event.streamId,
    revision: Number(event.revision),
    position: { commit: event.position.commit, prepare: event.position.prepare },
    type: event.type,
    data: asJsonObject(event.data),
    metadata: asJsonObject(event.metadata),
    recordedAt: event.created,
  };
};

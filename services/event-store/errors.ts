import type { ExpectedRevision } from './port.js';

/** The stream was not at the revision the writer expected: someone else wrote first. */
export class WrongExpectedRevisionError extends Error {
  override readonly name = 'WrongExpectedRevisionError';
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    /** The stream's last revision, or `undefined` when the stream does not exist. */
    readonly actual: number | undefined,
  ) {
    super(
      `Wrong expected revision on stream ${stream}: expected ${String(expected)}, ` +
        `actual ${actual === undefined ? 'no stream' : String(actual)}`,
    );
  }
}

export class StreamNotFoundError extends Error {
  override readonly name = 'StreamNotFoundError';
  constructor(readonly stream: string) {
    super(`Stream ${stream} not found`);
  }
}

/** An event id already stored elsewhere: appending it again would break event identity. */
export class DuplicateEventIdError extends Error {
  override readonly name = 'DuplicateEventIdError';
  constructor(readonly eventId: string) {
    super(`Event id ${eventId} is already stored at another place`);
  }
}

/**
 * The stream was deleted for good (EventStoreDB's tombstone): it cannot be read, appended to or
 * created again under that name.
 */
export class StreamDeletedError extends Error {
  override readonly name = 'StreamDeletedError';
  constructor(readonly stream: string) {
    super(`Stream ${stream} was deleted`);
  }
}

/** The store does not delete streams (the embedded store is append-only). */
export class StreamDeletionUnsupportedError extends Error {
  override readonly name = 'StreamDeletionUnsupportedError';
  constructor(readonly stream: string) {
    super(`This event store is append-only: stream ${stream} cannot be deleted (deleting streams needs EventStoreDB)`);
  }
}

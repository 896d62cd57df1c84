/**
 * What the write side needs of an event store. `infra/event-store` implements it (its
 * EventStore satisfies this interface structurally); services/ never imports infra/.
 * Adapters signal the two expected failures by the error's `name`:
 * `WrongExpectedRevisionError` and `StreamNotFoundError`.
 */
export type StreamRevision = number | 'no_stream';

export interface StoredEvent<Position> {
  readonly id: string;
  readonly revision: number;
  readonly position: Position;
  readonly type: string;
  readonly data: object;
  readonly metadata: object;
}

export interface NewEvent {
  readonly id: string;
  readonly type: string;
  readonly data: object;
  readonly metadata: object;
}

export interface StreamStore<Position> {
  readStream(stream: string): AsyncIterable<StoredEvent<Position>>;
  appendToStream(
    stream: string,
    events: readonly NewEvent[],
    options: { readonly expectedRevision: StreamRevision },
  ): Promise<{ readonly nextExpectedRevision: number; readonly position: Position }>;
}

export const isWrongExpectedRevision = (error: unknown): boolean =>
  error instanceof Error && error.name === 'WrongExpectedRevisionError';

export const isStreamNotFound = (error: unknown): boolean =>
  error instanceof Error && error.name === 'StreamNotFoundError';

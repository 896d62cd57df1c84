import type { CommandMetadata, EventMetadata } from './event-envelope.js';
import { sealEvents } from './event-envelope.js';
import { StreamNotFoundError, WrongExpectedRevisionError } from './event-store/errors.js';
import type { EventStore, EventToAppend } from './event-store/port.js';
import type { Position } from './event-store/position.js';
import type { Decider, DomainEvent } from './shared/decider.js';
import { conflict, DomainError, rule } from './shared/domain-error.js';
import { canonicalJson, sha256 } from './shared/hash-chain.js';

/** Attempts at read-decide-append when other writers keep winning the race. */
export const MAX_ATTEMPTS = 25;

/** What the handler needs of the event-store port: read a stream, append with an expectation. */
export type StreamStore = Pick<EventStore, 'readStream' | 'appendToStream'>;

export interface HandlerDependencies {
  readonly store: StreamStore;
  readonly newEventId: () => string;
}

export interface CommandRequest<Command> {
  readonly stream: string;
  readonly command: Command;
  readonly metadata: Omit<CommandMetadata, 'payloadHash'>;
  /** The client's input as sent; with `metadata.commandId` it makes the command idempotent. */
  readonly idempotentPayload?: unknown;
  /** The stream revision the caller saw; a mismatch is CONFLICT and is never retried. */
  readonly expectedRevision?: number;
}

export interface CommandResult {
  /** The stream's revision after the command (the last event it appended). */
  readonly revision: number;
  readonly position: Position;
  /** True when this was a repeat of a command already applied: nothing was appended. */
  readonly replayed: boolean;
}

interface AppliedCommand {
  readonly payloadHash: string | undefined;
  readonly revision: number;
  readonly position: Position;
}

interface LoadedStream<State> {
  readonly state: State;
  readonly revision: number | undefined;
  readonly lastHash: string | undefined;
  readonly applied: ReadonlyMap<string, AppliedCommand>;
}

/** Folds the stream; the events' own metadata tells which commands it has applied. */
const load = async <Event extends DomainEvent, State>(
  store: StreamStore,
  stream: string,
  decider: Decider<unknown, Event, State>,
): Promise<LoadedStream<State>> => {
  let state = decider.initialState;
  let revision: number | undefined;
  let lastHash: string | undefined;
  const applied = new Map<string, AppliedCommand>();
  try {
    for await (const stored of store.readStream(stream)) {
      state = decider.evolve(state, { type: stored.type, data: stored.data } as Event);
      revision = stored.revision;
      const metadata = stored.metadata as Partial<EventMetadata>;
      lastHash = metadata.hash;
      if (metadata.commandId) {
        applied.set(metadata.commandId, { payloadHash: metadata.payloadHash, revision: stored.revision, position: stored.position });
      }
    }
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  return { state, revision, lastHash, applied };
};

/**
 * Read the stream, fold, decide, append with the exact expected revision. When another writer
 * appended in between, reload and decide again (bounded); only a real conflict reaches the
 * caller. A command id seen before returns the first result and appends nothing; the same id
 * with another payload is IDEMPOTENCY_KEY_REUSED. This holds on every store, because the
 * answer comes from the stream the handler folds anyway, not from a separate index.
 */
export const handleCommand = async <Command, Event extends DomainEvent, State>(
  dependencies: HandlerDependencies,
  decider: Decider<Command, Event, State>,
  request: CommandRequest<Command>,
  schemaVersion: number,
): Promise<CommandResult> => {
  const { commandId } = request.metadata;
  const payloadHash = commandId === undefined ? undefined : sha256(canonicalJson(request.idempotentPayload ?? null));
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    const loaded = await load(dependencies.store, request.stream, decider as Decider<unknown, Event, State>);
    decider.authorize?.(request.command, loaded.state);
    const previous = commandId === undefined ? undefined : loaded.applied.get(commandId);
    if (previous) {
      if (previous.payloadHash !== payloadHash) {
        throw new DomainError('IDEMPOTENCY_KEY_REUSED', rule`commandId was already used with a different input`, 'commandId');
      }
      return { revision: previous.revision, position: previous.position, replayed: true };
    }
    const current = loaded.revision ?? -1;
    if (request.expectedRevision !== undefined && request.expectedRevision !== current) {
      throw conflict(rule`expectedRevision does not match the current revision ${current}`);
    }
    const events = decider.decide(request.command, loaded.state);
    const sealed = sealEvents({
      stream: request.stream,
      firstRevision: current + 1,
      previousHash: loaded.lastHash,
      events,
      metadata: { ...request.metadata, ...(payloadHash ? { payloadHash } : {}) },
      schemaVersion,
      newEventId: dependencies.newEventId,
    });
    try {
      // Sealed events are JSON by construction: their hash is computed over their canonical JSON.
      const appended = await dependencies.store.appendToStream(request.stream, sealed as unknown as readonly EventToAppend[], {
        expectedRevision: loaded.revision ?? 'no_stream',
      });
      return { revision: appended.nextExpectedRevision, position: appended.position, replayed: false };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      if (request.expectedRevision !== undefined) {
        throw conflict(rule`The stream changed after expectedRevision`);
      }
    }
  }
  throw conflict(rule`The stream kept changing; gave up after ${MAX_ATTEMPTS} attempts`);
};

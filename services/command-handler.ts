import type { CommandMetadata, EventMetadata, SealedEvent } from './event-envelope.js';
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
  /**
   * Commands applied, by commandId. Shared between the folds of one stream and only ever added
   * to (as the stream is), so an entry may be newer than `revision`: `appliedAt` ignores those.
   */
  readonly applied: Map<string, AppliedCommand>;
}

/** Streams whose folded state is kept per store and fold (least recently used go first). */
export const FOLDED_STREAMS_CACHED = 2_000;

/**
 * The folded state of recently used streams, keyed by the store object and the decider's
 * `evolve` (the fold: deciders built per command, such as the family decider in a world of
 * organisations, share it), since the state of a stream at a revision never changes: streams
 * are append-only. A cached state is
 * never trusted as the head: each command reads the stream after the cached revision and folds
 * what it finds, so another writer's (or process's) events are always seen, and a lost race
 * (wrong expected revision) reads again before deciding again.
 */
const foldedStates = new WeakMap<object, WeakMap<object, Map<string, LoadedStream<unknown>>>>();

/**
 * Drops every folded state kept for this store. The cache holds what the store's reads gave
 * (for the encrypting store: plaintext), so whoever erases a data subject (destroys its key)
 * must call this, or the next commands decide on the state from before the erasure.
 */
export const forgetFoldedStates = (store: StreamStore): void => {
  foldedStates.delete(store);
};

const cacheOf = (store: StreamStore, fold: object): Map<string, LoadedStream<unknown>> => {
  let byDecider = foldedStates.get(store);
  if (!byDecider) foldedStates.set(store, (byDecider = new WeakMap()));
  let cache = byDecider.get(fold);
  if (!cache) byDecider.set(fold, (cache = new Map<string, LoadedStream<unknown>>()));
  return cache;
};

/** Keeps the newest fold of a stream; a Map in insertion order serves as the LRU list. */
const remember = <State>(cache: Map<string, LoadedStream<unknown>>, stream: string, loaded: LoadedStream<State>): void => {
  const cached = cache.get(stream);
  if (loaded.revision === undefined || (cached?.revision !== undefined && cached.revision > loaded.revision)) return;
  cache.delete(stream);
  cache.set(stream, loaded);
  if (cache.size > FOLDED_STREAMS_CACHED) cache.delete(cache.keys().next().value!);
};

const appliedAt = <State>(loaded: LoadedStream<State>, commandId: string): AppliedCommand | undefined => {
  const previous = loaded.applied.get(commandId);
  return previous !== undefined && previous.revision <= (loaded.revision ?? -1) ? previous : undefined;
};

/** A stored event as the decider's domain event: through its upcasting point when it has one. */
const decoded = <Event extends DomainEvent>(decider: Pick<Decider<unknown, Event, never>, 'decode'>, stored: { readonly type: string; readonly data: object; readonly metadata: object }): Event =>
  decider.decode ? decider.decode(stored) : ({ type: stored.type, data: stored.data } as Event);

/**
 * Folds the stream from the cached state on (or from the start); the events' own metadata
 * tells which commands it has applied.
 */
const load = async <Event extends DomainEvent, State>(
  store: StreamStore,
  stream: string,
  decider: Decider<unknown, Event, State>,
  cache: Map<string, LoadedStream<unknown>>,
): Promise<LoadedStream<State>> => {
  const cached = cache.get(stream) as LoadedStream<State> | undefined;
  let state = cached?.state ?? decider.initialState;
  let revision = cached?.revision;
  let lastHash = cached?.lastHash;
  const applied = cached?.applied ?? new Map<string, AppliedCommand>();
  try {
    const from = revision === undefined ? {} : { fromRevision: revision + 1 };
    for await (const stored of store.readStream(stream, from)) {
      state = decider.evolve(state, decoded(decider, stored));
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
  const loaded = { state, revision, lastHash, applied };
  remember(cache, stream, loaded);
  return loaded;
};

/** What a fold needs of a decider: where it starts, how an event changes it, how a stored event reads. */
export type Fold<Event extends DomainEvent, State> = Pick<Decider<unknown, Event, State>, 'initialState' | 'evolve' | 'decode'>;

/**
 * A stream's current state and revision (undefined: no such stream), folded through the same
 * cache as the commands on it: only the events after the cached revision are read, so a
 * stream nobody wrote since costs one empty read. For readers of other aggregates' streams
 * (the organisations a family command involves). `fold.evolve` must be one stable function:
 * it keys the cache.
 */
export const foldStream = async <Event extends DomainEvent, State>(
  store: StreamStore,
  stream: string,
  fold: Fold<Event, State>,
): Promise<{ readonly state: State; readonly revision: number | undefined }> => {
  const loaded = await load(store, stream, fold as Decider<unknown, Event, State>, cacheOf(store, fold.evolve));
  return { state: loaded.state, revision: loaded.revision };
};

/**
 * The fold after our own append, without reading it back: the sealed events go through JSON as
 * the store's copies do, so the state is the one a reader would fold.
 */
const afterAppend = <Event extends DomainEvent, State>(
  loaded: LoadedStream<State>,
  decider: Decider<unknown, Event, State>,
  sealed: readonly SealedEvent[],
  appended: { readonly nextExpectedRevision: number; readonly position: Position },
  commandId: string | undefined,
  payloadHash: string | undefined,
): LoadedStream<State> => {
  let state = loaded.state;
  for (const event of sealed) {
    state = decider.evolve(state, decoded(decider, { type: event.type, data: JSON.parse(JSON.stringify(event.data)) as object, metadata: event.metadata }));
  }
  if (commandId !== undefined) {
    loaded.applied.set(commandId, { payloadHash, revision: appended.nextExpectedRevision, position: appended.position });
  }
  return { state, revision: appended.nextExpectedRevision, lastHash: sealed.at(-1)?.metadata.hash, applied: loaded.applied };
};

/**
 * Read the stream (after its cached fold), fold, decide, append with the exact expected revision. When another writer
 * appended in between, reload and decide again (bounded); only a real conflict reaches the
 * caller. A command id seen before returns the first result and appends nothing; the same id
 * with another payload is IDEMPOTENCY_KEY_REUSED. This holds on every store, because the
 * answer comes from the stream the handler folds anyway, not from a separate index.
 */
export const handleCommand = <Command, Event extends DomainEvent, State>(
  dependencies: HandlerDependencies,
  decider: Decider<Command, Event, State>,
  request: CommandRequest<Command>,
  schemaVersion: number,
): Promise<CommandResult> => inTurn(dependencies.store, request.stream, () => decideAndAppend(dependencies, decider, request, schemaVersion));

/**
 * Commands on one stream in this process at once (running and waiting) at most; one more is
 * refused with UNAVAILABLE (retry later) before it reads or appends anything.
 */
export const MAX_QUEUED_PER_STREAM = 64;

interface StreamQueue {
  /** Settles when the last command queued has settled. */
  tail: Promise<unknown>;
  /** Commands running or waiting on the stream. */
  size: number;
}

/** Per store, the queue of each stream with commands in it (removed once it is empty). */
const streamQueues = new WeakMap<object, Map<string, StreamQueue>>();

/**
 * Commands on one stream in this process run one after another, each after the previous one
 * settled (acknowledged or failed): the second decides on the first's result instead of losing
 * the append race in the same commit group and deciding again. Other processes' writers still
 * race and are met by the expected-revision check. Commands on different streams do not wait
 * for each other. The queue is bounded (MAX_QUEUED_PER_STREAM): past it a command is refused
 * at once, so a burst on one family cannot hold unbounded memory or latency.
 */
const inTurn = <Result>(store: StreamStore, stream: string, run: () => Promise<Result>): Promise<Result> => {
  let queues = streamQueues.get(store);
  if (!queues) streamQueues.set(store, (queues = new Map<string, StreamQueue>()));
  const queue = queues.get(stream);
  if (queue && queue.size >= MAX_QUEUED_PER_STREAM) {
    return Promise.reject(new DomainError('UNAVAILABLE', rule`Too many changes to the same record are waiting; retry later`));
  }
  const result = queue ? queue.tail.then(run, run) : run();
  const settled = result.then(() => undefined, () => undefined);
  const current = queue ?? { tail: settled, size: 0 };
  current.tail = settled;
  current.size += 1;
  queues.set(stream, current);
  void settled.then(() => {
    current.size -= 1;
    if (current.size === 0 && queues.get(stream) === current) queues.delete(stream);
  });
  return result;
};

const decideAndAppend = async <Command, Event extends DomainEvent, State>(
  dependencies: HandlerDependencies,
  decider: Decider<Command, Event, State>,
  request: CommandRequest<Command>,
  schemaVersion: number,
): Promise<CommandResult> => {
  const { commandId } = request.metadata;
  const payloadHash = commandId === undefined ? undefined : sha256(canonicalJson(request.idempotentPayload ?? null));
  const cache = cacheOf(dependencies.store, decider.evolve);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    const loaded = await load(dependencies.store, request.stream, decider as Decider<unknown, Event, State>, cache);
    decider.authorize?.(request.command, loaded.state);
    const previous = commandId === undefined ? undefined : appliedAt(loaded, commandId);
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
      remember(cache, request.stream, afterAppend(loaded, decider as Decider<unknown, Event, State>, sealed, appended, commandId, payloadHash));
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

import type { Actor, DomainEvent } from './shared/decider.js';
import { eventHash, GENESIS_HASH } from './shared/hash-chain.js';

/** The metadata every stored domain event carries (DESIGN.md §3). No personal data here. */
export interface EventMetadata {
  readonly schemaVersion: number;
  /** When it happened in the world. */
  readonly occurredAt: string;
  /** When the system learned it. */
  readonly recordedAt: string;
  readonly actor: Actor;
  readonly commandType: string;
  readonly commandId?: string;
  /** SHA-256 of the command's input as the client sent it: the idempotency check compares it. */
  readonly payloadHash?: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly prevHash: string;
  readonly hash: string;
}

export interface CommandMetadata {
  readonly actor: Actor;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly commandType: string;
  readonly commandId?: string;
  readonly payloadHash?: string;
  readonly correlationId: string;
  readonly causationId: string;
}

export interface SealedEvent {
  readonly id: string;
  readonly type: string;
  readonly data: { readonly [key: string]: unknown };
  readonly metadata: EventMetadata;
}

/**
 * Gives each new event its id and metadata and links it into the stream's hash chain: each
 * hash covers the event's stream, revision, type, data and metadata, including the previous
 * event's hash, so changing, removing, inserting or reordering any stored event shows.
 */
export const sealEvents = (input: {
  readonly stream: string;
  readonly firstRevision: number;
  readonly previousHash: string | undefined;
  readonly events: readonly DomainEvent[];
  readonly metadata: CommandMetadata;
  readonly schemaVersion: number;
  readonly newEventId: () => string;
}): SealedEvent[] => {
  let prevHash = input.previousHash ?? GENESIS_HASH;
  return input.events.map((event, index) => {
    const unsealed = { schemaVersion: input.schemaVersion, ...withoutUndefined(input.metadata), prevHash };
    const data = event.data as { readonly [key: string]: unknown };
    const hash = eventHash({ stream: input.stream, revision: input.firstRevision + index, type: event.type, data, metadata: unsealed });
    prevHash = hash;
    return { id: input.newEventId(), type: event.type, data, metadata: { ...unsealed, hash } };
  });
};

const withoutUndefined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

import { familyEventOf } from './upcast.js';
import type { EventMetadata } from '../event-envelope.js';
import { verifyHashChainInPages, type ChainEvent, type ChainVerdict } from '../verify-hash-chain.js';
import { evolve } from './evolve.js';
import { initialFamilyState, type FamilyState } from './state.js';

/**
 * A family's past, for auditors: its state as the tracker knew it at a moment or a revision
 * (a fold of a prefix of its stream, through the same `evolve` as the decider and the read
 * model), and its stream's hash chain verified.
 *
 * "As known at" is the prefix of events recorded (`recordedAt`) up to the moment: the stream's
 * order is the order in which the tracker learned things, so a prefix is always a state the
 * rules allowed. "What had happened by" (`occurredAt`) is not folded: a later-recorded fact may
 * have happened earlier, and folding a subset out of recording order can build a state the
 * rules never allowed. Each event's `occurredAt` is in the history instead.
 */
export interface FamilyAtPoint {
  readonly state: FamilyState;
  readonly revision: number;
  readonly openedAt: string;
  /** When the last folded event was recorded. */
  readonly updatedAt: string;
}

export interface HistoryLimit {
  /** Fold the events recorded at or before this instant (RFC 3339). */
  readonly asOf?: string;
  /** Fold the events up to and including this revision. */
  readonly atRevision?: number;
}

export const recordedAtOf = (event: { readonly metadata: object }): string => (event.metadata as Partial<EventMetadata>).recordedAt ?? '';

/** The family at the limit; undefined when nothing about it was recorded by then. */
export const familyAt = async (events: AsyncIterable<ChainEvent>, limit: HistoryLimit): Promise<FamilyAtPoint | undefined> => {
  const until = limit.asOf === undefined ? Number.POSITIVE_INFINITY : Date.parse(limit.asOf);
  let point: FamilyAtPoint | undefined;
  for await (const event of events) {
    if (limit.atRevision !== undefined && event.revision > limit.atRevision) break;
    const recordedAt = recordedAtOf(event);
    if (Date.parse(recordedAt) > until) break;
    point = {
      state: evolve(point?.state ?? initialFamilyState, familyEventOf(event)),
      revision: event.revision,
      openedAt: point?.openedAt ?? recordedAt,
      updatedAt: recordedAt,
    };
  }
  return point;
};

/** Recomputes the family stream's hash chain, pausing between pages; see verifyHashChain for what each problem means. */
export const verifyFamilyStream = (stream: string, events: AsyncIterable<ChainEvent>): Promise<ChainVerdict & { readonly headHash: string | undefined }> =>
  verifyHashChainInPages(stream, events);

import type { EventMetadata } from './event-envelope.js';
import { eventHash, GENESIS_HASH } from './shared/hash-chain.js';

export interface ChainEvent {
  readonly revision: number;
  readonly type: string;
  readonly data: object;
  readonly metadata: object;
}

export type ChainProblem = 'changed' | 'missing' | 'inserted' | 'reordered' | 'broken-link';

export type ChainVerdict =
  | { readonly ok: true; readonly events: number }
  | { readonly ok: false; readonly events: number; readonly revision: number; readonly problem: ChainProblem };

const hashOf = (event: ChainEvent): string | undefined => (event.metadata as Partial<EventMetadata>).hash;
const prevHashOf = (event: ChainEvent): string | undefined => (event.metadata as Partial<EventMetadata>).prevHash;

/** The hash the event would have if it had been sealed at `revision` (its metadata less `hash`). */
const sealedHash = (stream: string, event: ChainEvent, revision: number): string => {
  const { hash: _hash, ...unsealed } = event.metadata as EventMetadata;
  return eventHash({ stream, revision, type: event.type, data: event.data, metadata: unsealed });
};

/** Is the event intact at `revision` and linked to `previousHash`? */
const sealedAt = (stream: string, event: ChainEvent | undefined, revision: number, previousHash: string): boolean =>
  event !== undefined && prevHashOf(event) === previousHash && sealedHash(stream, event, revision) === hashOf(event);

/** The revision an intact event was sealed at, searched over the stream's length and a margin. */
const originalRevision = (stream: string, event: ChainEvent, length: number): number | undefined => {
  for (let revision = 0; revision < length + 16; revision += 1) {
    if (sealedHash(stream, event, revision) === hashOf(event)) return revision;
  }
  return undefined;
};

/**
 * Recomputes a stream's hash chain from its stored events (in stored revision order) and names
 * the first revision where it breaks, and how:
 * - `changed`: the event's content or metadata differs from what was sealed;
 * - `missing`: an event is gone (a gap in revisions, or later events renumbered to close it);
 * - `inserted`: an event that was never sealed there sits at this revision;
 * - `reordered`: an intact event sits at another revision than the one it was sealed at;
 * - `broken-link`: the first event does not start the chain.
 * A rewriter who recomputes every later hash is not caught by the chain alone: compare the
 * head hash with one recorded elsewhere (`verify` prints it).
 */
export const verifyHashChain = (stream: string, events: readonly ChainEvent[]): ChainVerdict => {
  let previousHash = GENESIS_HASH;
  for (const [index, event] of events.entries()) {
    if (!intactAt(stream, event, index, previousHash)) return verdictAt(stream, events, index, previousHash);
    previousHash = hashOf(event) ?? '';
  }
  return { ok: true, events: events.length };
};

/** Is the event at its place and sealed there, after `previousHash`? */
const intactAt = (stream: string, event: ChainEvent, index: number, previousHash: string): boolean =>
  event.revision === index && sealedAt(stream, event, index, previousHash);

/** The verdict for a stream whose first event out of place or not sealed there is at `index`. */
const verdictAt = (stream: string, events: readonly ChainEvent[], index: number, previousHash: string): ChainVerdict => {
  const revision = events[index]!.revision;
  if (revision !== index) return broken(events, index, revision > index ? 'missing' : 'inserted');
  return broken(events, ...diagnose(stream, events, index, previousHash));
};

/** Events hashed between two pauses of verifyHashChainInPages (a few milliseconds of work). */
export const VERIFY_PAGE = 200;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * verifyHashChain over a stream as it is read, pausing for a turn of the event loop after every
 * `VERIFY_PAGE` events so that a long stream never holds up other callers for more than one
 * page's hashing. Same verdicts as verifyHashChain (it diagnoses a break with the same code;
 * the diagnosis itself, only for a broken stream, runs without pauses). Also gives the hash of
 * the stream's last event.
 */
export const verifyHashChainInPages = async (
  stream: string,
  events: AsyncIterable<ChainEvent>,
  pause: () => Promise<void> = nextTurn,
): Promise<ChainVerdict & { readonly headHash: string | undefined }> => {
  const read: ChainEvent[] = [];
  let previousHash = GENESIS_HASH;
  let brokenAt: number | undefined;
  for await (const event of events) {
    const index = read.push(event) - 1;
    if (brokenAt === undefined) {
      if (intactAt(stream, event, index, previousHash)) previousHash = hashOf(event) ?? '';
      else brokenAt = index;
    }
    if (read.length % VERIFY_PAGE === 0) await pause();
  }
  const verdict = brokenAt === undefined ? { ok: true as const, events: read.length } : verdictAt(stream, read, brokenAt, previousHash);
  return { ...verdict, headHash: read.length > 0 ? hashOf(read.at(-1)!) : undefined };
};

const broken = (events: readonly ChainEvent[], revision: number, problem: ChainProblem): ChainVerdict => ({ ok: false, events: events.length, revision, problem });

/** What went wrong at the first event that is not sealed where it sits. */
const diagnose = (stream: string, events: readonly ChainEvent[], index: number, previousHash: string): [number, ChainProblem] => {
  const event = events[index]!;
  const laterHashes = new Set(events.slice(index + 1).map(hashOf));
  const intactHere = sealedHash(stream, event, index) === hashOf(event);
  if (intactHere) {
    // Sealed here, but after another event: the one before it was slipped in, swapped, or
    // changed and given a freshly computed hash.
    if (index >= 2 && prevHashOf(event) === hashOf(events[index - 2]!)) return [index - 1, 'inserted'];
    if (laterHashes.has(prevHashOf(event))) return [index, 'reordered'];
    return index > 0 ? [index - 1, 'changed'] : [index, 'broken-link'];
  }
  const original = originalRevision(stream, event, events.length);
  if (original === undefined) {
    // Not sealed anywhere: changed in place, or a forgery pushed the real event one further.
    return [index, sealedAt(stream, events[index + 1], index, previousHash) ? 'inserted' : 'changed'];
  }
  // An intact event at the wrong revision. Its own predecessor still in the stream means the two
  // swapped places; gone means the events in between were removed and the rest renumbered.
  if (laterHashes.has(prevHashOf(event)) || (original === 0 && index > 0)) return [index, 'reordered'];
  if (original > index) return [index, 'missing'];
  return [original, 'inserted'];
};

/**
 * Follows many streams' chains through a read of the whole store (in global order), holding only
 * each stream's head. A stream that breaks is set aside; read it whole and pass it to
 * verifyHashChain to learn where and how.
 */
export class ChainFollower {
  private readonly heads = new Map<string, { readonly revision: number; readonly hash: string }>();
  private readonly brokenStreams = new Set<string>();
  events = 0;

  accept(stream: string, event: ChainEvent): void {
    this.events += 1;
    if (this.brokenStreams.has(stream)) return;
    const head = this.heads.get(stream);
    const revision = head ? head.revision + 1 : 0;
    if (event.revision !== revision || !sealedAt(stream, event, revision, head?.hash ?? GENESIS_HASH)) {
      this.brokenStreams.add(stream);
      return;
    }
    this.heads.set(stream, { revision, hash: hashOf(event) ?? '' });
  }

  get broken(): readonly string[] {
    return [...this.brokenStreams].sort();
  }

  /** Every intact stream's head, in stream order: the seal to record elsewhere. */
  get intactHeads(): Array<{ readonly stream: string; readonly revision: number; readonly hash: string }> {
    return [...this.heads.entries()]
      .filter(([stream]) => !this.brokenStreams.has(stream))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([stream, head]) => ({ stream, ...head }));
  }
}

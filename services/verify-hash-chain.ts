import type { EventMetadata } from './event-envelope.js';
import { eventHash, GENESIS_HASH } from './shared/hash-chain.js';

export interface ChainEvent {
  readonly revision: number;
  readonly type: string;
  readonly data: object;
  readonly metadata: object;
}

export type ChainVerdict =
  | { readonly ok: true; readonly events: number }
  | { readonly ok: false; readonly revision: number; readonly problem: 'changed' | 'missing' | 'inserted' | 'reordered' | 'broken-link' };

/**
 * Recomputes a stream's hash chain from its stored events. Reports the first revision where
 * the stored content no longer matches its hash (changed), a revision is skipped (missing),
 * repeated or out of order (inserted / reordered), or the link to the previous hash breaks.
 */
export const verifyHashChain = (stream: string, events: readonly ChainEvent[]): ChainVerdict => {
  let previousHash = GENESIS_HASH;
  for (const [index, event] of events.entries()) {
    if (event.revision !== index) {
      const problem = event.revision > index ? 'missing' : event.revision < index - 1 ? 'reordered' : 'inserted';
      return { ok: false, revision: index, problem };
    }
    const { hash, ...unsealed } = event.metadata as EventMetadata;
    if (unsealed.prevHash !== previousHash) return { ok: false, revision: event.revision, problem: 'broken-link' };
    if (eventHash({ stream, revision: event.revision, type: event.type, data: event.data, metadata: unsealed }) !== hash) {
      return { ok: false, revision: event.revision, problem: 'changed' };
    }
    previousHash = hash;
  }
  return { ok: true, events: events.length };
};

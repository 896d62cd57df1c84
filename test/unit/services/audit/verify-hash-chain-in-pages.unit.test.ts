import { describe, expect, it } from 'vitest';
import { sealEvents } from '../../../../services/event-envelope.js';
import { verifyHashChain, verifyHashChainInPages, VERIFY_PAGE, type ChainEvent } from '../../../../services/verify-hash-chain.js';

/**
 * The paged verifier gives verifyHashChain's verdicts on the same streams, and pauses between
 * pages, so other work (a timer here; other requests in the server) runs while a long stream is
 * verified.
 */
const STREAM = 'family-f';
const metadata = { actor: { userId: 'u', organizationId: 'o', role: 'ADVOCATE' as const }, occurredAt: '2024-01-01T00:00:00.000Z', recordedAt: '2024-01-01T00:00:00.000Z', commandType: 'X', correlationId: 'c', causationId: 'c' };
const chain = (length: number): ChainEvent[] =>
  sealEvents({
    stream: STREAM, firstRevision: 0, previousHash: undefined, schemaVersion: 1, newEventId: (() => { let id = 0; return () => String((id += 1)); })(), metadata,
    events: Array.from({ length }, (_, n) => ({ type: 'NoteRecorded', data: { n } })),
  }).map((event, revision) => ({ revision, type: event.type, data: event.data, metadata: event.metadata }));

async function* streamOf(events: readonly ChainEvent[]): AsyncGenerator<ChainEvent> {
  for (const event of events) yield await Promise.resolve(event);
}

const LONG = chain(1_000);
const tampered: Array<[string, () => ChainEvent[]]> = [
  ['intact', () => LONG],
  ['changed at 700', () => LONG.map((event) => (event.revision === 700 ? { ...event, data: { n: 'edited' } } : event))],
  ['missing at 450 (a gap)', () => LONG.filter((event) => event.revision !== 450)],
  ['missing at 450 (renumbered)', () => LONG.filter((event) => event.revision !== 450).map((event, revision) => ({ ...event, revision }))],
  ['reordered 300 and 301', () => LONG.map((event, i) => (i === 300 ? { ...LONG[301]!, revision: 300 } : i === 301 ? { ...LONG[300]!, revision: 301 } : event))],
  ['first event changed', () => LONG.map((event) => (event.revision === 0 ? { ...event, type: 'Other' } : event))],
];

describe('verifyHashChainInPages', () => {
  it.each(tampered)('%s: the same verdict as verifyHashChain, and the head hash', async (_what, events) => {
    const stream = events();
    const paged = await verifyHashChainInPages(STREAM, streamOf(stream));
    expect(paged).toEqual({ ...verifyHashChain(STREAM, stream), headHash: (stream.at(-1)!.metadata as { hash: string }).hash });
  });

  it('an empty stream is ok with no head', async () => {
    expect(await verifyHashChainInPages(STREAM, streamOf([]))).toEqual({ ok: true, events: 0, headHash: undefined });
  });

  it(`pauses after every ${String(VERIFY_PAGE)} events, and a timer set before the start fires before the end`, async () => {
    let pauses = 0;
    const pause = () => {
      pauses += 1;
      return new Promise<void>((resolve) => setImmediate(resolve));
    };
    let timerFiredDuringVerification = false;
    let done = false;
    setTimeout(() => (timerFiredDuringVerification = !done), 0);
    const verdict = await verifyHashChainInPages(STREAM, streamOf(LONG), pause);
    done = true;
    expect(verdict.ok).toBe(true);
    expect(pauses).toBe(Math.floor(LONG.length / VERIFY_PAGE));
    expect(timerFiredDuringVerification).toBe(true);
  });
});

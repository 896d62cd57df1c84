import { describe, expect, it } from 'vitest';
import { sealEvents } from '../../../../services/event-envelope.js';
import { eventHash } from '../../../../services/shared/hash-chain.js';
import { verifyHashChain, type ChainEvent } from '../../../../services/verify-hash-chain.js';

const STREAM = 'family-f';
const metadata = { actor: { userId: 'u', organizationId: 'o', role: 'ADVOCATE' as const }, occurredAt: '2024-01-01T00:00:00.000Z', recordedAt: '2024-01-01T00:00:00.000Z', commandType: 'X', correlationId: 'c', causationId: 'c' };
let id = 0;
const chain = (length: number): ChainEvent[] =>
  sealEvents({
    stream: STREAM, firstRevision: 0, previousHash: undefined, schemaVersion: 1, newEventId: () => String((id += 1)), metadata,
    events: Array.from({ length }, (_, n) => ({ type: 'NoteRecorded', data: { n } })),
  }).map((event, revision) => ({ revision, type: event.type, data: event.data, metadata: event.metadata }));

/** Renumbers events to 0..n-1, as an editor closing a gap or making room would. */
const renumbered = (events: ChainEvent[]): ChainEvent[] => events.map((event, revision) => ({ ...event, revision }));
/** An event forged after `previous`, with a correctly computed hash. */
const forgedAfter = (previous: ChainEvent, revision: number): ChainEvent => {
  const unsealed = { ...(previous.metadata), prevHash: (previous.metadata as { hash: string }).hash };
  delete (unsealed as { hash?: string }).hash;
  const data = { n: 'forged' };
  return { revision, type: 'NoteRecorded', data, metadata: { ...unsealed, hash: eventHash({ stream: STREAM, revision, type: 'NoteRecorded', data, metadata: unsealed }) } };
};

describe('verifyHashChain names the first revision that breaks, and how', () => {
  it('an intact chain is ok', () => {
    expect(verifyHashChain(STREAM, chain(6))).toEqual({ ok: true, events: 6 });
  });

  it.each([0, 3, 5])('changed in place at %i', (at) => {
    const events = chain(6);
    events[at] = { ...events[at]!, data: { n: 'edited' } };
    expect(verifyHashChain(STREAM, events)).toMatchObject({ ok: false, revision: at, problem: 'changed' });
  });

  it('changed with a recomputed hash: caught by the next event\'s link', () => {
    const events = chain(6);
    events[2] = { ...forgedAfter(events[1]!, 2) };
    expect(verifyHashChain(STREAM, events)).toMatchObject({ ok: false, revision: 2, problem: 'changed' });
  });

  it.each([0, 2, 4])('missing at %i: a gap in revisions', (at) => {
    const events = chain(6).filter((event) => event.revision !== at);
    expect(verifyHashChain(STREAM, events)).toMatchObject({ ok: false, revision: at, problem: 'missing' });
  });

  it.each([0, 2, 4])('missing at %i: the rest renumbered to close the gap', (at) => {
    const events = renumbered(chain(6).filter((event) => event.revision !== at));
    expect(verifyHashChain(STREAM, events)).toMatchObject({ ok: false, revision: at, problem: 'missing' });
  });

  it.each([1, 3])('inserted at %i: a forgery with a garbage hash, the rest renumbered', (at) => {
    const events = chain(6);
    events.splice(at, 0, { ...events[at]!, data: { n: 'forged' } });
    expect(verifyHashChain(STREAM, renumbered(events))).toMatchObject({ ok: false, revision: at, problem: 'inserted' });
  });

  it.each([1, 3])('inserted at %i: a forgery with a correctly computed hash, the rest renumbered', (at) => {
    const events = chain(6);
    events.splice(at, 0, forgedAfter(events[at - 1]!, at));
    expect(verifyHashChain(STREAM, renumbered(events))).toMatchObject({ ok: false, revision: at, problem: 'inserted' });
  });

  it.each([[0, 1], [2, 3], [1, 4]])('reordered: %i and %i swapped', (a, b) => {
    const events = chain(6);
    [events[a], events[b]] = [events[b]!, events[a]!];
    expect(verifyHashChain(STREAM, renumbered(events))).toMatchObject({ ok: false, revision: a, problem: 'reordered' });
  });
});

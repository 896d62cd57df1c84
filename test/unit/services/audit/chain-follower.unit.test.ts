import { describe, expect, it } from 'vitest';
import { sealEvents } from '../../../../services/event-envelope.js';
import { ChainFollower } from '../../../../services/verify-hash-chain.js';

const metadata = { actor: { userId: 'u', organizationId: 'o', role: 'ADVOCATE' as const }, occurredAt: '2024-01-01T00:00:00.000Z', recordedAt: '2024-01-01T00:00:00.000Z', commandType: 'X', correlationId: 'c', causationId: 'c' };
const chain = (stream: string, length: number) =>
  sealEvents({ stream, firstRevision: 0, previousHash: undefined, schemaVersion: 1, newEventId: () => 'id', metadata, events: Array.from({ length }, (_, n) => ({ type: 'T', data: { n } })) })
    .map((event, revision) => ({ stream, revision, type: event.type, data: event.data, metadata: event.metadata }));

describe('ChainFollower', () => {
  it('follows interleaved streams and sets aside only the broken one', () => {
    const a = chain('family-a', 4);
    const b = chain('family-b', 4);
    b[2] = { ...b[2]!, data: { n: 'edited' } };
    const follower = new ChainFollower();
    for (let i = 0; i < 4; i += 1) for (const event of [a[i]!, b[i]!]) follower.accept(event.stream, event);
    expect(follower.events).toBe(8);
    expect(follower.broken).toEqual(['family-b']);
    expect(follower.intactHeads).toEqual([{ stream: 'family-a', revision: 3, hash: a[3]!.metadata.hash }]);
  });

  it('an event out of revision order breaks the stream', () => {
    const a = chain('family-a', 3);
    const follower = new ChainFollower();
    for (const event of [a[0]!, a[2]!, a[1]!]) follower.accept(event.stream, event);
    expect(follower.broken).toEqual(['family-a']);
  });
});

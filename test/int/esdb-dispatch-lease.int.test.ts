import { afterEach, describe, expect, it } from 'vitest';
import { EsdbEventStore } from '../../infra/event-store/esdb/esdb-event-store.js';
import { createLogger } from '../../infra/logger.js';
import { DispatchLease, DISPATCH_LEASE_STREAM } from '../../infra/webhooks/dispatch-lease.js';
import { waitUntil } from '../support/async.js';
import { EsdbProtocolTestServer } from '../support/esdb-protocol-test-server.js';

/** The webhook dispatch lease between replicas, on the adapter and the protocol test server, with a clock the test moves. */
const TTL = 600;
const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

const setup = async () => {
  const server = await EsdbProtocolTestServer.start();
  const store = EsdbEventStore.connect(server.connectionString);
  stops.push(async () => {
    await store.close();
    await server.stop();
  });
  let now = Date.UTC(2026, 0, 1);
  const clock = () => new Date(now);
  const applied: Array<Record<string, string>> = [];
  const lease = (progress: Record<string, string>) => {
    const created = new DispatchLease(store, { clock, logger: createLogger('silent'), ttlMs: TTL, progress: () => progress, onPeerProgress: (p) => applied.push(p) });
    return created;
  };
  return { server, lease, applied, advance: (ms: number) => (now += ms) };
};

describe('webhook dispatch lease', () => {
  it('two replicas: exactly one holds; the other applies the holder progress', async () => {
    const { lease, applied } = await setup();
    const a = lease({ 'hook-1': 'hook-1:10' });
    const b = lease({ 'hook-1': 'hook-1:3' });
    a.start();
    b.start();
    stops.push(() => a.stop(), () => b.stop());
    await waitUntil('one holder', () => a.holds() !== b.holds());
    await waitUntil('a peer progress applied', () => applied.length > 0);
    const holder = a.holds() ? 'hook-1:10' : 'hook-1:3';
    expect(applied.at(-1)).toEqual({ 'hook-1': holder });
  });

  it('a holder that dies without releasing: the other takes over once the lease has expired, not before', async () => {
    const { server, lease, advance } = await setup();
    const a = lease({});
    a.start();
    await waitUntil('a holds', () => a.holds());
    // a dies: it stops renewing, without the release a clean stop writes.
    const dead = a as unknown as { stopped: boolean; timer: NodeJS.Timeout | undefined };
    dead.stopped = true;
    clearTimeout(dead.timer);
    const written = server.log.streamEvents(DISPATCH_LEASE_STREAM)!.length;
    const readsBefore = server.calls.read;

    const b = lease({});
    b.start();
    stops.push(() => b.stop());
    await waitUntil('b to have read the live lease a few times', () => server.calls.read >= readsBefore + 3);
    expect(b.holds()).toBe(false);
    advance(TTL + 1);
    await waitUntil('b takes over after expiry', () => b.holds(), 5_000);
    expect(server.log.streamEvents(DISPATCH_LEASE_STREAM)!.length).toBeGreaterThan(written);
  });

  it('a holder stops holding a third of the ttl before its lease runs out when it cannot renew', async () => {
    const { lease, advance } = await setup();
    const a = lease({});
    a.start();
    stops.push(() => a.stop());
    await waitUntil('a holds', () => a.holds());
    advance((2 * TTL) / 3 + 1);
    expect(a.holds()).toBe(false);
  });
});

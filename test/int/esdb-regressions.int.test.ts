import { afterEach, describe, expect, it } from 'vitest';
import { EsdbEventStore } from '../../infra/event-store/esdb/esdb-event-store.js';
import { newEventId } from '../../infra/event-store/event-id.js';
import type { EventToAppend } from '../../services/event-store/port.js';
import { collect, take, waitUntil, within } from '../support/async.js';
import { EsdbProtocolTestServer } from '../support/esdb-protocol-test-server.js';

const anEvent = (n: number): EventToAppend => ({ id: newEventId(), type: 'RegressionProbe', data: { n }, metadata: {} });

let server: EsdbProtocolTestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe('EventStoreDB adapter regressions found on the protocol test server', () => {
  it("closing one store while another store of the process has an append in flight: that append was rejected, and its answer threw inside the client (an unhandled error)", async () => {
    server = await EsdbProtocolTestServer.start();
    const [closing, appending] = [EsdbEventStore.connect(server.connectionString), EsdbEventStore.connect(server.connectionString)];
    // Both have opened their batch-append stream; then every answer is slow, so the append below is in flight when the other closes.
    await closing.appendToStream('regression-close-a', [anEvent(1)], { expectedRevision: 'no_stream' });
    await appending.appendToStream('regression-close-b', [anEvent(1)], { expectedRevision: 'no_stream' });
    server.setResponseDelay(300);
    const append = appending.appendToStream('regression-close-b', [anEvent(2)], { expectedRevision: 0 });
    await within(10_000, closing.close(), 'close() of the other store');
    await expect(append).resolves.toMatchObject({ nextExpectedRevision: 1 });
    server.setResponseDelay(0);
    await appending.close();
  });

  it('close() hung after a read the caller left early (headPosition, the bootstrap check `for await ... return`)', async () => {
    server = await EsdbProtocolTestServer.start();
    const store = EsdbEventStore.connect(server.connectionString);
    await store.appendToStream('regression-early-exit', [anEvent(1), anEvent(2), anEvent(3)], { expectedRevision: 'no_stream' });

    await store.headPosition();
    for await (const event of store.readStream('regression-early-exit')) if (event.revision === 0) break;
    const [first] = await collect(store.readAll({ maxCount: 1 }));
    await store.appendToStream('regression-early-exit', [anEvent(4)], { expectedRevision: 2 });

    expect(first).toBeDefined();
    await within(5_000, store.close(), 'close() after reads left early');
  });

  it('a $all subscription the server ended cleanly (status OK) was never resumed: the consumer waited forever', async () => {
    server = await EsdbProtocolTestServer.start();
    const store = EsdbEventStore.connect(server.connectionString);
    const subscription = store.subscribeToAll();
    const iterator = subscription[Symbol.asyncIterator]();
    await within(5_000, take(iterator, 1, (item) => item.kind === 'caughtUp'), 'caught up');

    expect(server.dropSubscriptions('end')).toBe(1);
    const { position } = await store.appendToStream('regression-clean-end', [anEvent(1)], { expectedRevision: 'no_stream' });
    const [next] = await within(5_000, take(iterator, 1), 'the event appended after the clean end');

    expect(next?.kind === 'event' && next.event.position).toEqual(position);
    await waitUntil('one open subscription again', () => server!.openSubscriptions === 1);
    await subscription.stop();
    await within(5_000, store.close(), 'close()');
  });
});

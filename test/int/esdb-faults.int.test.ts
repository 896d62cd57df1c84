import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer as createTcpServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { EsdbEventStore } from '../../infra/event-store/esdb/esdb-event-store.js';
import { EventStoreUnavailableError } from '../../infra/event-store/esdb/esdb-unavailable.js';
import { newEventId } from '../../infra/event-store/event-id.js';
import { WrongExpectedRevisionError } from '../../services/event-store/errors.js';
import type { AllSubscription, EventToAppend } from '../../services/event-store/port.js';
import { collect, waitUntil, within } from '../support/async.js';
import { EsdbProtocolTestServer } from '../support/esdb-protocol-test-server.js';

const RACER = fileURLToPath(new URL('../support/esdb-append-racer.ts', import.meta.url));

const anEvent = (n: number): EventToAppend => ({ id: newEventId(), type: 'FaultProbe', data: { n }, metadata: {} });

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const startServer = async (port?: number): Promise<EsdbProtocolTestServer> => {
  const server = await EsdbProtocolTestServer.start(port === undefined ? {} : { port });
  cleanups.push(() => server.stop());
  return server;
};

const connect = (connectionString: string, unavailableRetryMs?: number): EsdbEventStore => {
  const store = EsdbEventStore.connect(connectionString, unavailableRetryMs === undefined ? {} : { unavailableRetryMs });
  cleanups.push(() => within(10_000, store.close(), 'store.close()'));
  return store;
};

/** Collects the ids of every user event a subscription delivers, in order. */
const collector = (subscription: AllSubscription) => {
  const ids: string[] = [];
  const done = (async () => {
    for await (const item of subscription) if (item.kind === 'event') ids.push(item.event.id);
  })();
  cleanups.push(async () => {
    await subscription.stop();
    await done;
  });
  return ids;
};

describe('EventStoreDB adapter faults, driven through the protocol test server', () => {
  for (const how of ['unavailable', 'end'] as const) {
    it(`a $all subscription dropped (${how}) again and again resumes from the last delivered event: nothing lost, nothing repeated`, async () => {
      const server = await startServer();
      const store = connect(server.connectionString);
      await store.appendToStream('fault-before', [anEvent(0), anEvent(1)], { expectedRevision: 'no_stream' });
      const delivered = collector(store.subscribeToAll());

      let revision: number | 'no_stream' = 'no_stream';
      let drops = 0;
      for (let round = 0; round < 20; round += 1) {
        const result = await store.appendToStream('fault-during', [anEvent(round * 3), anEvent(round * 3 + 1), anEvent(round * 3 + 2)], {
          expectedRevision: revision,
        });
        revision = result.nextExpectedRevision;
        if (round % 4 === 1) server.log.writeSystemEvent('$stats-127.0.0.1:2113', '$statsCollected');
        if (round % 3 === 0) {
          await waitUntil('the subscription to be open again', () => server.openSubscriptions > 0);
          drops += server.dropSubscriptions(how);
        }
      }
      const expected = (await collect(store.readAll())).map((event) => event.id);
      await waitUntil('every event delivered', () => delivered.length >= expected.length, 20_000);

      expect(drops).toBeGreaterThanOrEqual(5);
      expect(delivered).toEqual(expected);
      expect(server.calls.subscribe).toBeGreaterThan(drops);
    });
  }

  it('a server unavailable at start-up: calls retry while it comes up, then succeed', async () => {
    // Until the server starts, its port takes connections and drops them at once.
    let attempts = 0;
    const refuser = createTcpServer((socket) => {
      attempts += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => refuser.listen(0, '127.0.0.1', resolve));
    const { port } = refuser.address() as { port: number };
    const store = connect(`esdb://127.0.0.1:${String(port)}?tls=false`, 15_000);

    const append = store.appendToStream('fault-startup', [anEvent(1)], { expectedRevision: 'no_stream' });
    const head = store.headPosition();
    const delivered = collector(store.subscribeToAll());
    await waitUntil('the client to have tried and failed three times', () => attempts >= 3);
    await new Promise<void>((resolve) => refuser.close(() => resolve()));
    const server = await startServer(port);

    const result = await within(15_000, append, 'append once the server is up');
    expect(result.nextExpectedRevision).toBe(0);
    await expect(within(15_000, head, 'head once the server is up')).resolves.toBeDefined();
    const [stored] = await collect(store.readStream('fault-startup'));
    await waitUntil('the subscription to deliver the event', () => delivered.includes(stored!.id), 15_000);
    expect(server.log.streamEvents('fault-startup')).toHaveLength(1);
  });

  it('a server that stays unavailable: a clear error naming the node (never the credentials) after the retry budget', async () => {
    const probe = await EsdbProtocolTestServer.start();
    const port = probe.port;
    await probe.stop();
    const store = connect(`esdb://admin:changeit@127.0.0.1:${String(port)}?tls=false`, 1_000);
    const started = Date.now();

    const error = await store.appendToStream('fault-down', [anEvent(1)], { expectedRevision: 'no_stream' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(EventStoreUnavailableError);
    expect((error as Error).message).toMatch(new RegExp(`EventStoreDB at 127\\.0\\.0\\.1:${String(port)} is unavailable: no answer after \\d+ attempts`));
    expect((error as Error).message).not.toMatch(/changeit|admin/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    await expect(collect(store.readStream('fault-down'))).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });

  it('a slow server (300 ms per answer): appends, reads and the subscription still work, in order', async () => {
    const server = await startServer();
    const store = connect(server.connectionString);
    const delivered = collector(store.subscribeToAll());
    server.setResponseDelay(300);
    const started = Date.now();

    const results = await Promise.all(
      Array.from({ length: 10 }, (_, k) => store.appendToStream(`fault-slow-${String(k)}`, [anEvent(k)], { expectedRevision: 'no_stream' })),
    );
    const elapsed = Date.now() - started;
    const expected = (await collect(store.readAll())).map((event) => event.id);
    await waitUntil('the slow subscription to deliver', () => delivered.length >= expected.length, 10_000);

    expect(elapsed).toBeGreaterThanOrEqual(300);
    expect(elapsed).toBeLessThan(3_000); // answered concurrently, not one after the other
    expect(results.every((result) => result.nextExpectedRevision === 0)).toBe(true);
    expect(delivered).toEqual(expected);
  });

  it('WrongExpectedVersion under concurrent writers in two processes: exactly one wins each round, the other learns the actual revision', async () => {
    const server = await startServer();
    const store = connect(server.connectionString);
    const racers = [spawnRacer(server.connectionString), spawnRacer(server.connectionString)];
    await Promise.all(racers.map((racer) => within(30_000, racer.next(), 'racer ready')));

    const stream = `fault-race-${newEventId()}`;
    await store.appendToStream(stream, [anEvent(0)], { expectedRevision: 'no_stream' });
    let revision = 0;
    for (let round = 0; round < 15; round += 1) {
      for (const racer of racers) racer.send(`${stream} ${String(revision)}`);
      const outcomes = (await Promise.all(racers.map((racer) => within(10_000, racer.next(), 'racer outcome')))).map(
        (line) => JSON.parse(line) as { won: boolean; next?: number; error?: string; actual?: number },
      );
      const winners = outcomes.filter((outcome) => outcome.won);
      const losers = outcomes.filter((outcome) => !outcome.won);
      expect(winners).toHaveLength(1);
      expect(losers).toEqual([{ won: false, error: 'WrongExpectedRevisionError', actual: revision + 2 }]);
      revision = winners[0]!.next!;
    }
    const stored = await collect(store.readStream(stream));
    expect(stored.map((event) => event.revision)).toEqual(Array.from({ length: 31 }, (_, k) => k));
  });

  it('positions beyond 2^53 stay exact through the client (a long-lived log)', async () => {
    const server = await startServer();
    const store = connect(server.connectionString);
    const floor = 2n ** 53n + 10n;
    server.log.advanceBeyond(floor);

    const result = await store.appendToStream('fault-big', [anEvent(1), anEvent(2)], { expectedRevision: 'no_stream' });
    const read = await collect(store.readStream('fault-big'));
    const after = await collect(store.readAll({ after: read[0]!.position }));

    expect(read[0]!.position.commit).toBe(floor + 1n);
    expect(read[1]!.position.commit > floor + 1n).toBe(true);
    expect(result.position).toEqual(read[1]!.position);
    expect(after.map((event) => event.id)).toEqual([read[1]!.id]);
    expect(await store.headPosition()).toEqual(read[1]!.position);
  });

  it('a stale exact revision from a second client names the actual revision', async () => {
    const server = await startServer();
    const [a, b] = [connect(server.connectionString), connect(server.connectionString)];
    await a.appendToStream('fault-two-clients', [anEvent(0)], { expectedRevision: 'no_stream' });
    await b.appendToStream('fault-two-clients', [anEvent(1)], { expectedRevision: 0 });

    const error = await a.appendToStream('fault-two-clients', [anEvent(2)], { expectedRevision: 0 }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(WrongExpectedRevisionError);
    expect(error).toMatchObject({ expected: 0, actual: 1 });
  });
});

/** A racer child process: `next()` is its next line of output, `send()` writes one line. */
const spawnRacer = (connectionString: string) => {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--import', 'tsx', RACER, connectionString]);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  cleanups.push(async () => {
    child.stdin.end();
    if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
  });
  return {
    send: (line: string) => child.stdin.write(`${line}\n`),
    next: async (): Promise<string> => {
      const next = await lines.next();
      if (next.done) throw new Error(`racer exited: ${stderr.slice(0, 500)}`);
      return next.value;
    },
  };
};

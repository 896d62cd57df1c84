import { END, EventStoreDBClient, FORWARDS, START, excludeSystemEvents, jsonEvent, streamNameFilter, type Position } from '@eventstore/db-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil, within } from '../support/async.js';
import { EsdbProtocolTestServer } from '../support/esdb-protocol-test-server.js';

/**
 * The protocol test server as the official client sees it, below the adapter: what the adapter
 * does not use directly (checkpoints, filters by stream prefix, unfiltered $all with system
 * events, which append method the client picks) is checked here, so the double stays honest.
 */
let server: EsdbProtocolTestServer;
let client: EventStoreDBClient;
const event = (n: number) => jsonEvent({ type: 'ProtocolProbe', data: { n } });

beforeAll(async () => {
  server = await EsdbProtocolTestServer.start();
  client = EventStoreDBClient.connectionString(server.connectionString);
});
afterAll(async () => {
  await client.dispose();
  await server.stop();
});

describe('the protocol test server, through @eventstore/db-client', () => {
  it('the client appends with BatchAppend once the server lists it among its features', async () => {
    await client.appendToStream('protocol-batch', [event(1), event(2)]);
    expect(server.calls.features).toBe(1);
    expect(server.calls.batchAppend).toBe(1);
    expect(server.calls.append).toBe(0);
  });

  it('an unfiltered $all read includes the $-prefixed system records; excludeSystemEvents leaves them out', async () => {
    server.log.writeSystemEvent('$stats-127.0.0.1:2113', '$statsCollected');
    const all = [];
    for await (const resolved of client.readAll({ fromPosition: START, direction: FORWARDS })) all.push(resolved.event!);
    expect(all.some((recorded) => recorded.type.startsWith('$'))).toBe(true);
    expect(all.every((recorded) => recorded.position.commit === recorded.position.prepare)).toBe(true);
    const positions = all.map((recorded) => recorded.position.commit);
    expect([...positions].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))).toEqual(positions);
  });

  it('reading a stream forwards from its end returns nothing; backwards from the end returns the newest', async () => {
    const forwards = [];
    for await (const resolved of client.readStream('protocol-batch', { fromRevision: END, direction: FORWARDS })) forwards.push(resolved);
    const [newest] = await collectFrom(client.readStream('protocol-batch', { fromRevision: END, direction: 'backwards', maxCount: 1 }));
    expect(forwards).toHaveLength(0);
    expect(newest?.event?.revision).toBe(1n);
  });

  it('a filtered $all subscription catches up, sends checkpoints every window of considered events, CaughtUp, then live events', async () => {
    for (let k = 0; k < 70; k += 1) await client.appendToStream(`protocol-other-${String(k)}`, [event(k)]);
    await client.appendToStream('protocol-wanted-1', [event(1)]);
    const checkpoints: Position[] = [];
    const delivered: string[] = [];
    let caughtUp = false;
    const subscription = client.subscribeToAll({
      fromPosition: START,
      filter: streamNameFilter({ prefixes: ['protocol-wanted-'], checkpointInterval: 1, checkpointReached: (_subscription, position) => void checkpoints.push(position) }),
    });
    subscription.on('data', (resolved: { event?: { streamId: string } }) => delivered.push(resolved.event!.streamId));
    subscription.on('caughtUp', () => (caughtUp = true));
    await waitUntil('caught up', () => caughtUp);
    await client.appendToStream('protocol-wanted-2', [event(2)]);
    await waitUntil('the live event', () => delivered.length === 2);
    await subscription.unsubscribe();

    expect(delivered).toEqual(['protocol-wanted-1', 'protocol-wanted-2']);
    expect(checkpoints.length).toBeGreaterThanOrEqual(2);
    for (let k = 1; k < checkpoints.length; k += 1) expect(checkpoints[k]!.commit > checkpoints[k - 1]!.commit).toBe(true);
  });

  it('excludeSystemEvents on a subscription delivers user events only, in log order', async () => {
    const subscription = client.subscribeToAll({ fromPosition: START, filter: excludeSystemEvents() });
    const types: string[] = [];
    let caughtUp = false;
    subscription.on('data', (resolved: { event?: { type: string } }) => types.push(resolved.event!.type));
    subscription.on('caughtUp', () => (caughtUp = true));
    await within(10_000, waitUntil('caught up', () => caughtUp), 'caught up');
    await subscription.unsubscribe();
    expect(types.length).toBeGreaterThan(70);
    expect(types.every((type) => !type.startsWith('$'))).toBe(true);
  });
});

const collectFrom = async <T>(iterable: AsyncIterable<T>): Promise<T[]> => {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
};

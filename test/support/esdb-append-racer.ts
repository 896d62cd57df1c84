/**
 * Child process of the concurrent-writers test: one EventStoreDB client of its own. After it
 * prints `ready`, each stdin line `<stream> <expected revision>` appends two events there and
 * prints the outcome as one JSON line. Usage: esdb-append-racer <connection string>
 */
import { createInterface } from 'node:readline';
import { WrongExpectedRevisionError } from '../../services/event-store/errors.js';
import { newEventId } from '../../infra/event-store/event-id.js';
import { EsdbEventStore } from '../../infra/event-store/esdb/esdb-event-store.js';

const [connectionString] = process.argv.slice(2);
if (!connectionString) throw new Error('usage: esdb-append-racer <connection string>');

const store = EsdbEventStore.connect(connectionString);
await store.headPosition();
process.stdout.write('ready\n');

for await (const line of createInterface({ input: process.stdin })) {
  const [stream, expected] = line.split(' ');
  if (!stream || expected === undefined) break;
  const events = [0, 1].map((n) => ({ id: newEventId(), type: 'Raced', data: { n, pid: process.pid }, metadata: {} }));
  try {
    const result = await store.appendToStream(stream, events, { expectedRevision: Number(expected) });
    process.stdout.write(`${JSON.stringify({ won: true, next: result.nextExpectedRevision })}\n`);
  } catch (error) {
    const actual = error instanceof WrongExpectedRevisionError ? error.actual : undefined;
    process.stdout.write(`${JSON.stringify({ won: false, error: error instanceof Error ? error.name : String(error), actual })}\n`);
  }
}
await store.close();

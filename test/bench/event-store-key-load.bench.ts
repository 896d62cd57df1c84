/**
 * What holding every data key in memory costs a replica (infra/keys/event-store-key-store.ts):
 * `--keys N` subjects keyed in the protocol test server (in this process), then a fresh replica
 * opens: the time to load them (the log, then one read per key stream) and the memory they take
 * (heap + external, after a GC). Run: node --expose-gc --import tsx test/bench/event-store-key-load.bench.ts --keys 20000
 */
import { randomBytes } from 'node:crypto';
import { EsdbEventStore } from '../../infra/event-store/esdb/esdb-event-store.js';
import { newEventId } from '../../infra/event-store/event-id.js';
import { EventStoreKeyStore, KEY_LOG_STREAM, keyStreamOf } from '../../infra/keys/event-store-key-store.js';
import { dataKeyContext, wrap } from '../../infra/keys/sqlite-key-store.js';
import { familyDataKeyId } from '../../services/privacy/data-key-id.js';
import { EsdbProtocolTestServer } from '../support/esdb-protocol-test-server.js';

const count = Number(process.argv[process.argv.indexOf('--keys') + 1] ?? 20_000) || 20_000;
const master = randomBytes(32);
const server = await EsdbProtocolTestServer.start();
const store = EsdbEventStore.connect(server.connectionString);
await new EventStoreKeyStore(store, master).open();
const subjects = Array.from({ length: count }, () => familyDataKeyId(newEventId(), 'mother'));
for (let start = 0; start < subjects.length; start += 500) {
  const slice = subjects.slice(start, start + 500);
  await store.appendToStream(KEY_LOG_STREAM, slice.map((subjectId) => ({ id: newEventId(), type: 'SubjectKeyed', data: { subjectId }, metadata: {} })), { expectedRevision: 'any' });
  await Promise.all(slice.map((subjectId) => store.appendToStream(keyStreamOf(subjectId), [{
    id: newEventId(), type: 'DataKeyCreated', data: { format: 1, subjectId, wrapped: wrap(master, dataKeyContext(subjectId), randomBytes(32)).toString('base64') }, metadata: {},
  }], { expectedRevision: 'no_stream' })));
}
const gc = (globalThis as { gc?: () => void }).gc;
/** Heap and memory outside it (Buffers; `external` includes `arrayBuffers`), after a full GC. */
const used = (): { heap: number; external: number } => {
  gc?.();
  gc?.();
  const { heapUsed, external } = process.memoryUsage();
  return { heap: heapUsed, external };
};
const before = used();
const replica = new EventStoreKeyStore(store, master);
const started = performance.now();
await replica.open();
const loadMs = performance.now() - started;
const after = used();
process.stdout.write(`${JSON.stringify({ keys: replica.size, loadMs: Math.round(loadMs), keysPerSecond: Math.round((replica.size * 1000) / loadMs), heapBytesPerKey: Math.round((after.heap - before.heap) / replica.size), externalBytesPerKey: Math.round((after.external - before.external) / replica.size), gc: gc !== undefined })}\n`);
await replica.close();
await store.close();
await server.stop();

import { EsdbEventStore } from '../../infra/event-store/esdb/esdb-event-store.js';
import { findEventStoreDb } from '../support/eventstoredb.js';
import { describeEventStoreContract } from './event-store.contract.js';

const target = await findEventStoreDb();

if (target.kind === 'unavailable') {
  console.warn(`\n[contract] real EventStoreDB run SKIPPED: ${target.reason}\n`);
} else {
  console.warn('\n[contract] real EventStoreDB run: against a live server or a container\n');
}

describeEventStoreContract(
  'real EventStoreDB',
  async () => {
    if (target.kind === 'unavailable') throw new Error(target.reason);
    const server = await target.connect();
    const store = EsdbEventStore.connect(server.connectionString);
    return {
      store,
    streamDeletion: 'tombstone',
      dispose: async () => {
        await store.close();
        await server.stop();
      },
    };
  },
  target.kind === 'unavailable' ? { skipReason: target.reason } : {},
);

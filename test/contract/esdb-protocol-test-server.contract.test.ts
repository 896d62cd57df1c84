import { EsdbEventStore } from '../../infra/event-store/esdb/esdb-event-store.js';
import { EsdbProtocolTestServer } from '../support/esdb-protocol-test-server.js';
import { describeEventStoreContract } from './event-store.contract.js';

console.warn(
  '\n[contract] EventStoreDB protocol test server run: the real @eventstore/db-client adapter against a gRPC test double on loopback (NOT EventStoreDB)\n',
);

describeEventStoreContract('EventStoreDB adapter on the protocol test server (not EventStoreDB)', async () => {
  const server = await EsdbProtocolTestServer.start();
  const store = EsdbEventStore.connect(server.connectionString);
  return {
    store,
    streamDeletion: 'tombstone',
    dispose: async () => {
      await store.close();
      await server.stop();
    },
  };
});

/**
 * The server of the scale benchmark, in its own process (so the load generator does not share
 * its event loop): the tracker's HTTP stack and GraphQL schema over a store and read models the
 * benchmark has already built (`tsx scale-server.ts <events.sqlite> <key-dir> <read-models.sqlite>
 * [--unsealed]`), composed as the tracker composes them: the events opened through the key store
 * (they are sealed at rest), the read models sealed with it and opened by the read side (unless
 * `--unsealed`: read models rebuilt without sealing), with
 * the projector following the store (the access log's events are appended and projected as in
 * production) but without the search index, whose first catch-up would run during the load.
 * Prints `{"url": ...}` once listening; SIGTERM stops it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { createFamilyHistoryReader } from '../../infra/http/family-history-reader.js';
import { SqliteEventStore } from '../../infra/event-store/sqlite/sqlite-event-store.js';
import { KEY_STORE_FILE, loadMasterKey } from '../../infra/keys/master-key.js';
import { SqliteKeyStore } from '../../infra/keys/sqlite-key-store.js';
import { sealReadModelsOf } from '../../projections/read-model-sealing.js';
import { EncryptingEventStore } from '../../services/privacy/encrypting-event-store.js';
import { PersonalDataCipher } from '../../services/privacy/personal-data-cipher.js';
import { createApp } from '../../infra/http/app.js';
import { createFamilyWriter } from '../../infra/http/family-writer.js';
import { createContextFactory } from '../../infra/http/graphql-context.js';
import { accessReadModelsUnavailable, GuardedStatementCache } from '../../infra/http/read-model-guard.js';
import { createLogger } from '../../infra/logger.js';
import { WebhookOutbox } from '../../infra/webhooks/outbox.js';
import { createWebhookDeliveries } from '../../infra/webhooks/webhook-deliveries.js';
import { PROJECTIONS } from '../../projections/all-projections.js';
import { Projector } from '../../projections/projector.js';
import { openReadModelDatabase } from '../../projections/read-model-database.js';
import { buildSchema } from '../../schema/index.js';

const [eventsFile, keyDir, readModelsFile] = process.argv.slice(2);
if (!eventsFile || !keyDir || !readModelsFile) throw new Error('usage: scale-server.ts <events.sqlite> <key-dir> <read-models.sqlite> [--unsealed]');
const keys = SqliteKeyStore.open(join(keyDir, KEY_STORE_FILE), loadMasterKey({ keyDir, masterKeyFile: undefined, masterKey: undefined }).key);
const store = new EncryptingEventStore(SqliteEventStore.open(eventsFile), new PersonalDataCipher(keys), { alsoClose: () => keys.close() });
const db = openReadModelDatabase(readModelsFile);
const sealing = process.argv.includes('--unsealed') ? undefined : sealReadModelsOf(db, keys);
const projector = new Projector(store, db, PROJECTIONS);
await projector.catchUp();
projector.start();
const clock = (): Date => new Date();
const { app } = createApp({
  schema: buildSchema({ version: 'bench', eventStoreKind: 'sqlite' }), production: true, logger: createLogger('silent'),
  readiness: () => Promise.resolve({ ready: true, details: {} }),
  context: createContextFactory({
    cache: new GuardedStatementCache(db, accessReadModelsUnavailable(projector)), unavailableNow: accessReadModelsUnavailable(projector),
    writer: createFamilyWriter(store, projector, clock), history: createFamilyHistoryReader(store), clock,
    waitForProgress: (ms) => projector.waitForProgress(ms, 'families'),
    webhooks: createWebhookDeliveries(new WebhookOutbox(join(dirname(readModelsFile), 'scale-webhooks.sqlite'))),
  }),
});
const server = createServer(app);
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`{"url":"http://127.0.0.1:${String((server.address() as AddressInfo).port)}"}\n`);
});
process.once('SIGTERM', () => {
  server.close();
  void projector.stop().then(async () => {
    sealing?.stop();
    db.close();
    await store.close();
    process.exit(0);
  });
});

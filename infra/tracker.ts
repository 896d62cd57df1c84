import { createFamilyHistoryReader } from './http/family-history-reader.js';
import { attachGraphQLWebSocket } from './http/websocket.js';
import { WebhookDispatcher } from './webhooks/dispatcher.js';
import { WebhookOutbox } from './webhooks/outbox.js';
import { createWebhookDeliveries } from './webhooks/webhook-deliveries.js';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { accessLogProjection } from '../projections/access-log/access-log-projection.js';
import { familiesProjection } from '../projections/families/families-projection.js';
import { organizationsProjection } from '../projections/organizations/organizations-projection.js';
import { Projector } from '../projections/projector.js';
import { openReadModelDatabase } from '../projections/read-model-database.js';
import { buildSchema } from '../schema/index.js';
import { bootstrapSystemOrganization } from './auth/bootstrap.js';
import type { Config } from './config.js';
import { newEventId } from './event-store/event-id.js';
import { openEventStore } from './event-store/open-event-store.js';
import { formatPosition, parsePosition, type Position } from '../services/event-store/position.js';
import { createApp } from './http/app.js';
import { createFamilyWriter } from './http/family-writer.js';
import { connectionVerdict, createContextFactory } from './http/graphql-context.js';
import { accessReadModelsUnavailable, GuardedStatementCache, runWhileServing } from './http/read-model-guard.js';
import type { Logger } from './logger.js';

export interface RunningTracker {
  readonly url: string;
  readonly projector: Projector;
  readonly close: () => Promise<void>;
}

export const PROJECTIONS = [organizationsProjection, familiesProjection, accessLogProjection];

const packageVersion = (): string =>
  (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** How long open streams (SSE subscriptions) may run on after a stop before they are cut. */
const STREAM_GRACE_MS = 1_000;
/** A webhook endpoint that has not answered by then counts as a failed attempt. */
const WEBHOOK_TIMEOUT_MS = 10_000;

/** The composition root: event store, projector and read models, GraphQL schema, HTTP server. */
export const startTracker = async (config: Config, logger: Logger): Promise<RunningTracker> => {
  mkdirSync(config.dataDir, { recursive: true });
  const store = openEventStore(config.eventStore);
  const readDb = openReadModelDatabase(join(config.dataDir, 'read-models.sqlite'));
  const projector = new Projector(store, readDb, PROJECTIONS);
  projector.start();

  const bootstrap = await bootstrapSystemOrganization(store, { store, newEventId }, config.bootstrapAdminKey, new Date().toISOString());
  if (bootstrap.generatedKey) {
    process.stderr.write(`\nFirst start: the system administrator's API key (shown once, store it now):\n\n  ${bootstrap.generatedKey}\n\n`);
  }
  if (bootstrap.position) await projector.waitFor(bootstrap.position, 30_000, [organizationsProjection.name]);

  const clock = (): Date => new Date();
  // Every read of the read models in the server is refused while they may not answer.
  const unavailableNow = accessReadModelsUnavailable(projector);
  const cache = new GuardedStatementCache(readDb, unavailableNow);
  const outbox = new WebhookOutbox(join(config.dataDir, 'webhooks.sqlite'));
  const dispatcher = new WebhookDispatcher(cache, outbox, {
    ...config.webhooks,
    timeoutMs: WEBHOOK_TIMEOUT_MS,
    clock,
    logger,
    waitForProgress: (ms) => projector.waitForProgress(ms, familiesProjection.name),
  });
  const webhookDelivery = runWhileServing(projector, dispatcher);
  const { app, yoga } = createApp({
    schema: buildSchema({ version: packageVersion(), eventStoreKind: config.eventStore.kind }),
    production: config.production,
    logger,
    readiness: async () => readiness(projector, await store.headPosition(), config.eventStore.kind),
    context: createContextFactory({
      cache,
      writer: createFamilyWriter(store, projector, clock),
      history: createFamilyHistoryReader(store),
      clock,
      waitForProgress: (ms) => projector.waitForProgress(ms, familiesProjection.name),
      webhooks: createWebhookDeliveries(outbox),
      unavailableNow,
    }),
  });
  const server = createServer(app);
  // Idle keep-alive connections outlive the usual client and proxy idle timeouts (60 s), so a
  // client never sends a request on a connection the server is closing at that moment.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const closeWebSockets = attachGraphQLWebSocket(server, yoga, logger, (authorization) => connectionVerdict(cache, unavailableNow, authorization));
  await listen(server, config.port, config.host);
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${String(port)}`;
  logger.info({ url, graphql: `${url}/graphql`, eventStore: config.eventStore.kind, dataDir: config.dataDir }, 'listening');

  return {
    url,
    projector,
    close: async () => {
      await closeWebSockets();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Open subscription streams never go idle: they get a moment to finish, then are cut.
      const cut = setTimeout(() => server.closeAllConnections(), STREAM_GRACE_MS);
      await closed;
      clearTimeout(cut);
      await webhookDelivery.stop();
      outbox.close();
      await projector.stop();
      readDb.close();
      await store.close();
    },
  };
};

/**
 * /readyz: ready once every projection has caught up, and none is stalled, rebuilding or behind
 * the store's head at start; `notServing` names each projection that is not, with the reason
 * and what it is doing. Each projection's `behind` is the distance from its checkpoint to the
 * newest event: events on the embedded store, bytes of the transaction log on EventStoreDB.
 */
const readiness = (projector: Projector, head: Position | undefined, eventStore: string) => {
  const notServing = projector.notServing();
  return {
    ready: projector.ready() && notServing.length === 0,
    details: {
      eventStore,
      headPosition: head ? formatPosition(head) : null,
      notServing,
      projections: projector.status().map((status) => {
        const at = status.position ? parsePosition(status.position) : undefined;
        return { ...status, behind: head ? Number(head.commit - (at?.commit ?? 0n)) : 0 };
      }),
    },
  };
};

const listen = (server: Server, port: number, host: string): Promise<void> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

import { createFamilyHistoryReader } from './http/family-history-reader.js';
import { attachGraphQLWebSocket } from './http/websocket.js';
import { activeWebhooks, WebhookDispatcher } from './webhooks/dispatcher.js';
import { DispatchLease } from './webhooks/dispatch-lease.js';
import { WebhookOutbox } from './webhooks/outbox.js';
import { systemResolver } from './webhooks/target-address.js';
import { createWebhookDeliveries } from './webhooks/webhook-deliveries.js';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PROJECTIONS } from '../projections/all-projections.js';
import { familiesProjection } from '../projections/families/families-projection.js';
import { organizationsProjection } from '../projections/organizations/organizations-projection.js';
import { Projector } from '../projections/projector.js';
import { openReadModelDatabase } from '../projections/read-model-database.js';
import { buildSchema } from '../schema/index.js';
import { bootstrapSystemOrganization } from './auth/bootstrap.js';
import type { Config } from './config.js';
import { lockDataDir } from './data-dir-lock.js';
import { createOwnerOnlyFiles, narrowDataDir } from './private-files.js';
import { newEventId } from './event-store/event-id.js';
import { openEventStore } from './event-store/open-event-store.js';
import { openKeyStore, type OpenedKeyStore } from './keys/open-key-store.js';
import { EventStoreKeyStore } from './keys/event-store-key-store.js';
import { EncryptingEventStore } from '../services/privacy/encrypting-event-store.js';
import { PersonalDataCipher } from '../services/privacy/personal-data-cipher.js';
import { formatPosition, parsePosition, type Position } from '../services/event-store/position.js';
import { createApp } from './http/app.js';
import { ResponseCache } from '../schema/plugins/response-cache.js';
import { createFamilyWriter } from './http/family-writer.js';
import { connectionVerdict, createContextFactory } from './http/graphql-context.js';
import { accessLogUnavailable, accessReadModelsUnavailable, GuardedStatementCache, projectorUnavailable, runWhileServing } from './http/read-model-guard.js';
import { openKeyDirectory } from './keys/key-directory.js';
import { loadMasterKey } from './keys/master-key.js';
import { startErasureSweep } from './keys/erasure-sweep.js';
import { forgetFoldedStates } from '../services/command-handler.js';
import { forgetDecodedFamilyStates } from '../schema/resolvers/family.js';
import type { EventStore } from '../services/event-store/port.js';
import { openSearchIndexFile, SEARCH_INDEX_FILE } from '../projections/search/search-index-file.js';
import { createSearchProjection } from '../projections/search/search-projection.js';
import { termHasher } from '../projections/search/search-terms.js';
import type { Logger } from './logger.js';
import { sealReadModelsOf } from '../projections/read-model-sealing.js';

export interface RunningTracker {
  readonly url: string;
  readonly projector: Projector;
  readonly close: () => Promise<void>;
}

/**
 * What tests may supply instead of the process's own: the clock the server reads "now" from
 * (access expiry, deadlines, when commands are issued; the event store stamps its own
 * recordedAt), and where the first start shows the generated administrator key. Default: the
 * wall clock and standard error.
 */
export interface TrackerOptions {
  readonly clock?: () => Date;
  readonly stderr?: NodeJS.WritableStream;
  /**
   * For `npm run bench` only (test/bench/encryption.bench.ts), never from the environment or the
   * configuration: the same composition without encryption at rest (events stored as given,
   * read models unsealed), the baseline the cost of encryption is measured against. No
   * production entry point (infra/main.ts, the CLI) passes it.
   */
  readonly plaintextAtRestForBenchmarks?: true;
}

const packageVersion = (): string =>
  (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** How long open streams (SSE subscriptions) may run on after a stop before they are cut. */
const STREAM_GRACE_MS = 1_000;

/** The composition root: event store, projector and read models, GraphQL schema, HTTP server. */
export const startTracker = async (config: Config, logger: Logger, options: TrackerOptions = {}): Promise<RunningTracker> => {
  const clock = options.clock ?? ((): Date => new Date());
  createOwnerOnlyFiles();
  narrowDataDir(config.dataDir);
  const encrypted = options.plaintextAtRestForBenchmarks !== true;
  const { lock, keys, store, readDb } = await openDataDir(config, logger, encrypted);
  if (keys.firstStartNotice) (options.stderr ?? process.stderr).write(keys.firstStartNotice);
  // Personal values in the read models are sealed with the same keys as the events (read-model-sealer.ts).
  const stopOpening = encrypted ? sealReadModelsOf(readDb, keys.keyStore).stop : () => undefined;
  const forgetPeople = (): void => {
    forgetFoldedStates(store);
    forgetDecodedFamilyStates();
  };
  // With the key store in EventStoreDB another replica's erasure or rotation reaches this one through it.
  if (keys.keyStore instanceof EventStoreKeyStore) {
    keys.keyStore.listen({
      erased: forgetPeople,
      rotatedAway: () => logger.error('the master key was rotated (tracker rotate-master-key): this replica records no new person until restarted with the new master key'),
      followFailed: (error) => logger.warn({ err: { name: error.name, message: error.message } }, 'the subscription to the key streams failed: keys are read from their streams until it is back'),
    });
  }
  // Kept answers of read queries, reused until a projector batch may have changed them (schema/plugins/response-cache.ts).
  const responseCache = new ResponseCache();
  const projector = new Projector(store, readDb, responseCache.watching(PROJECTIONS), undefined, (projection, checkpoint, head) =>
    logger.warn({ projection, checkpoint, head }, "the projection's checkpoint is beyond the event store's head (an older event store restored?): rebuilding it"));
  projector.start();
  // Destroys any erased subject's key that survived a crash between SubjectErased and its destruction.
  const erasureSweep = startErasureSweep(projector, readDb, keys.keyStore, logger, forgetPeople);
  const search = openSearch(config, logger, store);
  search.projector.start();

  const bootstrap = await bootstrapSystemOrganization(store, { store, newEventId }, config.bootstrapAdminKey, clock().toISOString());
  if (bootstrap.generatedKey) {
    (options.stderr ?? process.stderr).write(`\nFirst start: the system administrator's API key (shown once, store it now):\n\n  ${bootstrap.generatedKey}\n\n`);
  }
  if (bootstrap.position) await projector.waitFor(bootstrap.position, 30_000, [organizationsProjection.name]);

  // Every read of the read models in the server is refused while they may not answer.
  const unavailableNow = accessReadModelsUnavailable(projector);
  const cache = new GuardedStatementCache(readDb, unavailableNow);
  const outbox = new WebhookOutbox(join(config.dataDir, 'webhooks.sqlite'));
  // On EventStoreDB several replicas share the store: one at a time sends webhooks. The
  // embedded store has one server per data directory, so it needs no lease.
  const lease = config.eventStore.kind === 'eventstoredb'
    ? new DispatchLease(store, {
      clock,
      logger,
      // Nothing to publish while the read models may not answer; the next renewal publishes.
      progress: () => unavailableNow() ? {} : Object.fromEntries(activeWebhooks(cache).flatMap((webhook) => {
        const settled = outbox.lastSettled(webhook.webhook_id);
        return settled ? [[webhook.webhook_id, settled]] : [];
      })),
      onPeerProgress: (progress) => {
        for (const [webhookId, deliveryId] of Object.entries(progress)) outbox.settledByPeer(webhookId, deliveryId, clock().toISOString());
      },
    })
    : undefined;
  lease?.start();
  const dispatcher = new WebhookDispatcher(cache, outbox, {
    ...config.webhooks,
    clock,
    logger,
    waitForProgress: (ms) => projector.waitForProgress(ms, familiesProjection.name),
    ...(lease ? { maySend: () => lease.holds() } : {}),
  });
  const webhookDelivery = runWhileServing(projector, dispatcher);
  const { app, yoga } = createApp({
    schema: buildSchema({ version: packageVersion(), eventStoreKind: config.eventStore.kind }),
    production: config.production,
    logger,
    rateLimit: config.rateLimit,
    responseCache,
    readiness: async () => readiness([projector, search.projector], await store.headPosition(), config.eventStore.kind, acceptsAppends(store.storedForm)),
    context: createContextFactory({
      cache,
      writer: createFamilyWriter(store, projector, clock, keys.keyStore),
      history: createFamilyHistoryReader(store, store.storedForm),
      clock,
      waitForProgress: (ms) => projector.waitForProgress(ms, familiesProjection.name),
      webhooks: createWebhookDeliveries(outbox, { allowPrivateNetworks: config.webhooks.allowPrivateNetworks, resolve: systemResolver }),
      unavailableNow,
      deadlineHorizonDays: config.deadlineHorizonDays,
      search: { cache: new GuardedStatementCache(search.db, projectorUnavailable(search.projector)), hash: search.hash },
      accessLogCache: new GuardedStatementCache(readDb, accessLogUnavailable(projector)),
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
      await lease?.stop();
      outbox.close();
      await erasureSweep.stop();
      await projector.stop();
      await search.projector.stop();
      search.db.close();
      readDb.close();
      stopOpening();
      // The key store first: the one in EventStoreDB follows the store it shares with the events.
      await keys.keyStore.close();
      await store.close();
      lock.release();
    },
  };
};

/**
 * Takes the data directory (one server per directory), opens the event store and the key store
 * TRACKER_KEY_STORE selects (refused when the master key does not open it, or when it is empty
 * beside sealed events), the event store encrypted at rest through the key store
 * (services/privacy/encrypting-event-store.ts, on SQLite and EventStoreDB alike), and the read
 * models, each checked for damage: a damaged event store is refused, damaged read models are
 * set aside and rebuilt. On a refusal everything opened so far is closed again.
 */
const openDataDir = async (config: Config, logger: Logger, encrypted: boolean) => {
  const lock = lockDataDir(config.dataDir);
  let keys: OpenedKeyStore | undefined;
  let store: (EventStore & { readonly storedForm: EventStore }) | undefined;
  try {
    const stored = openEventStore(config.eventStore);
    try {
      keys = openKeyStore(config.keys, stored);
    } catch (error) {
      await stored.close();
      throw error;
    }
    if (encrypted) {
      store = new EncryptingEventStore(stored, new PersonalDataCipher(keys.keyStore));
      await keys.assertFits(store.storedForm);
    } else {
      store = Object.assign(stored, { storedForm: stored });
    }
    const readDb = openReadModelDatabase(join(config.dataDir, 'read-models.sqlite'), {
      ifDamaged: 'set-aside',
      onSetAside: ({ file, problem, setAsideAs }) =>
        logger.error({ file, setAsideAs, problem: problem.slice(0, 500) }, 'the read models are damaged: set aside, every projection rebuilds from the event store'),
    });
    return { lock, keys, store, readDb };
  } catch (error) {
    await keys?.keyStore.close();
    await store?.close();
    lock.release();
    throw error;
  }
};

/**
 * The search index (issue 15): its own file and its own projector (so that its rows and
 * checkpoint commit together in that file), its key from the key directory. A damaged file is
 * set aside and a file made under another key is dropped: either way it rebuilds.
 */
const openSearch = (config: Config, logger: Logger, store: EventStore) => {
  const key = openKeyDirectory(config.keys.keyDir, config.dataDir, loadMasterKey(config.keys).key).blindIndexKey();
  const db = openSearchIndexFile(join(config.dataDir, SEARCH_INDEX_FILE), key, {
    ifDamaged: 'set-aside',
    onSetAside: ({ file, setAsideAs }) => logger.error({ file, setAsideAs }, 'the search index is damaged: set aside, it rebuilds from the event store'),
    onKeyChanged: () => logger.warn('the search index was made under another key: it rebuilds from the event store'),
  });
  const hash = termHasher(key);
  return { db, hash, projector: new Projector(store, db, [createSearchProjection(hash)]) };
};

/**
 * /readyz: ready once every projection (the read models' and the search index's, which has a
 * projector of its own) has caught up, and none is stalled, rebuilding or behind the store's head
 * at start, and the event store takes appends; `notServing` names each projection that is not,
 * with the reason and what it is doing.
 * Each projection's `behind` is the distance from its checkpoint to the newest event: events on
 * the embedded store, bytes of the transaction log on EventStoreDB. So a search index deleted
 * before a start makes the server not ready until it has rebuilt (search answers UNAVAILABLE
 * meanwhile; everything else answers).
 */
const readiness = (projectors: readonly Projector[], head: Position | undefined, eventStore: string, writable: boolean) => {
  const notServing = projectors.flatMap((projector) => projector.notServing());
  return {
    ready: writable && projectors.every((projector) => projector.ready()) && notServing.length === 0,
    details: {
      eventStore,
      // False once the embedded store could not sync its log: it refuses every append until restarted.
      acceptsAppends: writable,
      headPosition: head ? formatPosition(head) : null,
      notServing,
      projections: projectors.flatMap((projector) => projector.status()).map((status) => {
        const at = status.position ? parsePosition(status.position) : undefined;
        return { ...status, behind: head ? Number(head.commit - (at?.commit ?? 0n)) : 0 };
      }),
    },
  };
};

/** Whether the event store takes appends (the embedded store stops after a failed sync of its log; other stores always say yes here). */
const acceptsAppends = (stored: object): boolean => (stored as { acceptsAppends?: () => boolean }).acceptsAppends?.() !== false;

const listen = (server: Server, port: number, host: string): Promise<void> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

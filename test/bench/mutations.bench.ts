import { WebhookOutbox } from '../../infra/webhooks/outbox.js';
import { createWebhookDeliveries } from '../../infra/webhooks/webhook-deliveries.js';
import { createFamilyHistoryReader } from '../../infra/http/family-history-reader.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { hashApiKey } from '../../infra/auth/api-keys.js';
import { newEventId } from '../../infra/event-store/event-id.js';
import type { EventStore } from '../../services/event-store/port.js';
import { SqliteEventStore } from '../../infra/event-store/sqlite/sqlite-event-store.js';
import { createApp } from '../../infra/http/app.js';
import { createFamilyWriter } from '../../infra/http/family-writer.js';
import { createContextFactory } from '../../infra/http/graphql-context.js';
import { accessReadModelsUnavailable, GuardedStatementCache } from '../../infra/http/read-model-guard.js';
import { createLogger } from '../../infra/logger.js';
import { PROJECTIONS } from '../../projections/all-projections.js';
import { Projector } from '../../projections/projector.js';
import { openReadModelDatabase } from '../../projections/read-model-database.js';
import { buildSchema } from '../../schema/index.js';
import { executeOrganizationCommand } from '../../services/organization/organization-service.js';
import { loadFamilies } from '../support/family-load.js';
import { makeTempDir } from '../support/temp-dir.js';
import { measureRawSingleInserts } from './event-store-append.bench.js';
import { formatRate, formatRatio, type BenchRow } from './table.js';

const FAMILIES = 128;
const CLIENT_COUNTS = [1, 8, 32, 128] as const;
const DURATION_S = Number(process.env['BENCH_HTTP_SECONDS'] ?? 10);
/** Raw single inserts measured before each client count: the same-run ceiling of one writer. */
const RAW_INSERTS = 2_000;
const KEY = 'mutation-bench-key-0123456789abcdef';

/** Counts the wall time spent inside event-store calls (appends and stream reads). */
const timed = (store: EventStore): { store: EventStore; ms: () => number } => {
  let ms = 0;
  const wrapped: EventStore = Object.assign(Object.create(store) as EventStore, {
    appendToStream: async (...args: Parameters<EventStore['appendToStream']>) => {
      const started = performance.now();
      try {
        return await store.appendToStream(...args);
      } finally {
        ms += performance.now() - started;
      }
    },
    readStream: async function* (...args: Parameters<EventStore['readStream']>) {
      let started = performance.now();
      for await (const event of store.readStream(...args)) {
        ms += performance.now() - started;
        yield event;
        started = performance.now();
      }
      ms += performance.now() - started;
    },
  });
  return { store: wrapped, ms: () => ms };
};

/**
 * The mutations bench's server: FAMILIES * 4 families of 10 events on the embedded store, org-a
 * with an ADVOCATE key, every projection following the store, the GraphQL app on loopback. The
 * store seen by the app is wrapped to sum the time spent in its calls (`storeMs`).
 */
export const startMutationsServer = async () => {
  const temp = makeTempDir('tracker-bench-mutations-');
  const raw = SqliteEventStore.open(join(temp.dir, 'events.sqlite'));
  await loadFamilies(raw, FAMILIES * 4, 10);
  const base = { organizationId: 'org-a', actor: { userId: 'bench', organizationId: 'system', role: 'SYSTEM' as const }, issuedAt: new Date().toISOString() };
  await executeOrganizationCommand({ store: raw, newEventId }, { ...base, type: 'RegisterOrganization', name: 'Bench', kind: 'LEGAL_SERVICE_PROVIDER', countries: [] });
  await executeOrganizationCommand({ store: raw, newEventId }, { ...base, type: 'AddMember', userId: 'u', role: 'ADVOCATE', name: 'U' });
  await executeOrganizationCommand({ store: raw, newEventId }, { ...base, type: 'IssueApiKey', keyId: 'k', userId: 'u', keyHash: hashApiKey(KEY), label: 'bench' });

  const { store, ms } = timed(raw);
  const db = openReadModelDatabase(join(temp.dir, 'read-models.sqlite'));
  const projector = new Projector(raw, db, PROJECTIONS);
  await projector.catchUp();
  projector.start();
  const clock = () => new Date();
  const { app } = createApp({
    schema: buildSchema({ version: 'bench', eventStoreKind: 'sqlite' }), production: true, logger: createLogger('silent'),
    readiness: () => Promise.resolve({ ready: true, details: {} }),
    context: createContextFactory({ cache: new GuardedStatementCache(db, accessReadModelsUnavailable(projector)), unavailableNow: accessReadModelsUnavailable(projector), writer: createFamilyWriter(store, projector, clock), history: createFamilyHistoryReader(store), clock, waitForProgress: (ms) => projector.waitForProgress(ms, 'families'), webhooks: createWebhookDeliveries(new WebhookOutbox(join(temp.dir, 'webhooks.sqlite'))) }),
  });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/graphql`;
  // org-a leads families 0, 4, 8, ...: the first 128 of them. The id is written as a literal,
  // as many clients do: every family is a distinct query text.
  const familyIds = Array.from({ length: FAMILIES }, (_, i) => `load-${String(i * 4).padStart(7, '0')}`);
  let next = 0;
  const load = (clients: number, seconds: number) => autocannon({
    url, method: 'POST', connections: clients, duration: seconds,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
    requests: [{
      setupRequest: (request) => ({
        ...request,
        body: JSON.stringify({ query: `mutation { recordContactAttempt(input: { familyId: "${familyIds[(next += 1) % FAMILIES] ?? ''}", relativeId: "r1", channel: PHONE, result: NO_ANSWER }) { revision } }` }),
      }),
    }],
  });
  const stop = async (): Promise<void> => {
    server.close();
    await projector.stop();
    db.close();
    await raw.close();
    temp.remove();
  };
  return { dir: temp.dir, load, storeMs: ms, stop };
};

export const benchMutations = async (): Promise<BenchRow[]> => {
  const server = await startMutationsServer();
  const figures: Array<{ clients: number; perSecond: number; p50: number; p99: number; raw: number; storeShare: number; failed: number; cpuUs: number }> = [];
  for (const clients of CLIENT_COUNTS) {
    const rawPerSecond = await measureRawSingleInserts(server.dir, RAW_INSERTS);
    const storeMsBefore = server.storeMs();
    const started = performance.now();
    const cpu = process.cpuUsage();
    const result = await server.load(clients, Math.max(2, Math.round(DURATION_S / 2)));
    const used = process.cpuUsage(cpu);
    figures.push({
      clients, perSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, raw: rawPerSecond,
      storeShare: (server.storeMs() - storeMsBefore) / (performance.now() - started), failed: result.non2xx + result.errors,
      cpuUs: (used.user + used.system) / Math.max(1, result.requests.total),
    });
  }
  await server.stop();
  const failed = figures.reduce((sum, figure) => sum + figure.failed, 0);
  if (failed > 0) throw new Error(`${String(failed)} mutations failed`);
  return figures.map((figure) => ({
    benchmark: `recordContactAttempt over HTTP, ${String(figure.clients)} clients (store-call time summed: ${(figure.storeShare * 100).toFixed(0)}% of wall)`,
    value: `${formatRate(figure.perSecond, 'mutations/s')}, p50 ${String(figure.p50)} ms, p99 ${String(figure.p99)} ms, CPU ${figure.cpuUs.toFixed(0)} us/mutation (with the client's)`,
    baseline: `${formatRate(figure.raw, 'ev/s')} raw FULL single inserts`,
    ratio: formatRatio(figure.perSecond, figure.raw),
    target: figure.clients === 1 ? '>= 50%' : '>= 100%',
  }));
};

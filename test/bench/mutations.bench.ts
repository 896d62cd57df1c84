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
import { formatRate, type BenchRow } from './table.js';

const FAMILIES = 100;
const CLIENTS = 8;
const DURATION_S = Number(process.env['BENCH_HTTP_SECONDS'] ?? 10);
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

export const benchMutations = async (): Promise<BenchRow[]> => {
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

  // org-a leads families 0, 4, 8, ...: the first 100 of them.
  const familyIds = Array.from({ length: FAMILIES }, (_, i) => `load-${String(i * 4).padStart(7, '0')}`);
  let next = 0;
  const storeMsBefore = ms();
  const started = performance.now();
  const result = await autocannon({
    url, method: 'POST', connections: CLIENTS, duration: DURATION_S,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
    requests: [{
      setupRequest: (request) => ({
        ...request,
        body: JSON.stringify({ query: `mutation { recordContactAttempt(input: { familyId: "${familyIds[(next += 1) % FAMILIES] ?? ''}", relativeId: "r1", channel: PHONE, result: NO_ANSWER }) { revision } }` }),
      }),
    }],
  });
  const wallMs = performance.now() - started;
  const storeShare = (ms() - storeMsBefore) / wallMs;
  server.close();
  await projector.stop();
  db.close();
  await raw.close();
  temp.remove();
  if (result.non2xx > 0) throw new Error(`${String(result.non2xx)} mutations failed`);
  return [
    {
      benchmark: `recordContactAttempt over HTTP, ${String(FAMILIES)} families, ${String(CLIENTS)} clients, ${String(DURATION_S)} s`,
      value: formatRate(result.requests.average, 'mutations/s'),
      baseline: `p50 ${String(result.latency.p50)} ms, p99 ${String(result.latency.p99)} ms`,
      ratio: '-',
      target: 'report',
    },
    {
      benchmark: 'share of the run spent in event-store calls',
      value: `${(storeShare * 100).toFixed(0)}%`,
      baseline: 'stream reads and fsynced appends; waiting for the read model not counted',
      ratio: '-',
      target: 'report',
    },
  ];
};

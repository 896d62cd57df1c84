import { spawn } from 'node:child_process';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { graphql } from 'graphql';
import { hashApiKey } from '../../infra/auth/api-keys.js';
import { newEventId } from '../../infra/event-store/event-id.js';
import { SqliteEventStore } from '../../infra/event-store/sqlite/sqlite-event-store.js';
import type { EventStore } from '../../services/event-store/port.js';
import { PROJECTIONS } from '../../projections/all-projections.js';
import { FamilyReadModel } from '../../projections/families/family-read-model.js';
import { OrganizationReadModel } from '../../projections/organizations/organization-read-model.js';
import { RequestQueries, StatementCache } from '../../projections/statement-cache.js';
import { Projector } from '../../projections/projector.js';
import { openReadModelDatabase } from '../../projections/read-model-database.js';
import { createLoaders } from '../../schema/context.js';
import { RequestAccessLog } from '../../schema/access-log.js';
import { buildSchema } from '../../schema/index.js';
import { readOnlyWriter } from '../support/read-only-writer.js';
import { executeOrganizationCommand } from '../../services/organization/organization-service.js';
import { dateOf } from '../../services/shared/calendar-date.js';
import { within } from '../support/async.js';
import { familyEvents } from '../support/family-load.js';
import { startTrackerProcess } from '../support/tracker-process.js';
import { formatRate, formatRatio, type BenchRow } from './table.js';

export const FAMILIES_QUERY = `{ families(first: 50) { totalCount edges { node {
  id status revision blockers nextDeadline { kind dueOn daysLeft } leadOrganization { name }
  children { givenName nationality } relatives { relationship locationStatus } documents { documentType status }
} } } }`;
export const BENCH_KEY = 'bench-key-0123456789abcdef0123456789';
const KEY = BENCH_KEY;
const DURATION_S = Number(process.env['BENCH_HTTP_SECONDS'] ?? 10);
const CONNECTIONS = 10;
const NOT_FOUND_SECONDS = 3;

const load = (url: string, body: string, authorization?: string, duration = DURATION_S) =>
  autocannon({
    url: `${url}/graphql`, method: 'POST', connections: CONNECTIONS, duration, body,
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
  });

const startBareYoga = (): Promise<{ url: string; stop: () => void }> =>
  within(20_000, new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'bare-yoga-server.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.once('data', (chunk: Buffer) => {
      const url = /"url":"([^"]+)"/.exec(chunk.toString())?.[1];
      if (url) resolve({ url, stop: () => child.kill('SIGTERM') });
      else reject(new Error(chunk.toString()));
    });
  }), 'bare yoga start');

/** A key for org-a, which leads a quarter of the loaded families. */
export const issueBenchKey = async (store: EventStore): Promise<void> => {
  const base = { organizationId: 'org-a', actor: { userId: 'bench', organizationId: 'system', role: 'SYSTEM' as const }, issuedAt: new Date().toISOString() };
  const dependencies = { store, newEventId };
  await executeOrganizationCommand(dependencies, { ...base, type: 'RegisterOrganization', name: 'Bench org', kind: 'LEGAL_SERVICE_PROVIDER', countries: [] });
  await executeOrganizationCommand(dependencies, { ...base, type: 'AddMember', userId: 'bench-user', role: 'ADVOCATE', name: 'Bench' });
  await executeOrganizationCommand(dependencies, { ...base, type: 'IssueApiKey', keyId: 'bench-key', userId: 'bench-user', keyHash: hashApiKey(KEY), label: 'bench' });
};

const statementsPerRequest = async (dataDir: string, store: SqliteEventStore): Promise<number> => {
  const db = openReadModelDatabase(join(dataDir, 'statements.sqlite'));
  await new Projector(store, db, PROJECTIONS).catchUp();
  const now = new Date().toISOString();
  const queries = new RequestQueries(new StatementCache(db));
  const readModel = new FamilyReadModel(queries, { organizationId: 'org-a', role: 'ADVOCATE' }, now);
  const organizations = new OrganizationReadModel(queries);
  const result = await graphql({
    schema: buildSchema({ version: 'bench', eventStoreKind: 'sqlite' }), source: FAMILIES_QUERY,
    contextValue: { writer: readOnlyWriter, accessLog: new RequestAccessLog({ userId: 'bench-user', organizationId: 'org-a', role: 'ADVOCATE' }, () => Promise.resolve(), () => now), viewer: { userId: 'bench-user', organizationId: 'org-a', role: 'ADVOCATE' }, readModel, organizations, loaders: createLoaders(readModel, organizations), today: dateOf(now) },
  });
  if (result.errors) throw new Error(result.errors[0]?.message);
  db.close();
  return queries.statements;
};

export const FAMILY_QUERY = `query($id: ID!) { family(id: $id) {
  id status revision blockers nextDeadline { kind dueOn } children { givenName nationality } relatives { relationship locationStatus } documents { documentType status }
} }`;
/** A family with a long history (org-a leads numbers divisible by 4), next to a short one. */
const LONG_FAMILY_NUMBER = 4_000_000;
const LONG_FAMILY_EVENTS = Number(process.env['BENCH_LONG_FAMILY_EVENTS'] ?? 5_000);
const SHORT_FAMILY_ID = 'load-0000000';

export const benchGraphqlHttp = async (eventsFile: string, dataDir: string): Promise<BenchRow[]> => {
  const store = SqliteEventStore.open(eventsFile);
  await issueBenchKey(store);
  const long = familyEvents(LONG_FAMILY_NUMBER, 7, LONG_FAMILY_EVENTS);
  await store.appendToStream(long.stream, long.sealed as never, { expectedRevision: 'no_stream' });
  const statements = await statementsPerRequest(dataDir, store);
  await store.close();

  // A store of 200k events: the start (checks of the store and key store, then listening) takes longer than a test's.
  const tracker = await startTrackerProcess({ TRACKER_DATA_DIR: dataDir, LOG_LEVEL: 'info', NODE_ENV: 'production', TRACKER_RATE_LIMIT_REQUESTS: '0' }, [], 300_000);
  for (let i = 0; i < 600; i += 1) {
    const ready = (await (await fetch(`${tracker.url}/readyz`)).json()) as { status: string };
    if (ready.status === 'ready') break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const families = await load(tracker.url, JSON.stringify({ query: FAMILIES_QUERY }), `Bearer ${KEY}`);
  // Tenant isolation must not leak through timing: another organisation's real family (load-0000001
  // is led by org-b) and an id that does not exist should answer alike.
  const notFound = (id: string) => load(tracker.url, JSON.stringify({ query: `{ family(id: "${id}") { id status } }` }), `Bearer ${KEY}`, NOT_FOUND_SECONDS);
  const familyById = (id: string) => load(tracker.url, JSON.stringify({ query: FAMILY_QUERY, variables: { id } }), `Bearer ${KEY}`, NOT_FOUND_SECONDS);
  const longFamily = await familyById(long.familyId);
  const shortFamily = await familyById(SHORT_FAMILY_ID);
  const foreign = await notFound('load-0000001');
  const unknown = await notFound('0193a5c2-0000-7000-8000-000000000000');
  await tracker.stop();

  const bare = await startBareYoga();
  const hello = await load(bare.url, JSON.stringify({ query: '{ hello }' }));
  bare.stop();

  if (families.non2xx > 0 || families.errors > 0) throw new Error(`families load had ${String(families.non2xx)} non-2xx and ${String(families.errors)} errors`);
  return [
    {
      benchmark: `families(first: 50) nested, HTTP, ${String(CONNECTIONS)} connections, ${String(DURATION_S)} s`,
      value: formatRate(families.requests.average, 'req/s'),
      baseline: `${formatRate(hello.requests.average, 'req/s')} bare yoga { hello }`,
      ratio: formatRatio(families.requests.average, hello.requests.average),
      target: '>= 60%',
    },
    {
      benchmark: 'families(first: 50) latency p50 / p99',
      value: `${String(families.latency.p50)} / ${String(families.latency.p99)} ms`,
      baseline: `${String(hello.latency.p50)} / ${String(hello.latency.p99)} ms bare yoga`,
      ratio: '-',
      target: 'p99 < 50 ms',
    },
    {
      benchmark: `family(id) of another organisation vs an unknown id, ${String(NOT_FOUND_SECONDS)} s each: mean latency`,
      value: `${foreign.latency.average.toFixed(2)} ms foreign`,
      baseline: `${unknown.latency.average.toFixed(2)} ms unknown`,
      ratio: formatRatio(unknown.latency.average, foreign.latency.average),
      target: 'about 100%',
    },
    {
      benchmark: `family(id) with ${String(long.sealed.length)} events of history, ${String(CONNECTIONS)} connections (p50 / p99 ${String(longFamily.latency.p50)} / ${String(longFamily.latency.p99)} ms)`,
      value: formatRate(longFamily.requests.average, 'req/s'),
      baseline: `${formatRate(shortFamily.requests.average, 'req/s')} same query, family of 20 events`,
      ratio: formatRatio(longFamily.requests.average, shortFamily.requests.average),
      target: 'about 100%',
    },
    {
      benchmark: 'SQL statements per families(first: 50) request',
      value: String(statements),
      baseline: 'same for first: 5 (N+1 test)',
      ratio: '-',
      target: 'independent of page size',
    },
  ];
};

/**
 * A CPU profile of the tracker under the `recordContactAttempt` load of the mutations bench:
 * loads N families (default 512) of 10 events, starts the tracker in this process (the real
 * composition root: encrypting store, key store, every projector), profiles only while
 * autocannon runs (C connections, default 32; S seconds, default 8) and writes
 * PROF_DIR/mutations.cpuprofile (default /tmp). Usage:
 * `C=32 S=8 npx tsx test/bench/profile-mutations.ts` (`STACK=bench`: the mutations bench's own
 * server instead: the plain store, no search index, no key store), then
 * `npx tsx test/bench/profile-summary.ts /tmp/mutations.cpuprofile`.
 */
import { join } from 'node:path';
import autocannon from 'autocannon';
import { SqliteEventStore } from '../../infra/event-store/sqlite/sqlite-event-store.js';
import { loadFamilies } from '../support/family-load.js';
import { makeTempDir } from '../support/temp-dir.js';
import { startTrackerInProcess } from '../support/in-process-tracker.js';
import { hashApiKey } from '../../infra/auth/api-keys.js';
import { newEventId } from '../../infra/event-store/event-id.js';
import { executeOrganizationCommand } from '../../services/organization/organization-service.js';
import { waitUntil } from '../support/async.js';
import { startMutationsServer } from './mutations.bench.js';

const KEY = 'bench-key-0123456789abcdef0123456789';
const FAMILIES = Number(process.env['N'] ?? 512);
const CLIENTS = Number(process.env['C'] ?? 32);

/** The real composition root over a loaded store, driven as the mutations bench drives its server. */
const startRealTracker = async () => {
  const temp = makeTempDir('prof-mutations-');
  const store = SqliteEventStore.open(join(temp.dir, 'events.sqlite'));
  await loadFamilies(store, FAMILIES, 10);
  const base = { organizationId: 'org-a', actor: { userId: 'bench', organizationId: 'system', role: 'SYSTEM' as const }, issuedAt: new Date().toISOString() };
  const dependencies = { store, newEventId };
  await executeOrganizationCommand(dependencies, { ...base, type: 'RegisterOrganization', name: 'Bench org', kind: 'LEGAL_SERVICE_PROVIDER', countries: [] });
  await executeOrganizationCommand(dependencies, { ...base, type: 'AddMember', userId: 'bench-user', role: 'ADVOCATE', name: 'Bench' });
  await executeOrganizationCommand(dependencies, { ...base, type: 'IssueApiKey', keyId: 'bench-key', userId: 'bench-user', keyHash: hashApiKey(KEY), label: 'bench' });
  await store.close();
  const tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, LOG_LEVEL: 'warn', NODE_ENV: 'production', TRACKER_RATE_LIMIT_REQUESTS: '0' });
  await waitUntil('the tracker to be ready', async () => ((await (await fetch(`${tracker.url}/readyz`)).json()) as { status: string }).status === 'ready', 120_000);
  // org-a leads families 0, 4, 8, ...; the id is a literal, as in the mutations bench.
  const familyIds = Array.from({ length: FAMILIES / 4 }, (_, i) => `load-${String(i * 4).padStart(7, '0')}`);
  let next = 0;
  const load = (clients: number, seconds: number) => autocannon({
    url: `${tracker.url}/graphql`, method: 'POST', connections: clients, duration: seconds,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
    requests: [{
      setupRequest: (request) => ({
        ...request,
        body: JSON.stringify({ query: `mutation { recordContactAttempt(input: { familyId: "${familyIds[(next += 1) % familyIds.length] ?? ''}", relativeId: "r1", channel: PHONE, result: NO_ANSWER }) { revision } }` }),
      }),
    }],
  });
  return { load, stop: async () => { await tracker.stop(); temp.remove(); } };
};

const server = process.env['STACK'] === 'bench' ? await startMutationsServer() : await startRealTracker();
const load = (seconds: number) => server.load(CLIENTS, seconds);
await load(2); // warm-up: the folded-state cache and the JIT
const { Session } = await import('node:inspector/promises');
const { writeFileSync } = await import('node:fs');
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
await session.post('Profiler.start');
const result = await load(Number(process.env['S'] ?? 8));
const { profile } = await session.post('Profiler.stop');
const file = join(process.env['PROF_DIR'] ?? '/tmp', 'mutations.cpuprofile');
writeFileSync(file, JSON.stringify(profile));
console.log(`mutations/s ${String(result.requests.average)} p50 ${String(result.latency.p50)} p99 ${String(result.latency.p99)} non2xx ${String(result.non2xx)} errors ${String(result.errors)} -> ${file}`);
await server.stop();

/**
 * A CPU profile of the tracker under the families(first: 50) load: loads N families (default
 * 3,000) of 20 events, starts the tracker in this process, profiles only while autocannon runs
 * (S seconds, 10 connections) and writes PROF_DIR/load.cpuprofile (default /tmp). Usage:
 * `N=3000 S=8 PROF_DIR=/tmp npx tsx test/bench/profile-families.ts`, then open the profile in
 * Chrome DevTools or speedscope. Also prints the event-store bytes the load added per request.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { SqliteEventStore } from '../../infra/event-store/sqlite/sqlite-event-store.js';
import { loadFamilies } from '../support/family-load.js';
import { makeTempDir } from '../support/temp-dir.js';
import { startTrackerInProcess } from '../support/in-process-tracker.js';
import { hashApiKey } from '../../infra/auth/api-keys.js';
import { newEventId } from '../../infra/event-store/event-id.js';
import { executeOrganizationCommand } from '../../services/organization/organization-service.js';
const KEY = 'bench-key-0123456789abcdef0123456789';
const Q = `{ families(first: 50) { totalCount edges { node {
  id status revision blockers nextDeadline { kind dueOn daysLeft } leadOrganization { name }
  children { givenName nationality } relatives { relationship locationStatus } documents { documentType status }
} } } }`;
const temp = makeTempDir('prof-');
const store = SqliteEventStore.open(join(temp.dir, 'events.sqlite'));
await loadFamilies(store, Number(process.env['N'] ?? 3000), 20);
const base = { organizationId: 'org-a', actor: { userId: 'bench', organizationId: 'system', role: 'SYSTEM' as const }, issuedAt: new Date().toISOString() };
const d = { store, newEventId };
await executeOrganizationCommand(d, { ...base, type: 'RegisterOrganization', name: 'Bench org', kind: 'LEGAL_SERVICE_PROVIDER', countries: [] });
await executeOrganizationCommand(d, { ...base, type: 'AddMember', userId: 'bench-user', role: 'ADVOCATE', name: 'Bench' });
await executeOrganizationCommand(d, { ...base, type: 'IssueApiKey', keyId: 'bench-key', userId: 'bench-user', keyHash: hashApiKey(KEY), label: 'bench' });
await store.close();
const tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, LOG_LEVEL: 'info', NODE_ENV: 'production', TRACKER_RATE_LIMIT_REQUESTS: '0' });
for (let i = 0; i < 600; i += 1) {
  const ready = (await (await fetch(`${tracker.url}/readyz`)).json()) as { status: string };
  if (ready.status === 'ready') break;
  await new Promise((r) => setTimeout(r, 500));
}
const { Session } = await import('node:inspector/promises');
const { writeFileSync } = await import('node:fs');
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.start');
// What the load adds to the event store (its access-log entries), the WAL included: bytes per request.
const storeBytes = (): number => ['events.sqlite', 'events.sqlite-wal'].reduce((sum, file) => sum + (existsSync(join(temp.dir, file)) ? statSync(join(temp.dir, file)).size : 0), 0);
const before = storeBytes();
const r = await autocannon({ url: `${tracker.url}/graphql`, method: 'POST', connections: 10, duration: Number(process.env['S'] ?? 8), body: JSON.stringify({ query: Q }), headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` } });
const { profile } = await session.post('Profiler.stop');
writeFileSync(`${process.env['PROF_DIR'] ?? '/tmp'}/load.cpuprofile`, JSON.stringify(profile));
console.log(`event store: ${String(Math.round((storeBytes() - before) / r.requests.total))} bytes per request (WAL included)`);
console.log(`req/s ${String(r.requests.average)} p50 ${String(r.latency.p50)} p99 ${String(r.latency.p99)} non2xx ${String(r.non2xx)}`);
await tracker.stop();
temp.remove();

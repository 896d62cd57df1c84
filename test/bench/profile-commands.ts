/**
 * CPU per command of the command handler, and a CPU profile of it: W writers (default 32), each
 * on its own family of 10 events, run RecordContactAttempt for S seconds (default 6) on the
 * plain embedded store, as `commands.bench.ts` does. Prints commands/s and CPU microseconds per
 * command (process.cpuUsage: user + system, every thread, the fsync's included); with
 * PROFILE=1 writes PROF_DIR/commands.cpuprofile (default /tmp) for `profile-summary.ts`.
 * Usage: `W=32 S=6 npx tsx test/bench/profile-commands.ts`.
 */
import { join } from 'node:path';
import { newEventId } from '../../infra/event-store/event-id.js';
import { SqliteEventStore } from '../../infra/event-store/sqlite/sqlite-event-store.js';
import type { HandlerDependencies } from '../../services/command-handler.js';
import type { FamilyCommand } from '../../services/family/commands.js';
import { executeFamilyCommand } from '../../services/family/family-service.js';
import { executeOrganizationCommand } from '../../services/organization/organization-service.js';
import { loadFamilies } from '../support/family-load.js';
import { makeTempDir } from '../support/temp-dir.js';

const WRITERS = Number(process.env['W'] ?? 32);
const SECONDS = Number(process.env['S'] ?? 6);
const ORGS = ['org-a', 'org-b', 'org-c', 'org-d'] as const;

const temp = makeTempDir('prof-commands-');
const store = SqliteEventStore.open(join(temp.dir, 'events.sqlite'));
await loadFamilies(store, WRITERS, 10);
const dependencies: HandlerDependencies = { store, newEventId };
for (const organizationId of ORGS) {
  await executeOrganizationCommand(dependencies, { type: 'RegisterOrganization', organizationId, name: organizationId, kind: 'LEGAL_SERVICE_PROVIDER', countries: [], actor: { userId: 'bench', organizationId: 'system', role: 'SYSTEM' }, issuedAt: new Date().toISOString() });
}
const command = (writer: number): FamilyCommand => {
  const now = new Date().toISOString();
  return {
    type: 'RecordContactAttempt', familyId: `load-${String(writer).padStart(7, '0')}`, relativeId: 'r1', channel: 'PHONE', result: 'NO_ANSWER',
    actor: { userId: 'loader', organizationId: ORGS[writer % ORGS.length]!, role: 'ADVOCATE' }, issuedAt: now, occurredAt: now,
  };
};
const run = async (ms: number): Promise<number> => {
  const deadline = performance.now() + ms;
  let done = 0;
  await Promise.all(Array.from({ length: WRITERS }, async (_, writer) => {
    while (performance.now() < deadline) {
      await executeFamilyCommand(dependencies, command(writer));
      done += 1;
    }
  }));
  return done;
};
await run(1_000); // warm-up: the folded-state cache and the JIT

const { Session } = await import('node:inspector/promises');
const session = new Session();
if (process.env['PROFILE'] === '1') {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
}
const statsBefore = store.groupCommitStats();
const cpuBefore = process.cpuUsage();
const started = performance.now();
const done = await run(SECONDS * 1000);
const wallMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
if (process.env['PROFILE'] === '1') {
  const { profile } = await session.post('Profiler.stop');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(join(process.env['PROF_DIR'] ?? '/tmp', 'commands.cpuprofile'), JSON.stringify(profile));
}
const stats = store.groupCommitStats();
const commits = stats.commits - statsBefore.commits;
console.log(`${String(WRITERS)} writers: ${(done / (wallMs / 1000)).toFixed(0)} cmd/s, CPU ${((cpu.user + cpu.system) / done).toFixed(0)} us/cmd (user ${(cpu.user / done).toFixed(0)}, system ${(cpu.system / done).toFixed(0)}), ${(done / commits).toFixed(1)} commands per commit, ${((stats.syncs - statsBefore.syncs) / (wallMs / 1000)).toFixed(0)} syncs/s`);
await store.close();
temp.remove();

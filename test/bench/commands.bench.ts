import { join } from 'node:path';
import { newEventId } from '../../infra/event-store/event-id.js';
import { SqliteEventStore } from '../../infra/event-store/sqlite/sqlite-event-store.js';
import type { HandlerDependencies } from '../../services/command-handler.js';
import type { EventToAppend } from '../../services/event-store/port.js';
import { executeFamilyCommand } from '../../services/family/family-service.js';
import { executeOrganizationCommand } from '../../services/organization/organization-service.js';
import type { FamilyCommand } from '../../services/family/commands.js';
import { loadFamilies } from '../support/family-load.js';
import { makeTempDir } from '../support/temp-dir.js';
import { formatRate, formatRatio, perSecond, type BenchRow } from './table.js';

const ORGS = ['org-a', 'org-b', 'org-c', 'org-d'] as const;
/** Store and handler alternate in rounds, so drift in machine load hits both. */
const ROUNDS = 3;

/**
 * Runs `writers` loops until the deadline; returns how many operations they completed, and the
 * process's CPU time meanwhile (user + system, every thread: the fsyncs on libuv's pool too).
 */
const runWriters = async (writers: number, ms: number, operation: (writer: number, n: number) => Promise<unknown>): Promise<{ done: number; ms: number; cpuUs: number }> => {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const deadline = started + ms;
  let done = 0;
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      for (let n = 0; performance.now() < deadline; n += 1) {
        await operation(writer, n);
        done += 1;
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  return { done, ms: performance.now() - started, cpuUs: used.user + used.system };
};

/** An event the size of a stored contact attempt (data and sealed metadata). */
const storeEvent = (writer: number, n: number): EventToAppend => ({
  id: newEventId(),
  type: 'ContactAttemptMade',
  data: { relativeId: 'r1', channel: 'PHONE', result: 'NO_ANSWER', writer, n },
  metadata: {
    schemaVersion: 1, actor: { userId: 'loader', organizationId: 'org-a', role: 'ADVOCATE' }, occurredAt: new Date().toISOString(),
    recordedAt: new Date().toISOString(), commandType: 'RecordContactAttempt', correlationId: newEventId(), causationId: newEventId(),
    prevHash: 'x'.repeat(64), hash: 'y'.repeat(64),
  },
});

/**
 * The command handler (read after the cached fold, decide, seal, append) from 32 and 128
 * concurrent writers, each on its own family of 10+ events, against the store alone: the same
 * number of writers appending one event of the same size per call.
 */
export const benchCommandHandler = async (writerCounts: readonly number[] = [32, 128], seconds = 2): Promise<BenchRow[]> => {
  const rows: BenchRow[] = [];
  for (const writers of writerCounts) {
    const temp = makeTempDir('tracker-bench-commands-');
    const store = SqliteEventStore.open(join(temp.dir, 'events.sqlite'));
    const appendsOnly = SqliteEventStore.open(join(temp.dir, 'appends.sqlite'));
    try {
      await loadFamilies(store, writers, 10);
      const dependencies: HandlerDependencies = { store, newEventId };
      // The organisations exist, as in a deployment: each command reads its actor's organisation (world.ts).
      const issuedAt = new Date().toISOString();
      for (const organizationId of ORGS) {
        await executeOrganizationCommand(dependencies, { type: 'RegisterOrganization', organizationId, name: organizationId, kind: 'LEGAL_SERVICE_PROVIDER', countries: [], actor: { userId: 'bench', organizationId: 'system', role: 'SYSTEM' }, issuedAt });
      }
      const revisions = new Map<number, number>();
      const command = (writer: number): FamilyCommand => {
        const now = new Date().toISOString();
        return {
          type: 'RecordContactAttempt', familyId: `load-${String(writer).padStart(7, '0')}`, relativeId: 'r1', channel: 'PHONE', result: 'NO_ANSWER',
          actor: { userId: 'loader', organizationId: ORGS[writer % ORGS.length]!, role: 'ADVOCATE' }, issuedAt: now, occurredAt: now,
        };
      };
      let storeOps = 0, storeMs = 0, storeCpuUs = 0, commandOps = 0, commandMs = 0, commandCpuUs = 0;
      for (let round = 0; round < ROUNDS; round += 1) {
        const appended = await runWriters(writers, (seconds * 1000) / ROUNDS, async (writer, n) => {
          const revision = revisions.get(writer);
          const result = await appendsOnly.appendToStream(`w-${String(writer)}`, [storeEvent(writer, n)], { expectedRevision: revision ?? 'no_stream' });
          revisions.set(writer, result.nextExpectedRevision);
        });
        storeOps += appended.done; storeMs += appended.ms; storeCpuUs += appended.cpuUs;
        const handled = await runWriters(writers, (seconds * 1000) / ROUNDS, (writer) => executeFamilyCommand(dependencies, command(writer)));
        commandOps += handled.done; commandMs += handled.ms; commandCpuUs += handled.cpuUs;
      }
      const commands = perSecond(commandOps, commandMs);
      const appends = perSecond(storeOps, storeMs);
      rows.push({
        benchmark: `command handler (read, fold, decide, append), ${String(writers)} writers`,
        value: `${formatRate(commands, 'cmd/s')}, CPU ${(commandCpuUs / commandOps).toFixed(0)} us/cmd`,
        baseline: `${formatRate(appends, 'ev/s')} store, ${String(writers)} writers, CPU ${(storeCpuUs / storeOps).toFixed(0)} us/append`,
        ratio: formatRatio(commands, appends),
        target: '>= 80%',
      });
    } finally {
      await store.close();
      await appendsOnly.close();
      temp.remove();
    }
  }
  return rows;
};

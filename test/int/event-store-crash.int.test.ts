import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { EventToAppend, RecordedEvent } from '../../services/event-store/port.js';
import { comparePositions, formatPosition } from '../../services/event-store/position.js';
import { SqliteEventStore } from '../../infra/event-store/sqlite/sqlite-event-store.js';
import { collect } from '../support/async.js';
import { crashTestSeed, killDelays } from '../support/crash-seed.js';
import { makeTempDir } from '../support/temp-dir.js';

const ROUNDS = Number(process.env['CRASH_ROUNDS'] ?? 20);
const WRITERS = 4;
/** Enough writers that many appends share a commit group; on shared streams, so some conflict. */
const GROUP_WRITERS = 32;
const GROUP_ROUNDS = Number(process.env['CRASH_ROUNDS'] ?? 10);
const WRITER = join(import.meta.dirname, '../support/crash-writer.ts');

interface Acknowledgement {
  readonly stream: string;
  readonly firstRevision: number;
  readonly position: string;
  readonly events: EventToAppend[];
  readonly largestGroup: number;
}

interface CrashRun {
  readonly writers: number;
  readonly rounds: number;
  readonly shared: boolean;
}

const acknowledgedSoFar = (ackLog: string): number => (existsSync(ackLog) ? readFileSync(ackLog, 'utf8').split('\n').length - 1 : 0);

/**
 * Runs the writer until it has acknowledged a few more appends (so every round writes, even on
 * a loaded machine), then for `killAfterMs` longer (seeded), then kills it with SIGKILL.
 */
const runAndKill = (dbFile: string, ackLog: string, run: CrashRun, round: number, killAfterMs: number): Promise<void> =>
  new Promise((resolve, reject) => {
    endTornLine(ackLog);
    const args = ['--import', 'tsx', WRITER, dbFile, ackLog, String(run.writers), String(round), ...(run.shared ? ['shared'] : [])];
    const before = acknowledgedSoFar(ackLog);
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once('data', () => {
      const waitForProgress = setInterval(() => {
        if (acknowledgedSoFar(ackLog) < before + 3) return;
        clearInterval(waitForProgress);
        setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }, 10);
      child.once('exit', () => clearInterval(waitForProgress));
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`writer exited by itself (code ${String(code)}): ${stderr}`));
    });
  });

/**
 * A kill can tear the last line of a round; the next round must not continue it (regression:
 * a torn line that happened to end in a nested "}" was glued to the next round's first line and
 * failed to parse).
 */
const endTornLine = (ackLog: string): void => {
  if (existsSync(ackLog) && !readFileSync(ackLog, 'utf8').endsWith('\n') && readFileSync(ackLog, 'utf8').length > 0) appendFileSync(ackLog, '\n');
};

/** Whole lines of the log. A torn line (one per round at most) is an append whose acknowledgement never completed. */
const readAcknowledgements = (ackLog: string, rounds: number): Acknowledgement[] => {
  if (!existsSync(ackLog)) return [];
  const lines = readFileSync(ackLog, 'utf8').split('\n').filter((line) => line.length > 0);
  const parsed = lines.flatMap((line) => {
    try {
      return [JSON.parse(line) as Acknowledgement];
    } catch {
      return [];
    }
  });
  expect(lines.length - parsed.length).toBeLessThanOrEqual(rounds);
  return parsed;
};

const revisionsByStream = (events: readonly RecordedEvent[]): Map<string, number[]> => {
  const revisions = new Map<string, number[]>();
  for (const event of events) revisions.set(event.stream, [...(revisions.get(event.stream) ?? []), event.revision]);
  return revisions;
};

/**
 * Kills the writer `run.rounds` times, then checks the file: intact, every acknowledged event
 * stored exactly once where its acknowledgement said, positions increasing, revisions
 * contiguous. Returns what was acknowledged.
 */
const crashAndCheck = async (dir: string, run: CrashRun, seedName: string): Promise<Acknowledgement[]> => {
  mkdirSync(dir, { recursive: true });
  const dbFile = join(dir, 'events.sqlite');
  const ackLog = join(dir, 'acks.jsonl');
  const delays = killDelays(crashTestSeed(seedName), run.rounds, 0, 299);
  for (let round = 0; round < run.rounds; round += 1) await runAndKill(dbFile, ackLog, run, round, delays[round]!);

  const acknowledged = readAcknowledgements(ackLog, run.rounds);
  const db = new Database(dbFile);
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  db.close();

  const store = SqliteEventStore.open(dbFile);
  const all = await collect(store.readAll());
  await store.close();

  const byId = new Map<string, RecordedEvent>();
  for (const event of all) {
    expect(byId.has(event.id), `event ${event.id} stored twice`).toBe(false);
    byId.set(event.id, event);
  }
  for (const ack of acknowledged) {
    ack.events.forEach((sent, index) => {
      const stored = byId.get(sent.id);
      expect(stored, `acknowledged event ${sent.id} lost`).toBeDefined();
      expect(stored).toMatchObject({
        stream: ack.stream,
        revision: ack.firstRevision + index,
        type: sent.type,
        data: sent.data,
        metadata: sent.metadata,
      });
    });
    expect(formatPosition(byId.get(ack.events.at(-1)!.id)!.position)).toBe(ack.position);
  }
  for (let i = 1; i < all.length; i += 1) {
    expect(comparePositions(all[i - 1]!.position, all[i]!.position)).toBe(-1);
  }
  for (const revisions of revisionsByStream(all).values()) {
    expect(revisions).toEqual(revisions.map((_, index) => index));
  }
  expect(acknowledged.length).toBeGreaterThanOrEqual(run.rounds * 3);
  console.info(
    `crash test (${String(run.writers)} writers${run.shared ? ', shared streams' : ''}): ${String(run.rounds)} kills, ` +
      `${String(acknowledged.length)} acknowledged appends, ${String(all.length)} events stored, ` +
      `largest commit group ${String(Math.max(...acknowledged.map((ack) => ack.largestGroup)))}`,
  );
  return acknowledged;
};

describe('embedded store under kill -9', () => {
  const temp = makeTempDir('tracker-crash-');
  afterAll(() => temp.remove());

  it(`keeps every acknowledged event exactly once across ${String(ROUNDS)} SIGKILLs`, async () => {
    await crashAndCheck(join(temp.dir, 'separate'), { writers: WRITERS, rounds: ROUNDS, shared: false }, 'event-store crash');
  });

  it(`loses no acknowledged append of concurrent commit groups (${String(GROUP_WRITERS)} writers on shared streams) across ${String(GROUP_ROUNDS)} SIGKILLs`, async () => {
    const acknowledged = await crashAndCheck(
      join(temp.dir, 'groups'),
      { writers: GROUP_WRITERS, rounds: GROUP_ROUNDS, shared: true },
      'event-store group-commit crash',
    );
    // The appends really were grouped: some transaction carried more than one of them.
    expect(Math.max(...acknowledged.map((ack) => ack.largestGroup))).toBeGreaterThan(1);
  });
});

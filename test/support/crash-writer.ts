/**
 * Child process of the crash tests: appends in a loop from several async writers and, after
 * each acknowledged append, records it on its own fsynced log (with the store's largest commit
 * group so far). The parent kills it with SIGKILL at a random moment.
 * Usage: crash-writer <db file> <ack log> <writers> <round> [shared]
 * With `shared`, every writer's fifth stream is one of a few that all writers share, so
 * appends of one commit group conflict: a rejected one re-reads the head and tries again; only successes are logged.
 */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { StreamNotFoundError, WrongExpectedRevisionError } from '../../services/event-store/errors.js';
import { newEventId } from '../../infra/event-store/event-id.js';
import type { EventStore, EventToAppend } from '../../services/event-store/port.js';
import { formatPosition } from '../../services/event-store/position.js';
import { SqliteEventStore } from '../../infra/event-store/sqlite/sqlite-event-store.js';

const STREAMS_PER_WRITER = 5;
const SHARED_STREAMS = 4;

const [dbFile, ackLog, writersArg, round, mode] = process.argv.slice(2);
const shared = mode === 'shared';
if (!dbFile || !ackLog || !writersArg || !round) throw new Error('usage: crash-writer <db> <log> <writers> <round>');

const store = SqliteEventStore.open(dbFile);
const log = openSync(ackLog, 'a');

const acknowledge = (line: object): void => {
  writeSync(log, `${JSON.stringify(line)}\n`);
  fsyncSync(log);
};

const lastRevision = async (stream: string): Promise<number | 'no_stream'> => {
  try {
    for await (const event of store.readStream(stream, { direction: 'backwards', maxCount: 1 })) return event.revision;
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  return 'no_stream';
};

const writer = async (writerIndex: number, target: EventStore): Promise<never> => {
  const own = Array.from({ length: STREAMS_PER_WRITER }, (_, k) => `crash-w${String(writerIndex)}-s${String(k)}`);
  const streams = shared ? [...own.slice(1), `crash-shared-s${String(writerIndex % SHARED_STREAMS)}`] : own;
  const revisions = new Map<string, number | 'no_stream'>();
  for (const stream of streams) revisions.set(stream, await lastRevision(stream));
  for (let sequence = 0; ; sequence += 1) {
    const stream = streams[sequence % streams.length]!;
    const expected = revisions.get(stream)!;
    const events: EventToAppend[] = Array.from({ length: 1 + (sequence % 4) }, (_, i) => ({
      id: newEventId(),
      type: 'CrashTestEventAppended',
      data: { round, writerIndex, sequence, i, payload: 'x'.repeat(64 + ((sequence * 7) % 200)) },
      metadata: { schemaVersion: 1 },
    }));
    let result;
    try {
      result = await target.appendToStream(stream, events, { expectedRevision: expected });
    } catch (error) {
      if (!(shared && error instanceof WrongExpectedRevisionError)) throw error;
      revisions.set(stream, await lastRevision(stream));
      continue;
    }
    acknowledge({
      stream,
      firstRevision: expected === 'no_stream' ? 0 : expected + 1,
      position: formatPosition(result.position),
      events,
      largestGroup: store.groupCommitStats().largestGroup,
    });
    revisions.set(stream, result.nextExpectedRevision);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
};

process.stdout.write('writing\n');
const writers = Number(writersArg);
await Promise.all(Array.from({ length: writers }, (_, index) => writer(index, store)));
closeSync(log);

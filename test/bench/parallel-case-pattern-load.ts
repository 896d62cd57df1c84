import { Worker } from 'node:worker_threads';
import type { EventStore } from '../../services/event-store/port.js';
import { registerOrganizations, type CasePatternLoad } from './case-pattern-load.js';
import type { WorkerInput, WorkerMessage } from './case-pattern-worker.js';

/**
 * The scale benchmark's loader for millions of events: the store loadCasePatterns would write
 * through the tracker's encrypting store (every command decided by the real decider, personal
 * data sealed with the real key store, hash chains over the sealed form), with the deciding and
 * sealing on `workers` worker threads (case-pattern-worker.ts), each with its share of the open
 * cases and of the events, and this thread only appending: one append per command, hundreds in
 * flight, so the store's group commit shares each sync among them. A family's appends reach the
 * store in its order (each worker's batches are appended in the order they arrive, and the
 * store commits appends in the order they were made). Families of different workers interleave
 * as the workers' batches do. `store` is the event store as stored (the sealed appends go to it
 * as they are); `sealed` is the same store encrypted, for the organisations' registration.
 */
export const loadCasePatternsInParallel = async (options: {
  readonly store: EventStore;
  readonly sealed: EventStore;
  readonly keyStoreFile: string;
  readonly masterKey: Buffer;
  readonly target: number;
  readonly open: number;
  readonly workers: number;
  readonly seed?: number;
  /** Added to every family number (a later segment of a long load numbers its families apart). */
  readonly familyOffset?: number;
  /** False for a later segment: the organisations are registered already. */
  readonly register?: boolean;
  readonly onProgress?: (events: number) => void;
}): Promise<CasePatternLoad> => {
  const now = new Date();
  if (options.register ?? true) await registerOrganizations(options.sealed, now.toISOString());
  let acknowledged = 0;
  const shares = Array.from({ length: options.workers }, (_, index) => {
    const input: WorkerInput = {
      keyStoreFile: options.keyStoreFile, masterKey: options.masterKey.toString('base64'), now: now.toISOString(),
      target: Math.ceil(options.target / options.workers), open: Math.max(1, Math.round(options.open / options.workers)),
      seed: (options.seed ?? 17) + index, workers: options.workers, index, familyOffset: options.familyOffset ?? 0,
    };
    return runWorker(input, async (appends) => {
      await Promise.all(appends.map((append) =>
        options.store.appendToStream(append.stream, append.events as never, { expectedRevision: append.expected === -1 ? 'no_stream' : append.expected })));
      acknowledged += appends.reduce((sum, append) => sum + append.events.length, 0);
      options.onProgress?.(acknowledged);
    });
  });
  const summaries = await Promise.all(shares);
  const longest = summaries.map((s) => s.longest).reduce((a, b) => (b.events > a.events ? b : a));
  const shortest = summaries.map((s) => s.shortest).reduce((a, b) => (b.events < a.events ? b : a));
  return { events: acknowledged, families: summaries.reduce((sum, s) => sum + s.families, 0), longest, shortest, sample: summaries.flatMap((s) => s.sample) };
};

/** tsx's loader registered in the worker first, so it runs the TypeScript worker as the main thread does. */
const workerBootstrap = (): string => {
  const tsx = import.meta.resolve('tsx/esm/api');
  const worker = new URL('./case-pattern-worker.ts', import.meta.url).href;
  return `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(worker)}); });`;
};

/** Runs one worker; each batch it sends is appended (`append`) before it is acknowledged. Resolves with its summary. */
const runWorker = (input: WorkerInput, append: (appends: Extract<WorkerMessage, { kind: 'batch' }>['appends']) => Promise<void>) =>
  new Promise<Extract<WorkerMessage, { kind: 'done' }>['summary']>((resolve, reject) => {
    const worker = new Worker(workerBootstrap(), { eval: true, workerData: input });
    let failed = false;
    const fail = (error: unknown): void => {
      if (failed) return;
      failed = true;
      void worker.terminate();
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    let summary: Extract<WorkerMessage, { kind: 'done' }>['summary'] | undefined;
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'done') summary = message.summary;
      else append(message.appends).then(() => worker.postMessage('ack'), fail);
    });
    worker.once('error', fail);
    worker.once('exit', (code) => {
      if (summary && code === 0) resolve(summary);
      else fail(new Error(`case-pattern worker ${String(input.index)} exited with ${String(code)} before it was done`));
    });
  });

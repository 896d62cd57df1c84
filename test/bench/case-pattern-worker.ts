/**
 * A worker thread of loadCasePatternsInParallel (parallel-case-pattern-load.ts): decides its
 * share of the cases (CasePatternSource) and seals each append as the tracker does before it
 * reaches the store: the real EncryptingEventStore with the real key store (its own connection
 * to the shared key-store file; the keys of a batch's new people are created in one durable
 * transaction before the batch is sealed), over a store that only captures what it would write. The captured appends
 * (personal data sealed, hash chains over the sealed form) go to the main thread in batches,
 * which appends them to the real store; at most MAX_UNACKNOWLEDGED batches wait for its
 * acknowledgement at once.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteKeyStore } from '../../infra/keys/sqlite-key-store.js';
import { StreamNotFoundError } from '../../services/event-store/errors.js';
import type { AppendResult, EventStore, EventToAppend, ExpectedRevision, JsonObject, RecordedEvent } from '../../services/event-store/port.js';
import { positionOf } from '../../services/event-store/position.js';
import { EncryptingEventStore } from '../../services/privacy/encrypting-event-store.js';
import { keyIdsToSealIn, PersonalDataCipher } from '../../services/privacy/personal-data-cipher.js';
import { CasePatternSource, FamilyOrderedAppends, type CaseAppend } from './case-pattern-load.js';

/** A sealed append as the store receives it. */
export interface StoredAppend {
  readonly stream: string;
  readonly events: readonly EventToAppend[];
  readonly expected: number;
}

export interface WorkerInput {
  readonly keyStoreFile: string;
  readonly masterKey: string;
  readonly target: number;
  readonly open: number;
  readonly seed: number;
  readonly workers: number;
  readonly index: number;
  readonly familyOffset: number;
  readonly now: string;
}

export type WorkerMessage =
  | { readonly kind: 'batch'; readonly appends: readonly StoredAppend[]; readonly events: number }
  | { readonly kind: 'done'; readonly summary: ReturnType<CasePatternSource['summary']> };

/** Events per batch sent to the main thread. */
const BATCH_EVENTS = 1_000;
const MAX_UNACKNOWLEDGED = 3;

/**
 * Takes the sealed appends instead of storing them: what the encrypting store hands its inner
 * store is what the tracker writes. It answers reads of a stream's last event (the encrypting
 * store's chain head when its own cache misses) from what it captured.
 */
class CapturingStore implements Pick<EventStore, 'appendToStream' | 'readStream'> {
  readonly captured: StoredAppend[] = [];
  private readonly heads = new Map<string, { readonly revision: number; readonly hash: string }>();

  appendToStream(stream: string, events: readonly EventToAppend[], options: { readonly expectedRevision: ExpectedRevision }): Promise<AppendResult> {
    const expected = options.expectedRevision === 'no_stream' ? -1 : Number(options.expectedRevision);
    const revision = expected + events.length;
    this.captured.push({ stream, events, expected });
    this.heads.set(stream, { revision, hash: events.at(-1)!.metadata['hash'] as string });
    return Promise.resolve({ nextExpectedRevision: revision, position: positionOf(0n) });
  }

  async *readStream(stream: string): AsyncIterable<RecordedEvent> {
    const head = this.heads.get(stream);
    if (!head) throw new StreamNotFoundError(stream);
    yield await Promise.resolve({ stream, revision: head.revision, metadata: { hash: head.hash } } as unknown as RecordedEvent);
  }
}

const run = async (input: WorkerInput): Promise<void> => {
  const port = parentPort!;
  const keys = SqliteKeyStore.open(input.keyStoreFile, Buffer.from(input.masterKey, 'base64'));
  const capture = new CapturingStore();
  const sealing = new FamilyOrderedAppends(new EncryptingEventStore(capture as unknown as EventStore, new PersonalDataCipher(keys)));
  const source = new CasePatternSource({
    open: input.open, seed: input.seed, chaining: 'by-the-store', now: new Date(input.now),
    familyNumber: (n) => input.familyOffset + n * input.workers + input.index,
  });
  let unacknowledged = 0;
  let acknowledged: () => void = () => undefined;
  port.on('message', () => {
    unacknowledged -= 1;
    acknowledged();
  });
  const acknowledgement = (): Promise<void> => new Promise((resolve) => (acknowledged = resolve));
  try {
    let events = 0;
    while (events < input.target) {
      const issuedAt = new Date().toISOString();
      const batch: CaseAppend[] = [];
      let batchEvents = 0;
      while (batchEvents < BATCH_EVENTS && events + batchEvents < input.target) {
        const next = source.next(issuedAt);
        batch.push(next);
        batchEvents += next.events.length;
      }
      // The keys of the batch's new people in one durable key-store transaction (the tracker
      // groups those of the appends that arrive together the same way), before any is sealed.
      await keys.keysForSealing(keyIdsToSealIn(batch.flatMap((append) => append.events.map((event) => ({ stream: append.stream, data: event.data as JsonObject })))));
      await Promise.all(batch.map((append) => sealing.append(append)));
      events += batchEvents;
      while (unacknowledged >= MAX_UNACKNOWLEDGED) await acknowledgement();
      unacknowledged += 1;
      port.postMessage({ kind: 'batch', appends: capture.captured.splice(0), events: batchEvents } satisfies WorkerMessage);
    }
    while (unacknowledged > 0) await acknowledgement();
    port.postMessage({ kind: 'done', summary: source.summary() } satisfies WorkerMessage);
  } finally {
    await keys.close();
  }
  port.close();
};

await run(workerData as WorkerInput);

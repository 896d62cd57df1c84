import { StreamNotFoundError } from '../event-store/errors.js';
import type {
  AllSubscription,
  AllSubscriptionItem,
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  JsonObject,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
} from '../event-store/port.js';
import { eventHash, GENESIS_HASH } from '../shared/hash-chain.js';
import type { PersonalDataCipher } from './personal-data-cipher.js';

/** Streams whose last stored hash is remembered, so an append need not read its predecessor. */
const HEAD_CACHE_LIMIT = 10_000;

/**
 * Events encrypted at rest: an EventStore that seals every event's personal data (and webhook
 * secrets) with PersonalDataCipher before it reaches the wrapped store, and opens it again on
 * every read and subscription. The port is unchanged; callers see plaintext (or the erased
 * marker), the store holds ciphertext.
 *
 * The hash chain covers the sealed form as stored: for an event that carries `hash` in its
 * metadata, `prevHash` and `hash` are recomputed here over the sealed data, chained to the
 * stored hash of the stream's previous event. So `tracker verify` checks the stored bytes
 * without any key, and destroying a key (erasure) never breaks a chain. The hashes a caller
 * computed over plaintext are replaced; events read through this store carry the stored ones.
 */
export class EncryptingEventStore implements EventStore {
  private readonly heads = new Map<string, { readonly revision: number; readonly hash: string }>();

  constructor(
    private readonly inner: EventStore,
    private readonly cipher: PersonalDataCipher,
    /** `alsoClose`: closed before the wrapped store (e.g. a key store opened for this store alone, which may follow it). */
    private readonly options: { readonly alsoClose?: () => Promise<void> } = {},
  ) {}

  /** The wrapped store: events as stored, sealed (what the hash chain covers; for verification). */
  get storedForm(): EventStore {
    return this.inner;
  }

  async appendToStream(stream: string, events: readonly EventToAppend[], options: { readonly expectedRevision: ExpectedRevision }): Promise<AppendResult> {
    const hashed = events.some((event) => typeof event.metadata['hash'] === 'string');
    const previous = hashed ? await this.headBefore(stream, options.expectedRevision) : undefined;
    const sealedData = await this.cipher.sealAll(stream, events);
    const sealed: EventToAppend[] = [];
    let prevHash = previous?.hash ?? GENESIS_HASH;
    for (const [index, event] of events.entries()) {
      const data = sealedData[index]!;
      if (previous === undefined || typeof event.metadata['hash'] !== 'string') {
        sealed.push({ ...event, data });
        continue;
      }
      const { hash: _hash, ...rest } = event.metadata;
      const unsealed: JsonObject = { ...rest, prevHash };
      const hash = eventHash({ stream, revision: previous.revision + 1 + index, type: event.type, data, metadata: unsealed });
      sealed.push({ ...event, data, metadata: { ...unsealed, hash } });
      prevHash = hash;
    }
    const result = await this.inner.appendToStream(stream, sealed, options);
    if (previous !== undefined && result.nextExpectedRevision === previous.revision + events.length) {
      this.rememberHead(stream, result.nextExpectedRevision, prevHash);
    }
    return result;
  }

  /** Passed through: a deleted stream holds nothing to seal or open. */
  deleteStream(stream: string, options: { readonly expectedRevision: ExpectedRevision }): Promise<void> {
    this.heads.delete(stream);
    return this.inner.deleteStream(stream, options);
  }

  async *readStream(stream: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent> {
    for await (const event of this.inner.readStream(stream, options)) yield this.cipher.needsOpening(event.data) ? await this.opened(event) : event;
  }

  async *readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent> {
    for await (const event of this.inner.readAll(options)) yield this.cipher.needsOpening(event.data) ? await this.opened(event) : event;
  }

  headPosition(): ReturnType<EventStore['headPosition']> {
    return this.inner.headPosition();
  }

  subscribeToAll(options?: SubscribeToAllOptions): AllSubscription {
    const subscription = this.inner.subscribeToAll(options);
    const open = (event: RecordedEvent): Promise<RecordedEvent> => this.opened(event);
    return {
      stop: () => subscription.stop(),
      [Symbol.asyncIterator]: async function* (): AsyncGenerator<AllSubscriptionItem> {
        for await (const item of subscription) yield item.kind === 'event' ? { kind: 'event', event: await open(item.event) } : item;
      },
    };
  }

  /** Closes the wrapped store (and `alsoClose`); a key store not handed over belongs to whoever opened it. */
  async close(): Promise<void> {
    await this.options.alsoClose?.();
    await this.inner.close();
  }

  private async opened(event: RecordedEvent): Promise<RecordedEvent> {
    const data = await this.cipher.open(event.stream, event.id, event.data);
    return data === event.data ? event : { ...event, data };
  }

  /**
   * The revision and stored hash of the event the append follows (revision -1 and the genesis
   * hash for a new stream). With an exact expectation that is the event at that revision; when
   * the stream has moved on, the wrapped store refuses the append (or finds it a retry) anyway.
   */
  private async headBefore(stream: string, expected: ExpectedRevision): Promise<{ readonly revision: number; readonly hash: string }> {
    if (expected === 'no_stream') return { revision: -1, hash: GENESIS_HASH };
    const cached = this.heads.get(stream);
    if (cached !== undefined && cached.revision === expected) return cached;
    try {
      for await (const last of this.inner.readStream(stream, { direction: 'backwards', maxCount: 1 })) {
        const hash = last.metadata['hash'];
        return { revision: last.revision, hash: typeof hash === 'string' ? hash : GENESIS_HASH };
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return { revision: -1, hash: GENESIS_HASH };
  }

  private rememberHead(stream: string, revision: number, hash: string): void {
    this.heads.delete(stream);
    if (this.heads.size >= HEAD_CACHE_LIMIT) this.heads.delete(this.heads.keys().next().value!);
    this.heads.set(stream, { revision, hash });
  }
}

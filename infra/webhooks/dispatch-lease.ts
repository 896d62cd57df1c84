import { hostname } from 'node:os';
import { StreamNotFoundError, WrongExpectedRevisionError } from '../../services/event-store/errors.js';
import type { EventStore, JsonObject } from '../../services/event-store/port.js';
import { newEventId } from '../event-store/event-id.js';
import type { Logger } from '../logger.js';

export const DISPATCH_LEASE_STREAM = 'webhook-dispatch-lease';
const LEASE_TAKEN = 'WebhookDispatchLeaseTaken';

export interface DispatchLeaseOptions {
  readonly clock: () => Date;
  readonly logger: Logger;
  /** How long a lease lasts unless renewed; the holder renews every third of it. */
  readonly ttlMs?: number;
  /** Per webhook, the newest delivery this replica has settled: published with each renewal. */
  readonly progress: () => Record<string, string>;
  /** What the holder published, applied to this replica's outbox while it does not hold. */
  readonly onPeerProgress: (progress: Record<string, string>) => void;
}

interface LeaseRecord {
  readonly holder: string;
  readonly expiresAt: number;
  readonly progress: Record<string, string>;
}

const DEFAULT_TTL_MS = 15_000;

/**
 * Which replica sends webhooks: a lease kept in the event store, taken and renewed by appending
 * to one stream with the exact expected revision, so two replicas never both win (the store's
 * optimistic concurrency is the election). The holder renews every ttl/3 and stops sending a
 * third of the ttl before its lease runs out; another replica takes over once it has expired.
 * Each renewal carries the holder's per-webhook progress, which the others apply to their own
 * outbox: a replica that takes over resends at most what the old holder settled in its last
 * third of a ttl (receivers de-duplicate by delivery id, which is the same on every replica).
 *
 * Limits: assumes the replicas' clocks agree to well within ttl/3 (NTP); writes one small event
 * per renewal (about 17,000 a day at the default 15 s), which EventStoreDB can cap with
 * `$maxCount` metadata on the stream.
 */
export class DispatchLease {
  readonly holder = `${hostname()}:${String(process.pid)}:${newEventId()}`;
  private heldUntil = 0;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> = Promise.resolve();
  private readonly ttlMs: number;

  constructor(
    private readonly store: EventStore,
    private readonly options: DispatchLeaseOptions,
  ) {
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  }

  /** True while this replica holds the lease with at least a third of its ttl left. */
  holds(): boolean {
    return this.options.clock().getTime() < this.heldUntil - this.ttlMs / 3;
  }

  start(): void {
    const tick = (): void => {
      this.round = this.renew().catch((error: unknown) => {
        this.options.logger.warn({ err: { name: error instanceof Error ? error.name : typeof error } }, 'webhook dispatch lease: renewal failed');
      });
      void this.round.then(() => {
        if (!this.stopped) this.timer = setTimeout(tick, this.ttlMs / 3);
      });
    };
    tick();
  }

  /** Stops renewing; a holder gives the lease up at once so another replica takes over now. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.round;
    if (this.heldUntil > this.options.clock().getTime()) {
      this.heldUntil = 0;
      const current = await this.current();
      if (current.record?.holder === this.holder) await this.append(current.revision, 0).catch(() => undefined);
    }
  }

  private async renew(): Promise<void> {
    const now = this.options.clock().getTime();
    const { record, revision } = await this.current();
    if (record && record.holder !== this.holder && record.expiresAt > now) {
      this.heldUntil = 0;
      this.options.onPeerProgress(record.progress);
      return;
    }
    if (record && record.holder !== this.holder) this.options.onPeerProgress(record.progress);
    try {
      await this.append(revision, now + this.ttlMs);
      if (this.heldUntil === 0) this.options.logger.info({ holder: this.holder }, 'webhook dispatch lease taken: this replica sends webhooks');
      this.heldUntil = now + this.ttlMs;
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      this.heldUntil = 0;
    }
  }

  private async append(revision: number | undefined, expiresAt: number): Promise<void> {
    const data: JsonObject = { holder: this.holder, expiresAt, progress: this.options.progress() };
    await this.store.appendToStream(DISPATCH_LEASE_STREAM, [{ id: newEventId(), type: LEASE_TAKEN, data, metadata: { schemaVersion: 1 } }], {
      expectedRevision: revision ?? 'no_stream',
    });
  }

  private async current(): Promise<{ record: LeaseRecord | undefined; revision: number | undefined }> {
    try {
      for await (const event of this.store.readStream(DISPATCH_LEASE_STREAM, { direction: 'backwards', maxCount: 1 })) {
        return { record: event.data as unknown as LeaseRecord, revision: event.revision };
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return { record: undefined, revision: undefined };
  }
}

import {
  START,
  excludeSystemEvents,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type EventStoreDBClient,
} from '@eventstore/db-client';
import type { AllSubscription, AllSubscriptionItem } from '../../../services/event-store/port.js';
import { comparePositions, type Position } from '../../../services/event-store/position.js';
import { Signal } from '../../../services/shared/signal.js';
import { fromEsdbEvent, isSystemEvent } from './esdb-mapping.js';

/** The client's stream is paused above this many undelivered items and resumed below LOW. */
const HIGH_WATER = 256;
const LOW_WATER = 64;
const MAX_RECONNECT_DELAY_MS = 5_000;
/** Consecutive failures without a delivered event before the subscription gives up. */
const MAX_FAILURES = 10;

/**
 * Wraps the client's catch-up subscription to `$all`. A dropped connection, and a stream the
 * server (or a proxy) ends cleanly, are resubscribed from the last event queued, so the consumer
 * sees neither a gap nor a duplicate. The queue is bounded by pausing the client's stream.
 * MAX_FAILURES counts attempts in a row that were not confirmed by the server.
 */
export class EsdbAllSubscription implements AllSubscription {
  private readonly queue: AllSubscriptionItem[] = [];
  private readonly changed = new Signal();
  private current: AllStreamSubscription | undefined;
  private lastQueued: Position | undefined;
  private caughtUpQueued = false;
  private pendingCaughtUp = false;
  private failures = 0;
  private failure: Error | undefined;
  private stopped = false;

  constructor(
    private readonly client: EventStoreDBClient,
    after: Position | undefined,
    private readonly onStop: () => void,
  ) {
    this.lastQueued = after;
    this.subscribe();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<AllSubscriptionItem> {
    try {
      for (;;) {
        const item = this.queue.shift();
        if (item) {
          if (this.queue.length <= LOW_WATER) this.current?.resume();
          yield item;
          continue;
        }
        if (this.stopped) return;
        if (this.failure) throw this.failure;
        await this.changed.wait(1_000);
      }
    } finally {
      await this.stop();
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.onStop();
    this.changed.notify();
    await this.current?.unsubscribe().catch(() => undefined);
  }

  private subscribe(): void {
    const subscription = this.client.subscribeToAll({
      fromPosition: this.lastQueued ?? START,
      filter: excludeSystemEvents(),
    });
    this.current = subscription;
    subscription.on('data', (resolved: AllStreamResolvedEvent) => this.onEvent(subscription, resolved));
    subscription.on('caughtUp', () => {
      if (subscription.readableLength === 0) this.queueCaughtUp();
      else this.pendingCaughtUp = true;
    });
    subscription.on('confirmation', () => {
      if (subscription === this.current) this.failures = 0;
    });
    subscription.on('error', (error: Error) => this.onError(subscription, error));
    // A clean end is a drop too: a subscription to $all has no end of its own.
    subscription.on('end', () => this.onError(subscription, new Error('the server ended the subscription')));
  }

  private onEvent(subscription: AllStreamSubscription, resolved: AllStreamResolvedEvent): void {
    const event = resolved.event;
    if (event && !isSystemEvent(event)) {
      if (!this.lastQueued || comparePositions(event.position, this.lastQueued) > 0) {
        this.queue.push({ kind: 'event', event: fromEsdbEvent(event) });
        this.lastQueued = event.position;
      }
    }
    if (this.pendingCaughtUp && subscription.readableLength === 0) this.queueCaughtUp();
    if (this.queue.length >= HIGH_WATER) subscription.pause();
    this.changed.notify();
  }

  private queueCaughtUp(): void {
    this.pendingCaughtUp = false;
    if (this.caughtUpQueued) return;
    this.caughtUpQueued = true;
    this.queue.push({ kind: 'caughtUp' });
    this.changed.notify();
  }

  private onError(subscription: AllStreamSubscription, error: Error): void {
    if (this.stopped || subscription !== this.current) return;
    this.current = undefined;
    this.failures += 1;
    if (this.failures > MAX_FAILURES) {
      this.failure = error;
      this.changed.notify();
      return;
    }
    const delay = Math.min(MAX_RECONNECT_DELAY_MS, 100 * 2 ** this.failures);
    setTimeout(() => {
      if (!this.stopped) this.subscribe();
    }, delay);
  }
}

import type { AllSubscription, AllSubscriptionItem, RecordedEvent } from '../../../services/event-store/port.js';

interface PollingSource {
  /** Position (exclusive) to start after. */
  readonly after: bigint;
  /** The next page of events after a position, in order. */
  readonly readPage: (after: bigint) => RecordedEvent[];
  /** Resolves when an append may have happened (a commit here, or the poll interval). */
  readonly waitForAppend: () => Promise<void>;
  readonly onStop: () => void;
}

/**
 * Catch-up then live, by pulling pages from the store: it holds no queue of its own, so a
 * slow consumer only delays its own reads and cannot make the process buffer events for it.
 */
export class PollingAllSubscription implements AllSubscription {
  private stopped = false;

  constructor(private readonly source: PollingSource) {}

  async *[Symbol.asyncIterator](): AsyncIterator<AllSubscriptionItem> {
    let after = this.source.after;
    let caughtUp = false;
    try {
      while (!this.stopped) {
        const page = this.source.readPage(after);
        for (const event of page) {
          if (this.stopped) return;
          yield { kind: 'event', event };
          after = event.position.commit;
        }
        if (page.length > 0) continue;
        if (!caughtUp) {
          caughtUp = true;
          yield { kind: 'caughtUp' };
          continue;
        }
        await this.source.waitForAppend();
      }
    } finally {
      await this.stop();
    }
  }

  stop(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      this.source.onStop();
    }
    return Promise.resolve();
  }
}

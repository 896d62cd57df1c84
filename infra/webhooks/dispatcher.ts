import { FamilyReadModel, feedCursor } from '../../projections/families/family-read-model.js';
import { RequestQueries, type StatementCache } from '../../projections/statement-cache.js';
import type { Logger } from '../logger.js';
import { signatureHeader, SIGNATURE_HEADER } from './signature.js';
import { refusedTarget } from './target-address.js';
import type { DeliveryRow, WebhookOutbox } from './outbox.js';

export interface WebhookRow {
  readonly webhook_id: string;
  readonly organization_id: string;
  readonly url: string;
  readonly secret: string;
  readonly registered_commit: bigint;
  readonly registered_prepare: bigint;
}

export interface DispatcherOptions {
  /** The first retry waits about this long; each later one twice as long (with jitter), up to an hour. */
  readonly retryBaseMs: number;
  /** Attempts before a delivery is parked as FAILED (it can be replayed). */
  readonly maxAttempts: number;
  /** Allow targets on loopback and private networks (development, tests, an internal relay). */
  readonly allowPrivateNetworks: boolean;
  readonly timeoutMs: number;
  readonly clock: () => Date;
  readonly logger: Logger;
  readonly waitForProgress: (timeoutMs: number) => Promise<void>;
}

const ENQUEUE_PAGE = 200;
const IDLE_MS = 200;
const MAX_DELAY_MS = 3_600_000;

/** The active webhooks of active organisations, with their current secret. */
export const activeWebhooks = (cache: StatementCache): WebhookRow[] =>
  cache.get(`SELECT w.* FROM webhooks w JOIN organizations o ON o.organization_id = w.organization_id WHERE w.active = 1 AND o.active = 1 ORDER BY w.webhook_id`)
    .safeIntegers(true).all() as WebhookRow[];

/** Exponential backoff with jitter: half the delay fixed, half random, so retries spread out. */
export const retryDelay = (attempt: number, baseMs: number, random: () => number = Math.random): number => {
  const delay = Math.min(MAX_DELAY_MS, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(delay / 2 + random() * (delay / 2));
};

/**
 * Delivers status changes to webhooks from the durable outbox: enqueues what each webhook's
 * organisation may see (notify, then pull from the status-change feed, as subscriptions do),
 * then POSTs each webhook's oldest pending delivery, signed, retrying with backoff until a 2xx or
 * the attempt limit. One delivery at a time per webhook keeps each family's order.
 */
export class WebhookDispatcher {
  private stopped = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly cache: StatementCache,
    private readonly outbox: WebhookOutbox,
    private readonly options: DispatcherOptions,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const busy = await this.pass().catch((error: unknown) => {
        this.options.logger.error({ err: { name: error instanceof Error ? error.name : typeof error } }, 'webhook dispatcher pass failed');
        return false;
      });
      if (!busy && !this.stopped) await this.options.waitForProgress(IDLE_MS);
    }
  }

  /** Enqueues new changes, then makes at most one attempt per webhook. True when anything happened. */
  async pass(): Promise<boolean> {
    const webhooks = activeWebhooks(this.cache);
    const enqueued = webhooks.map((webhook) => this.enqueue(webhook)).some(Boolean);
    const attempted = await Promise.all(webhooks.map((webhook) => this.deliverNext(webhook)));
    return enqueued || attempted.some(Boolean);
  }

  private enqueue(webhook: WebhookRow): boolean {
    const now = this.options.clock().toISOString();
    const after = this.outbox.cursorOf(webhook.webhook_id) ?? { commit: webhook.registered_commit, prepare: webhook.registered_prepare };
    const readModel = new FamilyReadModel(new RequestQueries(this.cache), { organizationId: webhook.organization_id, role: 'PARTNER' }, now);
    const changes = readModel.statusChangesAfter(after, undefined, ENQUEUE_PAGE);
    const last = changes.at(-1);
    if (!last) return false;
    this.outbox.enqueue(
      webhook.webhook_id,
      changes.map((change) => {
        const cursor = feedCursor(change);
        const deliveryId = `${webhook.webhook_id}:${cursor}`;
        const payload = {
          deliveryId,
          webhookId: webhook.webhook_id,
          organizationId: webhook.organization_id,
          change: { cursor, familyId: change.family_id, previousStatus: change.previous_status, status: change.status, occurredAt: change.occurred_at, recordedAt: change.recorded_at },
        };
        return { deliveryId, familyId: change.family_id, payload: JSON.stringify(payload) };
      }),
      { commit: last.position_commit, prepare: last.position_prepare },
      now,
    );
    return true;
  }

  private async deliverNext(webhook: WebhookRow): Promise<boolean> {
    const delivery = this.outbox.headOfLine(webhook.webhook_id);
    if (!delivery || delivery.next_attempt_at > this.options.clock().getTime()) return false;
    const outcome = await this.post(webhook, delivery);
    const now = this.options.clock();
    if (outcome.ok) {
      this.outbox.markDelivered(delivery.delivery_id, outcome.statusCode, now.toISOString());
      return true;
    }
    const attempt = delivery.attempts + 1;
    const giveUp = attempt >= this.options.maxAttempts;
    this.outbox.markAttemptFailed(delivery.delivery_id, { error: outcome.error, statusCode: outcome.statusCode, nextAttemptAt: now.getTime() + retryDelay(attempt, this.options.retryBaseMs), giveUp });
    if (giveUp) this.options.logger.warn({ webhookId: webhook.webhook_id, deliveryId: delivery.delivery_id, attempts: attempt }, 'webhook delivery failed: parked for replay');
    return true;
  }

  private async post(webhook: WebhookRow, delivery: DeliveryRow): Promise<{ ok: true; statusCode: number } | { ok: false; statusCode: number | null; error: string }> {
    const timestamp = Math.floor(this.options.clock().getTime() / 1000);
    const refused = this.options.allowPrivateNetworks ? undefined : await refusedTarget(webhook.url);
    if (refused) return { ok: false, statusCode: null, error: refused };
    try {
      const response = await fetch(webhook.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'family-reunification-tracker-webhooks',
          [SIGNATURE_HEADER]: signatureHeader(webhook.secret, timestamp, delivery.payload),
          'x-tracker-delivery': delivery.delivery_id,
          'x-tracker-webhook': webhook.webhook_id,
        },
        body: delivery.payload,
      });
      await response.body?.cancel();
      return response.status >= 200 && response.status < 300 ? { ok: true, statusCode: response.status } : { ok: false, statusCode: response.status, error: `HTTP ${String(response.status)}` };
    } catch (error) {
      return { ok: false, statusCode: null, error: error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 200) : 'request failed' };
    }
  }
}

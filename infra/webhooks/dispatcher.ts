import { FamilyReadModel, feedCursor } from '../../projections/families/family-read-model.js';
import { statusChangeView, webhookPayloadView } from '../../projections/families/redaction.js';
import { RequestQueries, type StatementCache } from '../../projections/statement-cache.js';
import type { WebhookSettings } from '../config.js';
import type { Logger } from '../logger.js';
import { signatureHeader, SIGNATURE_HEADER } from './signature.js';
import { pinnedPost } from './pinned-post.js';
import { checkTarget, systemResolver, type Resolver } from './target-address.js';
import type { DeliveryRow, WebhookOutbox } from './outbox.js';
import { webhookSecretOf } from '../../projections/organizations/organizations-projection.js';

export interface WebhookRow {
  readonly webhook_id: string;
  readonly organization_id: string;
  readonly url: string;
  /** Sealed (read-model-sealer.ts): `webhookSecretOf` opens it. */
  readonly secret: string;
  readonly registered_commit: bigint;
  readonly registered_prepare: bigint;
}

export interface DispatcherOptions extends WebhookSettings {
  readonly clock: () => Date;
  readonly logger: Logger;
  readonly waitForProgress: (timeoutMs: number) => Promise<void>;
  /** How target names are resolved (tests inject one); the system resolver by default. */
  readonly resolve?: Resolver;
  /**
   * Whether this replica may send now (it holds the dispatch lease); always, by default. A
   * replica that may not still enqueues, so it is ready to take over where the holder stopped.
   */
  readonly maySend?: () => boolean;
}

type Outcome = { ok: true; statusCode: number } | { ok: false; statusCode: number | null; error: string };

const ENQUEUE_PAGE = 200;
/** Recorded on a delivery withheld because its organisation no longer sees the family. */
export const ACCESS_ENDED = "the organisation's access to the family ended";
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
 * Interleaves the webhooks by organisation (each organisation's first, then each one's second,
 * ...), starting at a different organisation each pass: when the overall bound is reached, free
 * slots go round the organisations instead of to whichever sorts first.
 */
export const interleaveByOrganization = (webhooks: readonly WebhookRow[], offset: number): WebhookRow[] => {
  const byOrganization = new Map<string, WebhookRow[]>();
  for (const webhook of webhooks) byOrganization.set(webhook.organization_id, [...(byOrganization.get(webhook.organization_id) ?? []), webhook]);
  const groups = [...byOrganization.values()];
  const rotated = groups.map((_, i) => groups[(i + offset) % groups.length]!);
  const longest = Math.max(0, ...groups.map((group) => group.length));
  return Array.from({ length: longest }, (_, rank) => rotated.flatMap((group) => (group[rank] ? [group[rank]] : []))).flat();
};

/**
 * Delivers status changes to webhooks from the durable outbox: enqueues what each webhook's
 * organisation may see (notify, then pull from the status-change feed, as subscriptions do),
 * then POSTs each webhook's oldest pending delivery, signed, retrying with backoff until a 2xx or
 * the attempt limit.
 *
 * Guarantees: one delivery at a time per webhook, so each family's order holds. Webhooks are
 * attempted concurrently: an attempt never waits for another webhook's attempt, only for a free
 * slot when its organisation already has `maxInFlightPerOrganization` attempts in flight or all
 * organisations together have `maxInFlight`; a slow endpoint holds a slot for at most `timeoutMs`.
 * An attempt cut short by `stop` is not counted; the delivery stays pending and is sent again
 * after the restart (receivers de-duplicate by delivery id).
 */
export class WebhookDispatcher {
  private stopped = false;
  private loop: Promise<void> | undefined;
  private passes = 0;
  private wakeUp: (() => void) | undefined;
  private readonly stopping = new AbortController();
  /** Webhook id -> its organisation, for each attempt in flight. */
  private readonly inFlight = new Map<string, string>();
  private readonly attempts = new Set<Promise<void>>();

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
    this.stopping.abort();
    this.wakeUp?.();
    await this.loop;
    await Promise.allSettled([...this.attempts]);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let next = { busy: false, dueInMs: IDLE_MS };
      try {
        next = this.pass();
      } catch (error) {
        this.options.logger.error({ err: { name: error instanceof Error ? error.name : typeof error } }, 'webhook dispatcher pass failed');
      }
      if (!next.busy && !this.stopped) await this.idle(Math.max(1, Math.min(IDLE_MS, next.dueInMs)));
    }
  }

  /** Until the read models move, an attempt ends, or `ms` pass. */
  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wakeUp = resolve;
      void this.options.waitForProgress(ms).then(resolve, resolve);
    });
  }

  /**
   * Enqueues new changes, then starts each idle webhook's due delivery while there is room.
   * `busy` when a full page was enqueued (more may follow); `dueInMs` until the next retry is due.
   */
  pass(): { busy: boolean; dueInMs: number } {
    const webhooks = activeWebhooks(this.cache);
    const enqueued = webhooks.map((webhook) => this.enqueue(webhook)).some(Boolean);
    const now = this.options.clock().getTime();
    if (this.options.maySend && !this.options.maySend()) {
      this.outbox.applyPeerProgress(new Date(now).toISOString());
      return { busy: enqueued, dueInMs: IDLE_MS };
    }
    let dueInMs = Number.POSITIVE_INFINITY;
    this.passes += 1;
    for (const webhook of interleaveByOrganization(webhooks, this.passes)) {
      if (this.inFlight.has(webhook.webhook_id)) continue;
      const delivery = this.outbox.headOfLine(webhook.webhook_id);
      if (!delivery) continue;
      if (delivery.next_attempt_at > now) dueInMs = Math.min(dueInMs, delivery.next_attempt_at - now);
      else if (!this.mayStillSee(webhook, delivery)) this.outbox.withhold(delivery.delivery_id, ACCESS_ENDED);
      else if (this.hasRoomFor(webhook.organization_id)) this.startAttempt(webhook, delivery);
    }
    return { busy: enqueued, dueInMs };
  }

  /**
   * Whether the webhook's organisation sees the delivery's family now, judged as its enqueue was
   * (the read model, which a revocation has reached before it is acknowledged). A delivery
   * enqueued while the organisation had access, then retried or replayed after the access ended,
   * is withheld instead of sent.
   */
  private mayStillSee(webhook: WebhookRow, delivery: DeliveryRow): boolean {
    const readModel = new FamilyReadModel(new RequestQueries(this.cache), { organizationId: webhook.organization_id, role: 'PARTNER' }, this.options.clock().toISOString());
    return readModel.familiesByIds([delivery.family_id]).has(delivery.family_id);
  }

  private hasRoomFor(organizationId: string): boolean {
    if (this.inFlight.size >= this.options.maxInFlight) return false;
    let own = 0;
    for (const organization of this.inFlight.values()) if (organization === organizationId) own += 1;
    return own < this.options.maxInFlightPerOrganization;
  }

  private startAttempt(webhook: WebhookRow, delivery: DeliveryRow): void {
    this.inFlight.set(webhook.webhook_id, webhook.organization_id);
    const attempt = this.attempt(webhook, delivery)
      .catch((error: unknown) => {
        this.options.logger.error({ err: { name: error instanceof Error ? error.name : typeof error }, webhookId: webhook.webhook_id }, 'webhook attempt failed to record');
      })
      .finally(() => {
        this.inFlight.delete(webhook.webhook_id);
        this.attempts.delete(attempt);
        this.wakeUp?.();
      });
    this.attempts.add(attempt);
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
        const payload = webhookPayloadView({ deliveryId, webhookId: webhook.webhook_id, organizationId: webhook.organization_id, change: statusChangeView(change) });
        return { deliveryId, familyId: change.family_id, payload: JSON.stringify(payload) };
      }),
      { commit: last.position_commit, prepare: last.position_prepare },
      now,
    );
    return true;
  }

  private async attempt(webhook: WebhookRow, delivery: DeliveryRow): Promise<void> {
    const outcome = await this.post(webhook, delivery);
    if (!outcome.ok && this.stopping.signal.aborted) return;
    const now = this.options.clock();
    if (outcome.ok) {
      this.outbox.markDelivered(delivery.delivery_id, outcome.statusCode, now.toISOString());
      return;
    }
    const attempt = delivery.attempts + 1;
    const giveUp = attempt >= this.options.maxAttempts;
    this.outbox.markAttemptFailed(delivery.delivery_id, { error: outcome.error, statusCode: outcome.statusCode, nextAttemptAt: now.getTime() + retryDelay(attempt, this.options.retryBaseMs), giveUp });
    if (giveUp) this.options.logger.warn({ webhookId: webhook.webhook_id, deliveryId: delivery.delivery_id, attempts: attempt }, 'webhook delivery failed: parked for replay');
  }

  /** One attempt: the target checked now, then a POST to exactly the addresses that were checked. */
  private async post(webhook: WebhookRow, delivery: DeliveryRow): Promise<Outcome> {
    const timestamp = Math.floor(this.options.clock().getTime() / 1000);
    const target = await checkTarget(webhook.url, { allowPrivateNetworks: this.options.allowPrivateNetworks, resolve: this.options.resolve ?? systemResolver });
    if (!target.ok) return { ok: false, statusCode: null, error: target.reason };
    // Sealed at rest (organizations-projection.ts): opened only to sign.
    const secret = webhookSecretOf(webhook);
    if (secret === undefined) return { ok: false, statusCode: null, error: "the webhook's signing secret was erased" };
    try {
      const { statusCode } = await pinnedPost(target.url, target.addresses, {
        signal: AbortSignal.any([AbortSignal.timeout(this.options.timeoutMs), this.stopping.signal]),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'family-reunification-tracker-webhooks',
          [SIGNATURE_HEADER]: signatureHeader(secret, timestamp, delivery.payload),
          'x-tracker-delivery': delivery.delivery_id,
          'x-tracker-webhook': webhook.webhook_id,
        },
        body: delivery.payload,
      });
      return statusCode >= 200 && statusCode < 300 ? { ok: true, statusCode } : { ok: false, statusCode, error: `HTTP ${String(statusCode)}` };
    } catch (error) {
      return { ok: false, statusCode: null, error: error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 200) : 'request failed' };
    }
  }
}

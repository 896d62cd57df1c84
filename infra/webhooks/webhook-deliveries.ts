import type { WebhookDeliveries, WebhookDeliveryView } from '../../schema/context.js';
import type { DeliveryRow, WebhookOutbox } from './outbox.js';
import { newWebhookSecret } from './signature.js';
import { checkTarget, systemResolver, type TargetPolicy } from './target-address.js';

const view = (row: DeliveryRow): WebhookDeliveryView => ({
  deliveryId: row.delivery_id,
  webhookId: row.webhook_id,
  familyId: row.family_id,
  sequence: row.seq,
  status: row.status,
  attempts: row.attempts,
  lastStatusCode: row.last_status_code,
  lastError: row.last_error,
  nextAttemptAt: row.status === 'PENDING' && row.next_attempt_at > 0 ? new Date(row.next_attempt_at).toISOString() : null,
  createdAt: row.created_at,
  deliveredAt: row.delivered_at,
  payload: row.payload,
});

/**
 * The outbox behind `webhookDeliveries` and `replayWebhookDelivery`, and the target check of
 * `registerWebhook` (by default the strict one: no private networks, the system resolver).
 */
export const createWebhookDeliveries = (outbox: WebhookOutbox, policy: TargetPolicy = { allowPrivateNetworks: false, resolve: systemResolver }): WebhookDeliveries => ({
  list: (webhookId, options) =>
    outbox.deliveries(webhookId, { status: options.status ?? null, first: options.first, ...(options.beforeSequence === undefined ? {} : { beforeSeq: options.beforeSequence }) }).map(view),
  find: (webhookIds, deliveryId) => {
    const row = outbox.delivery(deliveryId);
    return row && webhookIds.includes(row.webhook_id) ? view(row) : undefined;
  },
  replay: (webhookIds, deliveryId) => {
    const row = outbox.replay(webhookIds, deliveryId);
    return row ? view(row) : undefined;
  },
  newSecret: newWebhookSecret,
  targetIsAllowed: async (url) => (await checkTarget(url, policy)).ok,
});

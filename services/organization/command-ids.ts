import { sha256 } from '../shared/hash-chain.js';

/**
 * The id of a webhook registered with a commandId: derived from the organisation and that id,
 * so a retry names the same webhook and two organisations that chose the same commandId never
 * share an id (the outbox and delivery ids name webhooks by id alone). The two parts are
 * encoded as a JSON array, so no choice of either can produce another pair's input.
 */
export const webhookIdForCommand = (organizationId: string, commandId: string): string =>
  `webhook-${sha256(JSON.stringify(['webhook', organizationId, commandId])).slice(0, 32)}`;

/** The id webhooks registered with a commandId got before it was derived from the organisation. */
export const legacyWebhookIdForCommand = (commandId: string): string => `webhook-${commandId}`;

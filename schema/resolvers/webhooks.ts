import type { WebhookInfoRow } from '../../projections/organizations/organization-read-model.js';
import { legacyWebhookIdForCommand, webhookIdForCommand } from '../../services/organization/command-ids.js';
import { notFound, rule } from '../../services/shared/domain-error.js';
import type { GraphQLContext, WebhookDeliveryView } from '../context.js';
import { opaqueCursor } from '../cursors.js';
import { badUserInput } from '../errors.js';
import { administeredOrganization, runOrganizationCommand } from '../mutations/organization-mutation-resolvers.js';
import { organizationField } from './queries.js';
import { pageSize } from './connection.js';

/**
 * Webhooks for partners that cannot hold a connection: registered on the organisation's stream
 * (the secret is shown once), delivered by the dispatcher from the durable outbox, and visible
 * here with every attempt. Members of the organisation read them; its administrators change them.
 */
const MAX_DELIVERY_PAGE = 200;

const webhookView = (row: WebhookInfoRow) => ({
  id: row.webhook_id, url: row.url, organizationId: row.organization_id, registeredAt: row.registered_at, active: row.active === 1,
});

const deliveryView = (delivery: WebhookDeliveryView) => ({ ...delivery, id: delivery.deliveryId });

/** The webhook if it belongs to the organisation; NOT_FOUND otherwise (another organisation's is unknown). */
const ownWebhook = (context: GraphQLContext, organizationId: string, webhookId: string): WebhookInfoRow => {
  const webhook = findOwnWebhook(context, organizationId, webhookId);
  if (!webhook) throw notFound('webhookId', rule`webhook`);
  return webhook;
};

const findOwnWebhook = (context: GraphQLContext, organizationId: string, webhookId: string): WebhookInfoRow | undefined =>
  context.organizations.webhooksOf(organizationId).find((row) => row.webhook_id === webhookId);

/**
 * The webhook a (possibly repeated) registration names. A repeat of a registration recorded
 * before ids were derived from the organisation finds it under its old id.
 */
const registeredWebhook = (context: GraphQLContext, organizationId: string, webhookId: string, commandId: string | null | undefined, replayed: boolean): WebhookInfoRow =>
  (replayed && commandId ? findOwnWebhook(context, organizationId, legacyWebhookIdForCommand(commandId)) : undefined) ?? ownWebhook(context, organizationId, webhookId);

const deliveryCursor = opaqueCursor('delivery');

/**
 * Deliveries of families the organisation still sees (decided now on the read model, as every
 * family read is): once its access ends, a family's deliveries and their payloads are neither
 * listed nor replayed. A page may so hold fewer than `first`; `hasMore` still says whether more follow.
 */
const ofVisibleFamilies = (context: GraphQLContext, deliveries: readonly WebhookDeliveryView[]): WebhookDeliveryView[] => {
  const visible = context.readModel.familiesByIds([...new Set(deliveries.map((delivery) => delivery.familyId))]);
  return deliveries.filter((delivery) => visible.has(delivery.familyId));
};

/** The rule a refused target broke (never the URL or what it resolves to). */
export const WEBHOOK_TARGET_RULE = rule`url must name a host that resolves only to public internet addresses (loopback, private, link-local, multicast, broadcast and other special-use addresses are refused)`;

const isHttpUrl = (url: string): boolean => URL.canParse(url) && ['http:', 'https:'].includes(new URL(url).protocol);

/**
 * Refused at registration as before each delivery: a target whose host does not resolve, or
 * resolves to any special-use address. A URL that is not http(s) at all is left to the
 * organisation's own rule (it says so).
 */
const requireAllowedTarget = async (context: GraphQLContext, url: string): Promise<void> => {
  if (isHttpUrl(url) && !(await context.webhooks.targetIsAllowed(url))) throw badUserInput('url', WEBHOOK_TARGET_RULE);
};

export const webhookQueryResolvers = {
  webhooks: (_root: unknown, _args: unknown, context: GraphQLContext) => context.organizations.webhooksOf(context.viewer.organizationId).map(webhookView),

  webhookDeliveries: (_root: unknown, args: { webhookId: string; status?: WebhookDeliveryView['status'] | null; first?: number | null; after?: string | null }, context: GraphQLContext) => {
    const first = pageSize(args.first, 50, MAX_DELIVERY_PAGE);
    ownWebhook(context, context.viewer.organizationId, args.webhookId);
    const rows = context.webhooks.list(args.webhookId, { status: args.status ?? null, first: first + 1, ...(args.after ? { beforeSequence: deliveryCursor.decodeIndex(args.after) } : {}) });
    const page = rows.slice(0, first);
    const last = page.at(-1);
    return { deliveries: ofVisibleFamilies(context, page).map(deliveryView), endCursor: last ? deliveryCursor.encode(last.sequence) : null, hasMore: rows.length > first };
  },
};

export const webhookMutationResolvers = {
  registerWebhook: async (_root: unknown, { input }: { input: { organizationId?: string | null; url: string; commandId?: string | null } }, context: GraphQLContext) => {
    const organizationId = administeredOrganization(context, input.organizationId);
    await requireAllowedTarget(context, input.url);
    // With a commandId the id is derived from it and the organisation: a repeat names the same webhook.
    const webhookId = input.commandId ? webhookIdForCommand(organizationId, input.commandId) : context.writer.newId();
    const secret = context.webhooks.newSecret();
    const result = await runOrganizationCommand(context, { type: 'RegisterWebhook', organizationId, webhookId, url: input.url, secret }, { commandId: input.commandId, input });
    return { webhook: webhookView(registeredWebhook(context, organizationId, webhookId, input.commandId, result.replayed)), secret: result.replayed ? null : secret, position: result.position };
  },

  rotateWebhookSecret: async (_root: unknown, { input }: { input: { organizationId?: string | null; webhookId: string; commandId?: string | null } }, context: GraphQLContext) => {
    const organizationId = administeredOrganization(context, input.organizationId);
    ownWebhook(context, organizationId, input.webhookId);
    const secret = context.webhooks.newSecret();
    const result = await runOrganizationCommand(context, { type: 'RotateWebhookSecret', organizationId, webhookId: input.webhookId, secret }, { commandId: input.commandId, input });
    return { webhook: webhookView(ownWebhook(context, organizationId, input.webhookId)), secret: result.replayed ? null : secret, position: result.position };
  },

  removeWebhook: async (_root: unknown, { input }: { input: { organizationId?: string | null; webhookId: string; commandId?: string | null } }, context: GraphQLContext) => {
    const organizationId = administeredOrganization(context, input.organizationId);
    ownWebhook(context, organizationId, input.webhookId);
    const result = await runOrganizationCommand(context, { type: 'RemoveWebhook', organizationId, webhookId: input.webhookId }, { commandId: input.commandId, input });
    return { webhookId: input.webhookId, position: result.position };
  },

  replayWebhookDelivery: (_root: unknown, { input }: { input: { deliveryId: string } }, context: GraphQLContext) => {
    const organizationId = administeredOrganization(context, null);
    const own = context.organizations.webhooksOf(organizationId).map((row) => row.webhook_id);
    const delivery = context.webhooks.find(own, input.deliveryId);
    // A delivery of a family the organisation no longer sees is unknown to it, as the family is.
    const replayed = delivery && ofVisibleFamilies(context, [delivery]).length === 1 ? context.webhooks.replay(own, input.deliveryId) : undefined;
    if (!replayed) throw notFound('deliveryId', rule`delivery`);
    return deliveryView(replayed);
  },
};

export const webhookTypeResolvers = { organization: organizationField };

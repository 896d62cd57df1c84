import { notFound, rule } from '../../services/shared/domain-error.js';
import type { Programme } from '../../services/family/vocabulary.js';
import type { GraphQLContext } from '../context.js';
import { administeredOrganization, runOrganizationCommand } from './organization-mutation-resolvers.js';

interface RecordInput { organizationId?: string | null; orderId: string; programme: Programme; funderOrganizationId?: string | null; reason: string; commandId?: string | null }
interface LiftInput { organizationId?: string | null; orderId: string; commandId?: string | null }

const organizationRow = (context: GraphQLContext, organizationId: string) => {
  const organization = context.organizations.organizationsByIds([organizationId]).get(organizationId);
  if (!organization) throw notFound('organizationId', rule`organisation`);
  return organization;
};

/**
 * Stop-work orders are recorded and lifted by the administrators of the organisation under the
 * order (or the system administrator): the funder sends the order, the funded organisation
 * records it. The funder, when named, must be a registered organisation.
 */
export const stopWorkOrderMutationResolvers = {
  recordStopWorkOrder: async (_root: unknown, { input }: { input: RecordInput }, context: GraphQLContext) => {
    const organizationId = administeredOrganization(context, input.organizationId);
    const organization = organizationRow(context, organizationId);
    if (input.funderOrganizationId && !context.organizations.organizationsByIds([input.funderOrganizationId]).has(input.funderOrganizationId)) {
      throw notFound('funderOrganizationId', rule`organisation`);
    }
    const result = await runOrganizationCommand(context, {
      type: 'RecordStopWorkOrder', organizationId, orderId: input.orderId, programme: input.programme, reason: input.reason,
      ...(input.funderOrganizationId ? { funderOrganizationId: input.funderOrganizationId } : {}),
    }, { commandId: input.commandId, input });
    return { organization, orderId: input.orderId, ...result };
  },
  liftStopWorkOrder: async (_root: unknown, { input }: { input: LiftInput }, context: GraphQLContext) => {
    const organizationId = administeredOrganization(context, input.organizationId);
    const organization = organizationRow(context, organizationId);
    const result = await runOrganizationCommand(context, { type: 'LiftStopWorkOrder', organizationId, orderId: input.orderId }, { commandId: input.commandId, input });
    return { organization, orderId: input.orderId, ...result };
  },
};

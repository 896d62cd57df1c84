import { organizationsProjection } from '../../projections/organizations/organizations-projection.js';
import { forbidden, notFound, notYetVisible, rule } from '../../services/shared/domain-error.js';
import { SYSTEM_ORGANIZATION_ID, type OrganizationCommand, type OrganizationKind, type Role } from '../../services/organization/organization.js';
import type { GraphQLContext } from '../context.js';
import { badUserInput } from '../errors.js';

/** How long an organisation mutation waits for the organisations read model to show its write. */
const READ_YOUR_WRITES_MS = 5_000;

const isSystemAdmin = (context: GraphQLContext): boolean =>
  context.viewer.role === 'ADMIN' && context.viewer.organizationId === SYSTEM_ORGANIZATION_ID;

/** Administrators manage their own organisation; the system administrator manages every one. */
export const administeredOrganization = (context: GraphQLContext, organizationId: string | null | undefined): string => {
  const target = organizationId ?? context.viewer.organizationId;
  if (context.viewer.role !== 'ADMIN') throw forbidden(rule`Only administrators manage their organisation`);
  if (target !== context.viewer.organizationId && !isSystemAdmin(context)) throw forbidden(rule`Only the system administrator manages another organisation`);
  return target;
};

type OrganizationCommandInput = OrganizationCommand extends infer C ? (C extends unknown ? Omit<C, 'actor' | 'issuedAt'> : never) : never;

/**
 * Runs an organisation command, then waits until the organisations read model (the one these
 * mutations answer from) has it. If that model stalls or does not get there in time, the write
 * still stands and the mutation says so (UNAVAILABLE, with the position it was recorded at):
 * never a success answered from a model without the write.
 */
export const runOrganizationCommand = async (context: GraphQLContext, command: OrganizationCommandInput, options: { commandId?: string | null | undefined; input?: unknown } = {}) => {
  const result = await context.writer.executeOrganization(
    { ...command, actor: context.viewer, issuedAt: context.writer.now() },
    { ...(options.commandId ? { commandId: options.commandId } : {}), ...(options.input === undefined ? {} : { input: options.input }) },
  );
  if (!(await context.writer.waitFor(result.position, READ_YOUR_WRITES_MS, organizationsProjection.name))) throw notYetVisible(result.position);
  return result;
};

export const organizationMutationResolvers = {
  registerOrganization: async (
    _root: unknown,
    { input }: { input: { organizationId: string; name: string; kind: OrganizationKind; countries?: string[] | null; commandId?: string | null } },
    context: GraphQLContext,
  ) => {
    if (!isSystemAdmin(context)) throw forbidden(rule`Only the system administrator registers organisations`);
    const result = await runOrganizationCommand(
      context,
      { type: 'RegisterOrganization', organizationId: input.organizationId, name: input.name, kind: input.kind, countries: (input.countries ?? []) as never },
      { commandId: input.commandId, input },
    );
    return { organization: { organization_id: input.organizationId, name: input.name, kind: input.kind }, ...result };
  },

  issueApiKey: async (
    _root: unknown,
    { input }: { input: { organizationId?: string | null; userId: string; userName: string; role: Role; label: string; commandId?: string | null } },
    context: GraphQLContext,
  ) => {
    const organizationId = administeredOrganization(context, input.organizationId);
    // With a commandId the key id is derived from it, so a repeat names the same key.
    const keyId = input.commandId ? `key-${input.commandId}` : context.writer.newId();
    const { key, hash } = context.writer.newApiKey();
    const issued = await runOrganizationCommand(
      context,
      { type: 'IssueApiKey', organizationId, keyId, userId: input.userId, keyHash: hash, label: input.label, asNewMember: { role: input.role, name: input.userName } },
      { commandId: input.commandId, input },
    );
    const holder = issued.replayed ? undefined : context.organizations.apiKeyHolder(hash);
    // An existing member keeps their role; the key acts with it.
    return { keyId, apiKey: issued.replayed ? null : key, userId: input.userId, role: holder?.role ?? input.role, position: issued.position };
  },

  appointAuditor: (_root: unknown, { input }: { input: AuditorInput }, context: GraphQLContext) => changeAuditor('AppointAuditor', input, context),
  dismissAuditor: (_root: unknown, { input }: { input: AuditorInput }, context: GraphQLContext) => changeAuditor('DismissAuditor', input, context),

  deactivateOrganization: async (_root: unknown, { input }: { input: { organizationId: string; reason: string; commandId?: string | null } }, context: GraphQLContext) => {
    if (!isSystemAdmin(context)) throw forbidden(rule`Only the system administrator deactivates organisations`);
    const organization = knownOrganization(context, input.organizationId, 'organizationId');
    const result = await runOrganizationCommand(context, { type: 'DeactivateOrganization', organizationId: input.organizationId, reason: input.reason }, { commandId: input.commandId, input });
    return { organization, ...result };
  },

  revokeApiKey: async (_root: unknown, { input }: { input: { organizationId?: string | null; keyId: string; commandId?: string | null } }, context: GraphQLContext) => {
    const organizationId = administeredOrganization(context, input.organizationId ?? keyHolderForSystemAdmin(context, input.keyId));
    const result = await runOrganizationCommand(context, { type: 'RevokeApiKey', organizationId, keyId: input.keyId }, { commandId: input.commandId, input });
    return { keyId: input.keyId, position: result.position };
  },
};

/**
 * The organisation whose key the system administrator revokes without naming one (it issued keys
 * for every organisation, and answers to a leak by the key id alone): the one organisation that
 * holds a key with that id. Undefined otherwise (the caller's own organisation, as before: an
 * unknown id is NOT_FOUND there); an id two organisations hold must be told apart.
 * The revocation itself is still decided on that organisation's own events.
 */
const keyHolderForSystemAdmin = (context: GraphQLContext, keyId: string): string | undefined => {
  if (!isSystemAdmin(context)) return undefined;
  const holders = context.organizations.organizationsHoldingKey(keyId);
  if (holders.length > 1) throw badUserInput('organizationId', rule`must be given: more than one organisation holds a key with this id`);
  return holders[0];
};

interface AuditorInput { organizationId?: string | null; auditorOrganizationId: string; commandId?: string | null }

const knownOrganization = (context: GraphQLContext, organizationId: string, field: string) => {
  const organization = context.organizations.organizationsByIds([organizationId]).get(organizationId);
  if (!organization) throw notFound(field, rule`organisation`);
  return organization;
};

const changeAuditor = async (type: 'AppointAuditor' | 'DismissAuditor', input: AuditorInput, context: GraphQLContext) => {
  const organizationId = administeredOrganization(context, input.organizationId);
  const auditorOrganization = knownOrganization(context, input.auditorOrganizationId, 'auditorOrganizationId');
  const result = await runOrganizationCommand(context, { type, organizationId, auditorOrganizationId: input.auditorOrganizationId }, { commandId: input.commandId, input });
  return { organization: knownOrganization(context, organizationId, 'organizationId'), auditorOrganization, ...result };
};

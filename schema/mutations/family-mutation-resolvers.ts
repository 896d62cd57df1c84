import { familiesProjection } from '../../projections/families/families-projection.js';
import { casefileProjection } from '../../projections/casefile/casefile-projection.js';
import { parseUncheckedFamilyCommand } from '../../services/family/check-command.js';
import type { FamilyCommandType } from '../../services/family/commands.js';
import { familyIdForOpening } from '../../services/family/family-service.js';
import { notYetVisible } from '../../services/shared/domain-error.js';
import type { GraphQLContext } from '../context.js';
import { FAMILY_MUTATIONS, mutationName } from './family-mutation-specs.js';
import { checkOtherPersonVisible } from '../resolvers/duplicates.js';
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/** How long a mutation waits for the read model to show its own write. */
const READ_YOUR_WRITES_MS = 5_000;

type Input = Record<string, unknown> & { familyId?: string; commandId?: string | null; expectedRevision?: number | null; occurredAt?: string | null };

const withoutNulls = (fields: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null && value !== undefined));

/**
 * Whether the payload's selection names `family` (through fragments too; a @skip or @include
 * counts as selected, so in doubt the family is read).
 */
const selectsFamily = (info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'> | undefined): boolean => {
  if (!info) return true;
  const names = (selectionSet: SelectionSetNode | undefined, seen: Set<string>): boolean =>
    (selectionSet?.selections ?? []).some((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value === 'family';
      if (selection.kind === Kind.INLINE_FRAGMENT) return names(selection.selectionSet, seen);
      const fragment = info.fragments[selection.name.value];
      if (seen.has(selection.name.value)) return false;
      seen.add(selection.name.value);
      return fragment === undefined || names(fragment.selectionSet, seen);
    });
  return info.fieldNodes.some((node) => names(node.selectionSet, new Set()));
};

/**
 * One resolver serves every family mutation: input -> command -> handler -> wait until the
 * families read model has the write -> payload. Who may do what is decided by the domain's access
 * policy on the family's own events (services/family/access-policy.ts), never here from the read
 * model. The payload's family is null when it is not selected, or when the change ended the caller's own sight of it (a
 * declined referral); revision and position say where the change was recorded.
 */
const familyMutation = (type: FamilyCommandType) => async (_root: unknown, { input }: { input: Input }, context: GraphQLContext, info?: GraphQLResolveInfo) => {
  const { commandId, expectedRevision, occurredAt, familyId: givenFamilyId, ...fields } = input;
  const now = context.writer.now();
  const familyId = type === 'OpenFamilyCase'
    ? familyIdForOpening(context.viewer.organizationId, commandId ?? undefined, context.writer.newId)
    : (givenFamilyId ?? '');
  // Built through the command's own definition (command-inputs.ts): a field the command does not take, or one that breaks its rule, is BAD_USER_INPUT here.
  const command = parseUncheckedFamilyCommand({
    ...withoutNulls(fields),
    ...(type === 'OpenFamilyCase' ? { leadOrganizationId: context.viewer.organizationId } : {}),
    type,
    familyId,
    actor: context.viewer,
    issuedAt: now,
    occurredAt: occurredAt ? new Date(occurredAt).toISOString() : now,
  });
  if (command.type === 'DecidePossibleDuplicate') await checkOtherPersonVisible(command, context);
  const result = await context.writer.execute(command, {
    ...(commandId ? { commandId } : {}),
    ...(expectedRevision === null || expectedRevision === undefined ? {} : { expectedRevision }),
    input,
  });
  // Only the projections the payload is read from (the family, and its case-file facts): the others (access log, organisations) may lag.
  for (const projection of [familiesProjection.name, casefileProjection.name]) {
    if (!(await context.writer.waitFor(result.position, READ_YOUR_WRITES_MS, projection))) throw notYetVisible(result.position);
  }
  // Read back only when asked for; the waits above stay, so a query after the mutation shows it either way.
  const family = selectsFamily(info) ? (context.readModel.familiesByIds([familyId]).get(familyId) ?? null) : null;
  // `command` lets the payload's possibleDuplicates see what was registered (schema/resolvers/duplicates.ts).
  return { family, revision: result.revision, position: result.position, replayed: result.replayed, command };
};

export const familyMutationResolvers = Object.fromEntries(
  Object.keys(FAMILY_MUTATIONS).map((type) => [mutationName(type), familyMutation(type as FamilyCommandType)]),
);

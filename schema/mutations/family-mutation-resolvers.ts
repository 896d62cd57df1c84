import type { FamilyCommand, FamilyCommandType } from '../../services/family/commands.js';
import { familyIdForOpening } from '../../services/family/family-service.js';
import { DomainError } from '../../services/shared/domain-error.js';
import type { FamilyRow } from '../../projections/families/family-read-model.js';
import type { GraphQLContext } from '../context.js';
import { FAMILY_MUTATIONS, mutationName } from './family-mutation-specs.js';

/** How long a mutation waits for the read model to show its own write. */
const READ_YOUR_WRITES_MS = 5_000;

type Input = Record<string, unknown> & { familyId?: string; commandId?: string | null; expectedRevision?: number | null; occurredAt?: string | null };

const withoutNulls = (fields: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null && value !== undefined));

/** Answering a referral needs only to see the family: the decider checks it is the receiving organisation. */
const REFERRAL_ANSWERS: readonly FamilyCommandType[] = ['AcceptReferral', 'DeclineReferral'];

/**
 * Who may change a family: advocates and administrators of the lead organisation, or of an
 * organisation referred or granted a write scope (FULL or DOCUMENTS). A family the caller cannot
 * see is NOT_FOUND, like an unknown id; one they can see but not change is FORBIDDEN.
 */
const authorizeWrite = (type: FamilyCommandType, family: FamilyRow | null, familyId: string, context: GraphQLContext): void => {
  if (!family) throw new DomainError('NOT_FOUND', `family ${familyId} not found`, 'familyId');
  if (REFERRAL_ANSWERS.includes(type) && context.viewer.role !== 'AUDITOR') return;
  requireWriterRole(context);
  if (family.viewer_can_write !== 1) throw new DomainError('FORBIDDEN', 'Your organisation can see this family but its access does not allow changes');
};

/** Auditors only read; partners follow families and answer referrals. */
const requireWriterRole = (context: GraphQLContext): void => {
  if (context.viewer.role === 'AUDITOR') throw new DomainError('FORBIDDEN', 'Auditors can read but not change families');
  if (context.viewer.role === 'PARTNER') throw new DomainError('FORBIDDEN', 'Partners can follow a family and answer referrals, not change it');
};

/**
 * One resolver serves every family mutation: input -> command -> handler -> wait until the read
 * model has the write -> payload. The family must be visible to the caller (else NOT_FOUND,
 * exactly as for an unknown id); auditors only read.
 */
const familyMutation = (type: FamilyCommandType) => async (_root: unknown, { input }: { input: Input }, context: GraphQLContext) => {
  const { commandId, expectedRevision, occurredAt, familyId: givenFamilyId, ...fields } = input;
  const now = context.writer.now();
  const familyId = type === 'OpenFamilyCase'
    ? familyIdForOpening(context.viewer.organizationId, commandId ?? undefined, context.writer.newId)
    : (givenFamilyId ?? '');
  if (type === 'OpenFamilyCase') requireWriterRole(context);
  else authorizeWrite(type, await context.loaders.family.load(familyId), familyId, context);
  const command = {
    ...withoutNulls(fields),
    ...(type === 'OpenFamilyCase' ? { leadOrganizationId: context.viewer.organizationId } : {}),
    type,
    familyId,
    actor: context.viewer,
    issuedAt: now,
    occurredAt: occurredAt ? new Date(occurredAt).toISOString() : now,
  } as unknown as FamilyCommand;
  const result = await context.writer.execute(command, {
    ...(commandId ? { commandId } : {}),
    ...(expectedRevision === null || expectedRevision === undefined ? {} : { expectedRevision }),
    input,
  });
  await context.writer.waitFor(result.position, READ_YOUR_WRITES_MS);
  const family = context.readModel.familiesByIds([familyId]).get(familyId);
  if (!family) throw new DomainError('NOT_FOUND', `family ${familyId} not found`, 'familyId');
  return { family, revision: result.revision, position: result.position, replayed: result.replayed };
};

export const familyMutationResolvers = Object.fromEntries(
  Object.keys(FAMILY_MUTATIONS).map((type) => [mutationName(type), familyMutation(type as FamilyCommandType)]),
);

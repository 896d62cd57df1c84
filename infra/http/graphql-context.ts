import { createLoaders, type FamilyHistoryReader, type FamilyWriter, type GraphQLContext } from '../../schema/context.js';
import { unauthenticated } from '../../schema/errors.js';
import { RequestAccessLog } from '../../schema/access-log.js';
import { FamilyReadModel, findActiveKey, type StatementCache } from '../../projections/families/family-read-model.js';
import { dateOf } from '../../services/shared/calendar-date.js';
import type { Actor } from '../../services/shared/decider.js';
import { hashApiKey } from '../auth/api-keys.js';

const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * Builds each request's context from its API key. No key, an unknown key or a revoked key is
 * UNAUTHENTICATED (HTTP 401). The key is hashed before the lookup, so the lookup's timing says
 * nothing about how much of a guessed key was right.
 */
export interface ContextDependencies {
  readonly cache: StatementCache;
  readonly writer: FamilyWriter;
  readonly history: FamilyHistoryReader;
  readonly clock: () => Date;
}

export const createContextFactory = ({ cache, writer, history, clock }: ContextDependencies) => (authorization: string | null | undefined): GraphQLContext => {
  const key = BEARER.exec(authorization ?? '')?.[1];
  const holder = key ? findActiveKey(cache, hashApiKey(key)) : undefined;
  if (!holder) throw unauthenticated();
  const viewer: Actor = { userId: holder.user_id, organizationId: holder.organization_id, role: holder.role as Actor['role'] };
  const now = clock().toISOString();
  const readModel = new FamilyReadModel(cache, viewer, now);
  return { viewer, writer, history, accessLog: new RequestAccessLog(viewer, writer.logAccess, writer.now), readModel, loaders: createLoaders(readModel), today: dateOf(now) };
};

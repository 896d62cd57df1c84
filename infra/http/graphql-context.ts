import type { GraphQLError } from 'graphql';
import { createLoaders, type FamilyHistoryReader, type FamilyWriter, type GraphQLContext, type WebhookDeliveries } from '../../schema/context.js';
import { unauthenticated } from '../../schema/errors.js';
import { RequestAccessLog } from '../../schema/access-log.js';
import { AccessLogReadModel } from '../../projections/access-log/access-log-read-model.js';
import { FamilyReadModel } from '../../projections/families/family-read-model.js';
import { findActiveKey, OrganizationReadModel } from '../../projections/organizations/organization-read-model.js';
import { RequestQueries, type StatementCache } from '../../projections/statement-cache.js';
import { dateOf } from '../../services/shared/calendar-date.js';
import type { Actor } from '../../services/shared/decider.js';
import { hashApiKey } from '../auth/api-keys.js';
import { SearchReadModel } from '../../projections/search/search-read-model.js';
import { CasefileReadModel } from '../../projections/casefile/casefile-read-model.js';
import { SYSTEM_ORGANIZATION_ID } from '../../services/organization/organization.js';
import type { TermHasher } from '../../projections/search/search-terms.js';

const BEARER = /^Bearer\s+(\S+)$/i;

/** What a WebSocket connection_init gets: accepted, or why not. */
export type ConnectionVerdict = 'ACCEPTED' | 'UNAUTHENTICATED' | 'UNAVAILABLE';

/**
 * Whether an Authorization value carries an active key (for WebSocket connection_init); while
 * the read models may not answer, UNAVAILABLE whatever the key (as for HTTP requests).
 */
export const connectionVerdict = (cache: StatementCache, unavailableNow: () => unknown, authorization: string | undefined): ConnectionVerdict => {
  if (unavailableNow()) return 'UNAVAILABLE';
  const key = BEARER.exec(authorization ?? '')?.[1];
  return key !== undefined && findActiveKey(cache, hashApiKey(key)) !== undefined ? 'ACCEPTED' : 'UNAUTHENTICATED';
};

export interface ContextDependencies {
  readonly cache: StatementCache;
  readonly waitForProgress: (timeoutMs: number) => Promise<void>;
  readonly webhooks: WebhookDeliveries;
  readonly writer: FamilyWriter;
  readonly history: FamilyHistoryReader;
  readonly clock: () => Date;
  /** UNAVAILABLE while the read models may not answer (the cache refuses then, too). */
  readonly unavailableNow: () => GraphQLError | undefined;
  /** TRACKER_DEADLINE_HORIZON_DAYS. */
  readonly deadlineHorizonDays?: number;
  /** The access log's statements, refused while its projection may not answer (the request's own `cache` otherwise). */
  readonly accessLogCache?: StatementCache;
  /** The search index's statements (refused while it may not answer) and the keyed hash of its terms. */
  readonly search?: { readonly cache: StatementCache; readonly hash: TermHasher };
}

/**
 * Builds each request's context from its API key. While a read model that authentication or
 * visibility reads is stalled or behind the store's head at start, every request is UNAVAILABLE
 * (HTTP 503), with or without a key: a key unknown to a model that is behind may be a key issued
 * after its position, and a revoked key may not be revoked there yet. Then: no key, an unknown
 * key or a revoked key is UNAUTHENTICATED (HTTP 401). The key is hashed before the lookup, so the
 * lookup's timing says nothing about how much of a guessed key was right.
 */
export const createContextFactory = ({ cache, writer, history, clock, waitForProgress, webhooks, unavailableNow, deadlineHorizonDays, search, accessLogCache }: ContextDependencies) => (authorization: string | null | undefined): GraphQLContext => {
  const refusal = unavailableNow();
  if (refusal) throw refusal;
  const key = BEARER.exec(authorization ?? '')?.[1];
  const keyHash = key ? hashApiKey(key) : undefined;
  const holder = keyHash ? findActiveKey(cache, keyHash) : undefined;
  if (!holder) throw unauthenticated();
  const viewer: Actor = { userId: holder.user_id, organizationId: holder.organization_id, role: holder.role as Actor['role'] };
  const now = clock().toISOString();
  const queries = new RequestQueries(cache);
  const readModel = new FamilyReadModel(queries, viewer, now);
  const organizations = new OrganizationReadModel(queries);
  const live = {
    waitForProgress,
    readModelNow: () => new FamilyReadModel(new RequestQueries(cache), viewer, clock().toISOString()),
    keyIsActive: () => keyHash !== undefined && findActiveKey(cache, keyHash) !== undefined,
  };
  return { viewer, writer, history, live, webhooks, accessLog: new RequestAccessLog(viewer, writer.logAccess, writer.now), readModel, organizations, accessLogEntries: new AccessLogReadModel(accessLogCache ? new RequestQueries(accessLogCache) : queries), casefile: new CasefileReadModel(queries, viewer, now, viewer.organizationId === SYSTEM_ORGANIZATION_ID), ...(search ? { search: new SearchReadModel(new RequestQueries(search.cache), search.hash, viewer, now) } : {}), loaders: createLoaders(readModel, organizations), today: dateOf(now), ...(deadlineHorizonDays === undefined ? {} : { deadlineHorizonDays }) };
};

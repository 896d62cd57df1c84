import { join } from 'node:path';
import { createFamilyHistoryReader } from '../../infra/http/family-history-reader.js';
import { WebhookOutbox } from '../../infra/webhooks/outbox.js';
import { createWebhookDeliveries } from '../../infra/webhooks/webhook-deliveries.js';
import { AccessLogReadModel } from '../../projections/access-log/access-log-read-model.js';
import { CasefileReadModel } from '../../projections/casefile/casefile-read-model.js';
import { FamilyReadModel } from '../../projections/families/family-read-model.js';
import { OrganizationReadModel } from '../../projections/organizations/organization-read-model.js';
import { RequestQueries, StatementCache } from '../../projections/statement-cache.js';
import { RequestAccessLog } from '../../schema/access-log.js';
import { createLoaders, type GraphQLContext } from '../../schema/context.js';
import { dateOf } from '../../services/shared/calendar-date.js';
import { readOnlyWriter } from './read-only-writer.js';
import type { ReadSideHarness } from './read-side-harness.js';

/**
 * A GraphQL context over a read-side harness for org-a's advocate at `now`, with no HTTP server:
 * for tests that count the SQL statements one request runs (`queries.statements`).
 */
export const readSideContext = (h: ReadSideHarness, now: string): { context: GraphQLContext; queries: RequestQueries } => {
  const queries = new RequestQueries(new StatementCache(h.readDb));
  const viewer = { userId: 'u', organizationId: 'org-a', role: 'ADVOCATE' as const };
  const readModel = new FamilyReadModel(queries, viewer, now);
  const organizations = new OrganizationReadModel(queries);
  const context: GraphQLContext = {
    writer: readOnlyWriter,
    history: createFamilyHistoryReader(h.store),
    live: { waitForProgress: () => Promise.resolve(), readModelNow: () => readModel, keyIsActive: () => true },
    webhooks: createWebhookDeliveries(new WebhookOutbox(join(h.file, '..', 'webhooks.sqlite'))),
    accessLog: new RequestAccessLog(viewer, () => Promise.resolve(), () => now),
    viewer, readModel, organizations,
    accessLogEntries: new AccessLogReadModel(queries),
    casefile: new CasefileReadModel(queries, viewer, now, false),
    loaders: createLoaders(readModel, organizations),
    today: dateOf(now),
  };
  return { context, queries };
};

import { join } from 'node:path';
import { WebhookOutbox } from '../../../infra/webhooks/outbox.js';
import { createWebhookDeliveries } from '../../../infra/webhooks/webhook-deliveries.js';
import { createFamilyHistoryReader } from '../../../infra/http/family-history-reader.js';
import { graphql } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessLogReadModel } from '../../../projections/access-log/access-log-read-model.js';
import { FamilyReadModel } from '../../../projections/families/family-read-model.js';
import { CasefileReadModel } from '../../../projections/casefile/casefile-read-model.js';
import { OrganizationReadModel } from '../../../projections/organizations/organization-read-model.js';
import { RequestQueries, StatementCache } from '../../../projections/statement-cache.js';
import { createLoaders, type GraphQLContext } from '../../../schema/context.js';
import { RequestAccessLog } from '../../../schema/access-log.js';
import { buildSchema } from '../../../schema/index.js';
import { readOnlyWriter } from '../../support/read-only-writer.js';
import { dateOf } from '../../../services/shared/calendar-date.js';
import { loadFamilies } from '../../support/family-load.js';
import { openReadSideHarness, type ReadSideHarness } from '../../support/read-side-harness.js';

const QUERY = `query Page($first: Int!) {
  families(first: $first) {
    totalCount
    edges { cursor node {
      id status revision blockers updatedAt
      leadOrganization { id name }
      children { id givenName birthDate nationality custody }
      relatives { id relationship locationStatus notLocatedSince }
      documents { id documentType status }
      legalMatters { id matterType status }
      deadlines { id kind dueOn daysLeft }
      nextDeadline { kind dueOn }
    } }
    pageInfo { hasNextPage endCursor }
  }
}`;

let h: ReadSideHarness;
const schema = buildSchema({ version: 'test', eventStoreKind: 'sqlite' });

const run = async (first: number) => {
  const now = '2024-06-01T00:00:00.000Z';
  const queries = new RequestQueries(new StatementCache(h.readDb));
  const readModel = new FamilyReadModel(queries, { organizationId: 'org-a', role: 'ADVOCATE' }, now);
  const organizations = new OrganizationReadModel(queries);
  const viewer = { userId: 'u', organizationId: 'org-a', role: 'ADVOCATE' as const };
  const context: GraphQLContext = { writer: readOnlyWriter, history: createFamilyHistoryReader(h.store), live: { waitForProgress: () => Promise.resolve(), readModelNow: () => readModel, keyIsActive: () => true }, webhooks: createWebhookDeliveries(new WebhookOutbox(join(h.file, '..', 'webhooks.sqlite'))), accessLog: new RequestAccessLog(viewer, () => Promise.resolve(), () => now), viewer, readModel, organizations, accessLogEntries: new AccessLogReadModel(queries), casefile: new CasefileReadModel(queries, { organizationId: 'org-a', role: 'ADVOCATE' }, now, false), loaders: createLoaders(readModel, organizations), today: dateOf(now) };
  const result = await graphql({ schema, source: QUERY, variableValues: { first }, contextValue: context });
  expect(result.errors).toBeUndefined();
  const data = result.data as { families: { edges: unknown[] } };
  return { statements: queries.statements, edges: data.families.edges.length };
};

describe('SQL statements per GraphQL request', () => {
  beforeAll(async () => {
    h = openReadSideHarness();
    await loadFamilies(h.store, 420, 12);
    await h.projector.catchUp();
  });
  afterAll(() => h.close());

  it('do not grow with the page size: families(first: 5) and families(first: 100) with nested fields', async () => {
    const small = await run(5);
    const large = await run(100);
    expect(small.edges).toBe(5);
    expect(large.edges).toBe(100);
    expect(large.statements).toBe(small.statements);
    console.info(`SQL statements per request: first 5 -> ${String(small.statements)}, first 100 -> ${String(large.statements)}`);
  });
});

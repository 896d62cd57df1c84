import { join } from 'node:path';
import { WebhookOutbox } from '../../../infra/webhooks/outbox.js';
import { createWebhookDeliveries } from '../../../infra/webhooks/webhook-deliveries.js';
import { createFamilyHistoryReader } from '../../../infra/http/family-history-reader.js';
import { graphql } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessLogReadModel } from '../../../projections/access-log/access-log-read-model.js';
import { FamilyReadModel } from '../../../projections/families/family-read-model.js';
import { OrganizationReadModel } from '../../../projections/organizations/organization-read-model.js';
import { CasefileReadModel } from '../../../projections/casefile/casefile-read-model.js';
import { RequestQueries, StatementCache } from '../../../projections/statement-cache.js';
import { createLoaders, type GraphQLContext } from '../../../schema/context.js';
import { RequestAccessLog } from '../../../schema/access-log.js';
import { buildSchema } from '../../../schema/index.js';
import { readOnlyWriter } from '../../support/read-only-writer.js';
import { dateOf } from '../../../services/shared/calendar-date.js';
import { loadFamilies } from '../../support/family-load.js';
import { openReadSideHarness, type ReadSideHarness } from '../../support/read-side-harness.js';

/**
 * Regression (issue 17, item 5): `families` counted every visible family (`count(DISTINCT ...)`
 * over family_access: 0.5 ms at 2,900 visible families, 5 ms at 35,000) on every request, also
 * when the query did not select `totalCount`. It is now counted only when selected.
 */
const page = (withTotal: boolean) => `{ families(first: 10) { ${withTotal ? 'totalCount' : ''} edges { node { id status } } } }`;

let h: ReadSideHarness;
const schema = buildSchema({ version: 'test', eventStoreKind: 'sqlite' });

const run = async (source: string) => {
  const now = '2024-06-01T00:00:00.000Z';
  const queries = new RequestQueries(new StatementCache(h.readDb));
  const readModel = new FamilyReadModel(queries, { organizationId: 'org-a', role: 'ADVOCATE' }, now);
  const organizations = new OrganizationReadModel(queries);
  const viewer = { userId: 'u', organizationId: 'org-a', role: 'ADVOCATE' as const };
  const context: GraphQLContext = { writer: readOnlyWriter, history: createFamilyHistoryReader(h.store), live: { waitForProgress: () => Promise.resolve(), readModelNow: () => readModel, keyIsActive: () => true }, webhooks: createWebhookDeliveries(new WebhookOutbox(join(h.file, '..', 'webhooks.sqlite'))), accessLog: new RequestAccessLog(viewer, () => Promise.resolve(), () => now), viewer, readModel, organizations, accessLogEntries: new AccessLogReadModel(queries), casefile: new CasefileReadModel(queries, { organizationId: 'org-a', role: 'ADVOCATE' }, now, false), loaders: createLoaders(readModel, organizations), today: dateOf(now) };
  const result = await graphql({ schema, source, contextValue: context });
  expect(result.errors).toBeUndefined();
  return { statements: queries.statements, data: result.data as { families: { totalCount?: number; edges: unknown[] } } };
};

describe('families totalCount', () => {
  beforeAll(async () => {
    h = openReadSideHarness();
    await loadFamilies(h.store, 40, 8);
    await h.projector.catchUp();
  });
  afterAll(() => h.close());

  it('is counted only when the query selects it, and then right', async () => {
    const without = await run(page(false));
    const withTotal = await run(page(true));
    expect(without.data.families.edges).toHaveLength(10);
    expect(withTotal.data.families.totalCount).toBe(10); // org-a leads every fourth of 40
    expect(withTotal.statements - without.statements).toBe(1);
  });
});

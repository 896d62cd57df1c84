import { graphql } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSchema } from '../../../schema/index.js';
import { loadFamilies } from '../../support/family-load.js';
import { openReadSideHarness, type ReadSideHarness } from '../../support/read-side-harness.js';
import { readSideContext } from '../../support/read-side-context.js';

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
  const { context, queries } = readSideContext(h, now);
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

import { graphql } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSchema } from '../../../schema/index.js';
import { loadFamilies } from '../../support/family-load.js';
import { openReadSideHarness, type ReadSideHarness } from '../../support/read-side-harness.js';
import { readSideContext } from '../../support/read-side-context.js';

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
  const { context, queries } = readSideContext(h, now);
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

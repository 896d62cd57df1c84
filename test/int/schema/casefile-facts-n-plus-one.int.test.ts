import { graphql } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { casefileProjection } from '../../../projections/casefile/casefile-projection.js';
import { familiesProjection } from '../../../projections/families/families-projection.js';
import { organizationsProjection } from '../../../projections/organizations/organizations-projection.js';
import { buildSchema } from '../../../schema/index.js';
import { loadFamilies } from '../../support/family-load.js';
import { openReadSideHarness, type ReadSideHarness } from '../../support/read-side-harness.js';
import { readSideContext } from '../../support/read-side-context.js';

/** The case file's facts nested in a page of families: one statement per kind of row, whatever the page size. */
const QUERY = `query Page($first: Int!) {
  families(first: $first) {
    edges { node {
      id separations { separatedOn cause childIds }
      children { id familyName identifiers { kind value } consents { id } }
      relatives { id phone believedCountry tracingOrganization { id } tracingStartedOn contactAttempts { channel result attemptedOn recordedBy { id } } leads { lead } }
      documents { id issuingCountry assignedOrganization { id } steps { step on } }
      legalMatters { id openedOn steps { step on } }
      deadlines { id basis setOn }
    } }
  }
}`;

let h: ReadSideHarness;
const schema = buildSchema({ version: 'test', eventStoreKind: 'sqlite' });

const run = async (first: number) => {
  const { context, queries } = readSideContext(h, '2024-06-01T00:00:00.000Z');
  const result = await graphql({ schema, source: QUERY, variableValues: { first }, contextValue: context });
  expect(result.errors).toBeUndefined();
  const edges = (result.data as { families: { edges: Array<{ node: { relatives: Array<{ contactAttempts: unknown[] | null }> } }> } }).families.edges;
  return { statements: queries.statements, edges, attempts: edges.reduce((sum, edge) => sum + (edge.node.relatives[0]?.contactAttempts?.length ?? 0), 0) };
};

describe('the case file facts per request', () => {
  beforeAll(async () => {
    h = openReadSideHarness([organizationsProjection, familiesProjection, casefileProjection]);
    await loadFamilies(h.store, 420, 14);
    await h.projector.catchUp();
  });
  afterAll(() => h.close());

  it('runs the same statements for families(first: 30) and families(first: 100): one per kind of fact row', async () => {
    // Both pages hold every kind of fact (a smaller page may hold no deadline, and then reads no deadline facts).
    const small = await run(30);
    const large = await run(100);
    expect(small.edges).toHaveLength(30);
    expect(large.edges).toHaveLength(100);
    // The loader really read the ledger for every family of the page.
    expect(large.attempts).toBeGreaterThan(small.attempts);
    expect(large.statements).toBe(small.statements);
    console.info(`SQL statements per request with case-file facts: first 30 -> ${String(small.statements)}, first 100 -> ${String(large.statements)}`);
  });
});

import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_OPERATIONS, renderTrackerGraphiQL } from '../../../../infra/http/graphiql.js';
import { buildSchema } from '../../../../schema/index.js';

describe("GraphiQL's example operations", () => {
  const schema = buildSchema({ version: 'test', eventStoreKind: 'sqlite' });
  it.each(EXAMPLE_OPERATIONS.map((query) => [query.split('\n')[0]!, query]))('%s is valid against the schema', (_title, query) => {
    expect(validate(schema, parse(query)).map((error) => error.message)).toEqual([]);
  });
  it('the page loads no script or stylesheet from another host', () => {
    const page = renderTrackerGraphiQL({});
    expect(page.match(/<(script|link)[^>]+(src|href)="https?:/g)).toBeNull();
  });
});

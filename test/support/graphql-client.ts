import { expect } from 'vitest';

export interface GraphQLResponse {
  readonly data?: any;
  readonly errors?: Array<{ message: string; extensions: Record<string, unknown> & { code?: string; field?: string } }>;
}

/** A GraphQL request over HTTP with an API key, as a client would send it; never a 5xx. */
export const postGraphQL = async (url: string, key: string, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse> => {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  expect(response.status).toBeLessThan(500);
  return (await response.json()) as GraphQLResponse;
};

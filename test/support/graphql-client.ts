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

/** The response's data, after checking it has no errors. */
export const dataOf = (response: GraphQLResponse): any => {
  expect(response.errors).toBeUndefined();
  return response.data;
};

/** Registers an organisation with the system administrator's key. */
export const registerOrganization = async (url: string, adminKey: string, organizationId: string, kind = 'LEGAL_SERVICE_PROVIDER'): Promise<void> => {
  dataOf(await postGraphQL(url, adminKey, 'mutation($id: ID!, $n: String!, $k: OrganizationKind!) { registerOrganization(input: { organizationId: $id, name: $n, kind: $k }) { replayed } }', { id: organizationId, n: organizationId, k: kind }));
};

/** Issues a key for a user of an organisation (named after the user id) with the administrator's key; returns the key. */
export const issueKey = async (url: string, adminKey: string, organizationId: string, userId: string, role: string): Promise<string> =>
  dataOf(await postGraphQL(url, adminKey, 'mutation($o: ID!, $u: ID!, $n: String!, $r: Role!) { issueApiKey(input: { organizationId: $o, userId: $u, userName: $n, role: $r, label: "test" }) { apiKey } }', { o: organizationId, u: userId, n: userId, r: role })).issueApiKey.apiKey as string;

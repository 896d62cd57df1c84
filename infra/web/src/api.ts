import { createClient, type Client } from 'graphql-sse';

/**
 * The app's GraphQL client: POST /graphql on the page's own origin with the API key of this
 * browser tab. The key lives in sessionStorage only (gone when the tab closes), never in
 * localStorage, a cookie or a URL.
 */
const KEY = 'tracker.apiKey';

/** Dispatched on window when the server no longer accepts this tab's key. */
export const SIGNED_OUT = 'tracker:signed-out';

export const apiKey = (): string | null => sessionStorage.getItem(KEY);
export const setApiKey = (key: string): void => sessionStorage.setItem(KEY, key);
export const forgetApiKey = (): void => sessionStorage.removeItem(KEY);

export interface GraphQLErrorShape {
  readonly message: string;
  readonly extensions?: { readonly code?: string; readonly field?: string };
}

/** A response with errors: the errors as the server sent them (codes, fields, messages). */
export class ApiError extends Error {
  constructor(readonly errors: readonly GraphQLErrorShape[]) {
    super(errors.map((error) => error.message).join(' '));
  }
  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }
}

/** What to tell the user of a failed request: each server error in the UI's language (i18n.ts `errorText`). */
export const problemText = (error: unknown, errorText: (error: GraphQLErrorShape) => string): string =>
  (error instanceof ApiError ? error.errors.map(errorText).join(' ') : String(error));

export const gql = async <T>(query: string, variables: Record<string, unknown> = {}, key = apiKey()): Promise<T> => {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: GraphQLErrorShape[] };
  if (body.errors?.length) {
    // A key revoked (or an organisation deactivated) while the app is open: back to sign-in.
    if (key && body.errors[0]?.extensions?.code === 'UNAUTHENTICATED') window.dispatchEvent(new Event(SIGNED_OUT));
    throw new ApiError(body.errors);
  }
  if (!body.data) throw new ApiError([{ message: `HTTP ${String(response.status)}` }]);
  return body.data;
};

let sse: Client | undefined;

/** Status changes of these families over SSE (graphql-sse, distinct connections); returns the stop. */
export const onStatusChanges = (familyIds: readonly string[], onChange: (change: { familyId: string; status: string }) => void): (() => void) => {
  sse ??= createClient({ url: '/graphql', headers: (): Record<string, string> => ({ authorization: `Bearer ${apiKey() ?? ''}` }), retryAttempts: 5 });
  return sse.subscribe<{ familyStatusChanged: { familyId: string; status: string } }>(
    { query: 'subscription($ids: [ID!]) { familyStatusChanged(familyIds: $ids) { familyId status } }', variables: { ids: familyIds } },
    {
      next: (message) => {
        if (message.data) onChange(message.data.familyStatusChanged);
      },
      error: () => undefined,
      complete: () => undefined,
    },
  );
};

/** A fresh idempotency key: one per form, kept across its retries. */
export const newCommandId = (): string => `web-${crypto.randomUUID()}`;

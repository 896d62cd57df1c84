/**
 * Requests that may legitimately be answered with a 5xx (the read models are not ready): the
 * status and body as they came, nothing asserted.
 */
export interface RawResponse {
  readonly status: number;
  readonly body: { data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } & Record<string, any>;
  readonly retryAfter: string | null;
}

export const rawGraphQL = async (url: string, key: string | undefined, query: string, variables: Record<string, unknown> = {}): Promise<RawResponse> => {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key === undefined ? {} : { authorization: `Bearer ${key}` }) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as RawResponse['body'], retryAfter: response.headers.get('retry-after') };
};

export const rawGet = async (url: string, path: string): Promise<RawResponse> => {
  const response = await fetch(`${url}${path}`);
  return { status: response.status, body: (await response.json()) as RawResponse['body'], retryAfter: response.headers.get('retry-after') };
};

/** The first error's code, if any. */
export const codeOf = (response: RawResponse): unknown => response.body.errors?.[0]?.extensions?.['code'];

/** Polls `check` until it returns a value, or fails after `ms`. */
export const eventually = async <T>(ms: number, what: string, check: () => Promise<T | undefined>): Promise<T> => {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${String(ms)} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

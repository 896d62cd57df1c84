import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';

/** A status change as the subscription delivers it. */
export interface Change {
  readonly cursor: string;
  readonly familyId: string;
  readonly previousStatus: string | null;
  readonly status: string;
}

export const SUBSCRIPTION = `subscription($ids: [ID!], $after: String) {
  familyStatusChanged(familyIds: $ids, after: $after) { cursor familyId previousStatus status occurredAt recordedAt }
}`;

export type Transport = 'sse' | 'ws';

/** One subscription through a real client library: graphql-sse (distinct connections) or graphql-ws. */
export interface Subscription {
  /** The next n results (changes or errors), waiting up to `ms`; fewer when the stream ends or time runs out. */
  take(n: number, ms?: number): Promise<Array<{ change?: Change; error?: { message: string; code: unknown } }>>;
  /** Resolves once the stream has ended (by the server or by close()). */
  readonly ended: Promise<void>;
  close(): Promise<void>;
}

export const subscribe = (transport: Transport, url: string, key: string, variables: { ids?: string[]; after?: string | null }): Subscription => {
  let ws: WsClient | undefined;
  const iterator =
    transport === 'sse'
      ? createSseClient({ url: `${url}/graphql`, headers: { authorization: `Bearer ${key}` }, retryAttempts: 0 }).iterate({ query: SUBSCRIPTION, variables })
      : (ws = createWsClient({ url: `${url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${key}` }, retryAttempts: 0, lazy: true })).iterate({ query: SUBSCRIPTION, variables });
  let resolveEnded: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (resolveEnded = resolve));
  // The first next() is what makes the client libraries subscribe: ask for it at once.
  let pending: Promise<IteratorResult<{ data?: unknown; errors?: readonly unknown[] }>> | undefined = iterator.next() as Promise<IteratorResult<{ data?: unknown; errors?: readonly unknown[] }>>;
  pending.catch(() => undefined);
  return {
    ended,
    take: async (n, ms = 10_000) => {
      const results: Array<{ change?: Change; error?: { message: string; code: unknown } }> = [];
      const deadline = Date.now() + ms;
      while (results.length < n) {
        pending ??= iterator.next() as Promise<IteratorResult<{ data?: unknown; errors?: readonly unknown[] }>>;
        const left = deadline - Date.now();
        if (left <= 0) break;
        const next = await Promise.race([pending, new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), left))]).catch((error: unknown) => ({ thrown: error }));
        if (next === 'timeout') break;
        pending = undefined;
        if ('thrown' in next) {
          results.push({ error: errorOf(next.thrown) });
          resolveEnded();
          break;
        }
        if (next.done) {
          resolveEnded();
          break;
        }
        const value = next.value;
        if (value.errors?.length) results.push({ error: errorOf(value.errors[0]) });
        else results.push({ change: (value.data as { familyStatusChanged: Change }).familyStatusChanged });
      }
      return results;
    },
    close: async () => {
      await iterator.return?.();
      await ws?.dispose();
      resolveEnded();
    },
  };
};

/** graphql-ws reports a thrown subscription error as an array of errors; graphql-sse as a result. */
const errorOf = (thrown: unknown): { message: string; code: unknown } => {
  const first = (Array.isArray(thrown) ? thrown[0] : thrown) as { message?: string; extensions?: { code?: unknown } } | undefined;
  return { message: first?.message ?? String(thrown), code: first?.extensions?.code };
};

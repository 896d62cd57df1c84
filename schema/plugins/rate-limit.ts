import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { sha256 } from '../../services/shared/hash-chain.js';
import type { RateBudget } from '../context.js';

/**
 * Per-key rate limits (rate-limiter-flexible, in memory): each API key may spend `requests`
 * points per `windowSeconds` (a fixed window). Every HTTP request to /graphql (SSE subscriptions
 * included) costs one point, counted before the body is parsed; every operation over WebSocket
 * costs one; resolvers charge more for work that grows with a family's stream
 * (`context.rateLimit.charge`). Past the limit: HTTP 429 with `Retry-After` and the code
 * RATE_LIMITED (over WebSocket, an error for that operation; the socket stays open).
 *
 * Limits: requests without a key are counted by remote address; each distinct unknown key has
 * its own bucket (they are refused as UNAUTHENTICATED anyway). Counts live in this process only:
 * several tracker processes behind one balancer each allow the full rate.
 */
export interface RateLimitOptions {
  /** Points per window and key; 0 turns the limit off. */
  readonly requests: number;
  readonly windowSeconds: number;
}

const BEARER = /^Bearer\s+(\S+)$/i;

/** The bucket of a caller: the key's hash (never the key itself), or the address without one. */
const bucketOf = (authorization: unknown, address: string | undefined): string => {
  const token = typeof authorization === 'string' ? BEARER.exec(authorization)?.[1] : undefined;
  return token ? `key:${sha256(token)}` : `address:${address ?? 'unknown'}`;
};

interface TransportContext {
  readonly request?: Request;
  readonly req?: IncomingMessage;
  readonly connectionParams?: Readonly<Record<string, unknown>>;
}

const bucketOfContext = (context: TransportContext): string =>
  context.request
    ? bucketOf(context.request.headers.get('authorization'), context.req?.socket.remoteAddress)
    : bucketOf(context.connectionParams?.['authorization'] ?? context.connectionParams?.['Authorization'], undefined);

const MESSAGE = 'Too many requests for this API key; retry after the number of seconds in Retry-After.';

export const rateLimited = (retryAfterSeconds: number): GraphQLError =>
  new GraphQLError(MESSAGE, {
    extensions: { code: 'RATE_LIMITED', retryAfterSeconds, http: { status: 429, headers: { 'Retry-After': String(retryAfterSeconds) } } },
  });

/** The callers' budgets, shared by every HTTP route that spends them (/graphql, the CSV exports). */
export interface RateLimiter {
  /** Undefined when the points were there; otherwise the seconds until the window resets. */
  spend(bucket: string, points: number): Promise<number | undefined>;
}

/** Undefined when the limit is off (`requests: 0`). */
export const createRateLimiter = (options: RateLimitOptions): RateLimiter | undefined => {
  if (options.requests === 0) return undefined;
  const limiter = new RateLimiterMemory({ points: options.requests, duration: options.windowSeconds });
  return {
    spend: async (bucket, points) => {
      try {
        await limiter.consume(bucket, points);
        return undefined;
      } catch (error) {
        if (error instanceof RateLimiterRes) return Math.max(1, Math.ceil(error.msBeforeNext / 1000));
        throw error;
      }
    },
  };
};

/** Charges the caller of an HTTP request (by its key, else its address) outside GraphQL; throws RATE_LIMITED past the limit. */
export const chargeHttpCaller = async (limiter: RateLimiter | undefined, authorization: string | null, address: string | undefined, points: number): Promise<void> => {
  if (!limiter || points <= 0) return;
  const retryAfter = await limiter.spend(bucketOf(authorization, address), points);
  if (retryAfter !== undefined) throw rateLimited(retryAfter);
};

export const useRateLimit = (limiter: RateLimiter | undefined): Plugin<{ rateLimit?: RateBudget }> => {
  if (!limiter) return {};
  const spend = (bucket: string, points: number): Promise<number | undefined> => limiter.spend(bucket, points);
  const budgetOf = (bucket: string): RateBudget => ({
    charge: async (points) => {
      if (points <= 0) return;
      const retryAfter = await spend(bucket, points);
      if (retryAfter !== undefined) throw rateLimited(retryAfter);
    },
  });
  /** WebSocket operations come without a Request: they are counted here, one per operation. */
  const countWebSocketOperation = async (context: TransportContext, stop: (result: { errors: GraphQLError[] }) => void): Promise<void> => {
    if (context.request) return;
    const retryAfter = await spend(bucketOfContext(context), 1);
    if (retryAfter !== undefined) stop({ errors: [rateLimited(retryAfter)] });
  };

  return {
    onRequest: async (event) => {
      const { request, serverContext, fetchAPI } = event;
      const address = (serverContext as { req?: IncomingMessage }).req?.socket.remoteAddress;
      const retryAfter = await spend(bucketOf(request.headers.get('authorization'), address), 1);
      if (retryAfter === undefined) return;
      event.endResponse(new fetchAPI.Response(JSON.stringify({ errors: [{ message: MESSAGE, extensions: { code: 'RATE_LIMITED', retryAfterSeconds: retryAfter } }] }), {
        status: 429,
        headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(retryAfter) },
      }));
    },
    onContextBuilding: ({ context, extendContext }) => {
      extendContext({ rateLimit: budgetOf(bucketOfContext(context)) });
    },
    onExecute: async ({ args, setResultAndStopExecution }) => countWebSocketOperation(args.contextValue, setResultAndStopExecution),
    onSubscribe: async ({ args, setResultAndStopExecution }) => countWebSocketOperation(args.contextValue, setResultAndStopExecution),
  };
};

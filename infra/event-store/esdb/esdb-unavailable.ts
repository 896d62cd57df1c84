import { UnavailableError } from '@eventstore/db-client';

/** gRPC's UNAVAILABLE: no connection, or the node went away. */
const GRPC_UNAVAILABLE = 14;
const FIRST_RETRY_DELAY_MS = 100;
const MAX_RETRY_DELAY_MS = 2_000;

/** EventStoreDB did not answer for the whole retry budget; names the node, never credentials. */
export class EventStoreUnavailableError extends Error {
  override readonly name = 'EventStoreUnavailableError';
  constructor(
    readonly endpoint: string,
    readonly attempts: number,
    readonly waitedMs: number,
    cause: unknown,
  ) {
    super(
      `EventStoreDB at ${endpoint} is unavailable: no answer after ${String(attempts)} attempts over ` +
        `${String(Math.round(waitedMs / 100) / 10)} s (${detailOf(cause)})`,
      { cause },
    );
  }
}

/** The client's UnavailableError, and the raw gRPC error it passes on before it has a channel. */
export const isUnavailable = (error: unknown): boolean =>
  error instanceof UnavailableError ||
  (typeof error === 'object' && error !== null && (error as { code?: unknown }).code === GRPC_UNAVAILABLE);

/** `host:port[,host:port]` of a connection string, without user name, password or options. */
export const endpointOf = (connectionString: string): string =>
  /^[a-z+]+:\/\/(?:[^@/]*@)?([^/?]+)/i.exec(connectionString)?.[1] ?? 'the configured address';

const detailOf = (cause: unknown): string => {
  const message = cause instanceof Error ? cause.message : String(cause);
  return message.split(/\. Last error|\n/)[0]!.slice(0, 200);
};

/**
 * Runs `operation`, and again while EventStoreDB is unavailable, with a doubling delay
 * (100 ms up to 2 s), for at most `budgetMs`; then throws EventStoreUnavailableError. Only for
 * operations that are safe to repeat: reads, and appends (EventStoreDB makes a retried append
 * with the same event ids and expectation idempotent: it answers the first result again).
 */
export const retryWhileUnavailable = async <T>(
  endpoint: string,
  budgetMs: number,
  operation: () => Promise<T>,
): Promise<T> => {
  const started = Date.now();
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      if (!isUnavailable(error)) throw error;
      const waited = Date.now() - started;
      if (waited >= budgetMs) throw new EventStoreUnavailableError(endpoint, attempt, waited, error);
      const delay = Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS * 2 ** (attempt - 1), Math.max(0, budgetMs - waited));
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
};

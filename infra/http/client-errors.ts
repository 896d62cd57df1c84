import { GraphQLError, type GraphQLSchema } from 'graphql';
import { bounded, domainErrorIn, forClient, isUnexpected, toGraphQLError, withoutEchoedValues } from '../../schema/errors.js';
import type { Logger } from '../logger.js';

/**
 * One filter for every error on its way to a client, over HTTP, SSE and WebSocket alike, and one
 * rule for what is logged of it:
 * - an expected failure (a DomainError) keeps its stable code and its message (words of the code);
 * - a request error (parse, validation, a rejected variable) keeps its code, without the values
 *   and names the client wrote (errors.ts `forClient`);
 * - anything else is masked as "Unexpected error." and logged at error level with its name and
 *   stack frames only, never its message (it may hold personal data).
 * Client errors are logged at info level with their code and field, bounded, never their message.
 */
export const UNEXPECTED = 'Unexpected error.';

/** The error as the client sees it; `mask` builds the masked form (yoga's, on HTTP). */
export const clientError = (error: unknown, schema: GraphQLSchema, logger: Logger, mask: (error: unknown) => GraphQLError = masked): GraphQLError => {
  const domain = domainErrorIn(error);
  if (domain) return toGraphQLError(domain);
  if (!isUnexpected(error)) return forClient(error as GraphQLError, schema);
  logger.error({ err: errorSummary((error as GraphQLError | undefined)?.originalError ?? error) }, 'unexpected error');
  return mask(error);
};

const masked = (_error: unknown): GraphQLError => new GraphQLError(UNEXPECTED, { extensions: { code: 'INTERNAL_SERVER_ERROR' } });

/** What is logged of an unexpected error: its name and stack frames, never its message. */
export const errorSummary = (error: unknown): Record<string, unknown> =>
  error instanceof Error ? { name: error.name, stack: error.stack?.split('\n').slice(1, 6).join('\n') } : { type: typeof error };

/** What is logged of an error a client caused: its code and the field at fault, bounded. */
const clientErrorSummary = (error: Error): { code: string; field?: string } => {
  const domain = domainErrorIn(error);
  const extensions = (error as Partial<GraphQLError>).extensions;
  const code = domain?.code ?? (typeof extensions?.['code'] === 'string' ? extensions['code'] : 'BAD_USER_INPUT');
  const field = domain?.field ?? (typeof extensions?.['field'] === 'string' ? extensions['field'] : undefined);
  return { code: bounded(code, 40), ...(field === undefined ? {} : { field: bounded(field, 64) }) };
};

/** Whatever yoga logs, cut to a bounded size and without the values graphql-js repeats. */
const loggable = (args: readonly unknown[]): string[] => args.slice(0, 5).map((arg) => bounded(withoutEchoedValues(String(arg)), 200));

/**
 * yoga's logger. Yoga logs every error it masks or maps, at error level and with its message:
 * here a client's error is a line at info level with its code and field, and an unexpected one
 * is left to `clientError`, which has logged its summary already.
 */
export const yogaLogging = (logger: Logger) => ({
  debug: (...args: unknown[]) => logger.debug({ args: loggable(args) }, 'graphql'),
  info: (...args: unknown[]) => logger.info({ args: loggable(args) }, 'graphql'),
  warn: (...args: unknown[]) => logger.warn({ args: loggable(args) }, 'graphql'),
  error: (...args: unknown[]) => {
    const [first] = args;
    if (!(first instanceof Error)) logger.error({ args: loggable(args) }, 'graphql');
    else if (isUnexpected(first) && !domainErrorIn(first)) logger.debug({ err: { name: first.name } }, 'graphql: masked an unexpected error');
    else logger.info(clientErrorSummary(first), 'client error');
  },
});

import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { DomainError, rule } from '../../services/shared/domain-error.js';
import type { GraphQLContext } from '../context.js';
import { toGraphQLError } from '../errors.js';

/**
 * Writes each request's reads of personal data to the access log before the response leaves.
 * If the log cannot be written (a full disk, any storage error), the caller gets UNAVAILABLE
 * (HTTP 503, retry later) instead of the data: no unrecorded read. The failure is the server's,
 * never the client's, so it is told to `onFailure` (to log it) and never masked as bad input.
 */
export const useAccessLog = (onFailure: (error: unknown) => void = () => undefined): Plugin => ({
  onExecute: ({ args }) => ({
    onExecuteDone: async ({ setResult }) => {
      try {
        await (args.contextValue as unknown as GraphQLContext).accessLog.flush();
      } catch (error) {
        onFailure(error);
        setResult({ errors: [accessLogUnavailable()] });
      }
    },
  }),
});

const accessLogUnavailable = (): GraphQLError =>
  toGraphQLError(new DomainError('UNAVAILABLE', rule`The access log could not be written, so nothing was shown; retry later.`));

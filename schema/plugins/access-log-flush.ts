import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GraphQLContext } from '../context.js';

/**
 * Writes each request's reads of personal data to the access log before the response leaves.
 * If the log cannot be written, the caller gets an error instead of the data: no unrecorded read.
 */
export const useAccessLog = (): Plugin => ({
  onExecute: ({ args }) => ({
    onExecuteDone: async ({ setResult }) => {
      try {
        await (args.contextValue as unknown as GraphQLContext).accessLog.flush();
      } catch {
        setResult({ errors: [new GraphQLError('Unexpected error.')] });
      }
    },
  }),
});

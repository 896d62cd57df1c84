import { GraphQLError } from 'graphql';
import { DomainError } from '../services/shared/domain-error.js';

/**
 * The one place where expected failures become GraphQL errors with a stable
 * `extensions.code` (and `extensions.field` for input). Anything else is masked by yoga.
 */
export const toGraphQLError = (error: DomainError): GraphQLError =>
  new GraphQLError(error.message, {
    extensions: { code: error.code, ...(error.field ? { field: error.field } : {}) },
  });

export const badUserInput = (field: string, message: string): GraphQLError =>
  toGraphQLError(new DomainError('BAD_USER_INPUT', message, field));

export const unauthenticated = (): GraphQLError =>
  new GraphQLError('A valid API key is required (Authorization: Bearer <key>).', {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });

/** Finds a DomainError behind whatever graphql-js wrapped around it. */
export const domainErrorIn = (error: unknown): DomainError | undefined => {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth += 1) {
    if (current instanceof DomainError) return current;
    current = (current as { originalError?: unknown }).originalError;
  }
  return undefined;
};

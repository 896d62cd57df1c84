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

const INPUT_PATH = /at "(?:[^"]*\.)?([A-Za-z_][A-Za-z0-9_]*)(?:\[\d+\])?"/;
const VARIABLE_NAME = /^Variable "\$([A-Za-z_][A-Za-z0-9_]*)"/;
const FIELD_BEFORE_VALUE = /([A-Za-z_][A-Za-z0-9_]*)\s*:\s*\[?\s*$/;

/** Where the rejected value sits: the path graphql-js prints, or the field written before a literal. */
const inputFieldOf = (error: GraphQLError): string | undefined => {
  const fromPath = INPUT_PATH.exec(error.message)?.[1] ?? VARIABLE_NAME.exec(error.message)?.[1];
  if (fromPath) return fromPath;
  const location = error.locations?.[0];
  const body = error.source?.body;
  if (!location || !body) return undefined;
  const lines = body.split('\n');
  const offset = lines.slice(0, location.line - 1).reduce((sum, line) => sum + line.length + 1, 0) + location.column - 1;
  return FIELD_BEFORE_VALUE.exec(body.slice(0, offset))?.[1];
};

/**
 * A scalar (Date, DateTime, CountryCode) that rejects a value knows only its own name. This
 * names the input field instead, from the path in graphql-js's message or, for a literal, from
 * the query text before the value.
 */
export const withInputField = (error: GraphQLError): GraphQLError => {
  if (error.extensions['code'] !== 'BAD_USER_INPUT') return error;
  const field = inputFieldOf(error);
  if (!field) return error;
  return new GraphQLError(error.message, {
    ...(error.nodes ? { nodes: error.nodes } : {}),
    ...(error.path ? { path: error.path } : {}),
    extensions: { ...error.extensions, field },
  });
};

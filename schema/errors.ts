import { GraphQLError } from 'graphql';
import { DomainError } from '../services/shared/domain-error.js';

/**
 * The one place where expected failures become GraphQL errors with a stable
 * `extensions.code` (and `extensions.field` for input). Anything else is masked by yoga.
 */
export const toGraphQLError = (error: DomainError): GraphQLError =>
  new GraphQLError(error.message, {
    extensions: {
      code: error.code,
      ...(error.field ? { field: error.field } : {}),
      ...error.details,
      ...(error.code === 'UNAVAILABLE' ? { http: { status: 503 } } : {}),
    },
  });

export const badUserInput = (field: string, message: string): GraphQLError =>
  toGraphQLError(new DomainError('BAD_USER_INPUT', message, field));

export const unauthenticated = (message = 'A valid API key is required (Authorization: Bearer <key>).'): GraphQLError =>
  new GraphQLError(message, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });

/**
 * The tracker cannot answer safely now: a read model that authentication or visibility reads is
 * stalled or has not caught up with the store since start. HTTP 503 with Retry-After.
 */
export const unavailable = (retryAfterSeconds: number): GraphQLError =>
  new GraphQLError('The tracker cannot answer safely right now: its read models are stalled or still catching up after start (see /readyz). Retry later.', {
    extensions: { code: 'UNAVAILABLE', http: { status: 503, headers: { 'Retry-After': String(retryAfterSeconds) } } },
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

const QUOTED = String.raw`"(?:[^"\\]|\\.)*"`;
/** graphql-js repeats the rejected value in its messages; the value may be a person's name. */
const ECHOED_VALUES: ReadonlyArray<readonly [RegExp, string]> = [
  // Expected value of type "Date!", found "Maria"; Date must be ...
  [new RegExp(String.raw`, found (?:${QUOTED}|[^;]*?)(?=;|\.?$)`), ''],
  // Variable "$input" got invalid value { ... } at "input.birthDate"; ...
  [new RegExp(String.raw` got invalid value (?:${QUOTED}|\{[\s\S]*\}|\[[\s\S]*\]|[^;]*?)(?= at "|;|$)`), ' got an invalid value'],
  // Int cannot represent non-integer value: "Maria"
  [/(cannot represent [^:]*?value): [\s\S]*$/, '$1.'],
  // Value "Maria" does not exist in "Relationship" enum.
  [new RegExp(String.raw`Value ${QUOTED} does not exist in`), 'The value does not exist in'],
];

export const withoutEchoedValues = (message: string): string =>
  ECHOED_VALUES.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), message);

/**
 * Every GraphQL error on its way to the client: a scalar (Date, DateTime, CountryCode) that
 * rejects a value knows only its own name, so BAD_USER_INPUT names the input field instead, from
 * the path in graphql-js's message or, for a literal, from the query text before the value; and
 * no message repeats the rejected value (it may be a child's name typed into the wrong field).
 */
export const forClient = (error: GraphQLError): GraphQLError => {
  // graphql-jit's variable errors may come without extensions.
  // A request error without a code is a rejected variable value.
  const extensions = error.extensions as GraphQLError['extensions'] | undefined;
  const code = (extensions?.['code'] as string | undefined) ?? 'BAD_USER_INPUT';
  const field = code === 'BAD_USER_INPUT' ? inputFieldOf(error) : undefined;
  const message = withoutEchoedValues(error.message);
  if (!field && message === error.message && extensions?.['code']) return error;
  return new GraphQLError(message, {
    ...(error.nodes ? { nodes: error.nodes } : {}),
    ...(error.path ? { path: error.path } : {}),
    extensions: { ...extensions, code, ...(field ? { field } : {}) },
  });
};

/**
 * An error the client did not cause: a resolver or the server failed (a GraphQLError wrapping
 * a plain error that carries no code). Such errors are masked and logged, never shown.
 */
export const isUnexpected = (error: unknown): boolean => {
  if (!(error instanceof GraphQLError)) return true;
  const cause = error.originalError as (Error & { extensions?: { code?: unknown } }) | undefined;
  return cause !== undefined && !(cause instanceof GraphQLError) && typeof cause.extensions?.code !== 'string';
};

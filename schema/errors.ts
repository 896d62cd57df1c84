import { GraphQLError, isEnumType, isInputObjectType, isInterfaceType, isObjectType, type GraphQLSchema } from 'graphql';
import { badInput, DomainError, rule, type Rule } from '../services/shared/domain-error.js';

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

export const badUserInput = (field: string, fieldRule: Rule): GraphQLError => toGraphQLError(badInput(field, fieldRule));

export const unauthenticated = (message: Rule = rule`A valid API key is required (Authorization: Bearer <key>).`): GraphQLError =>
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

const namesOfSchemas = new WeakMap<GraphQLSchema, ReadonlySet<string>>();

/** Every name the schema defines: types, fields, arguments, input fields, enum values, directives. */
export const schemaNames = (schema: GraphQLSchema): ReadonlySet<string> => {
  const cached = namesOfSchemas.get(schema);
  if (cached) return cached;
  const names = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    names.add(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        names.add(field.name);
        for (const arg of field.args) names.add(arg.name);
      }
    }
    if (isInputObjectType(type)) for (const field of Object.values(type.getFields())) names.add(field.name);
    if (isEnumType(type)) for (const value of type.getValues()) names.add(value.name);
  }
  for (const directive of schema.getDirectives()) {
    names.add(directive.name);
    for (const arg of directive.args) names.add(arg.name);
  }
  namesOfSchemas.set(schema, names);
  return names;
};

const QUOTED_NAME = /"((?:[^"\\]|\\.)*)"/g;
/** A quoted part of a message that the schema knows: `"Family"`, `"Date!"`, `"Query.family"`, `"@include"`. */
const isSchemaText = (text: string, names: ReadonlySet<string>): boolean =>
  /^[^A-Za-z0-9_]{1,3}$/.test(text) || text.replace(/^[$@]/, '').replace(/[[\]!]/g, '').split('.').every((part) => names.has(part));

/**
 * graphql-js also repeats names written in the operation (an unknown field, argument, variable,
 * fragment or alias, a token of a syntax error): each quoted part the schema does not know
 * becomes `"…"`, so that no text a client chose comes back, however long it was.
 */
export const withoutUnknownNames = (message: string, names: ReadonlySet<string>): string =>
  message.replace(QUOTED_NAME, (quoted, text: string) => (isSchemaText(text, names) ? quoted : '"…"'));

/** No message to a client, nor a line logged about one, is longer than this. */
export const MAX_MESSAGE = 500;
export const bounded = (text: string, max = MAX_MESSAGE): string => (text.length > max ? `${text.slice(0, max)}…` : text);

/**
 * Every GraphQL error on its way to the client: a scalar (Date, DateTime, CountryCode) that
 * rejects a value knows only its own name, so BAD_USER_INPUT names the input field instead, from
 * the path in graphql-js's message or, for a literal, from the query text before the value; and
 * no message repeats the rejected value (it may be a child's name typed into the wrong field).
 */
export const forClient = (error: GraphQLError, schema: GraphQLSchema): GraphQLError => {
  // graphql-jit's variable errors may come without extensions.
  // A request error without a code is a rejected variable value.
  const extensions = error.extensions as GraphQLError['extensions'] | undefined;
  const code = (extensions?.['code'] as string | undefined) ?? 'BAD_USER_INPUT';
  const names = schemaNames(schema);
  const named = code === 'BAD_USER_INPUT' ? inputFieldOf(error) : undefined;
  // A variable's name is the client's; it names the field only when the schema has that name too.
  const field = named !== undefined && names.has(named) ? named : undefined;
  const message = bounded(withoutUnknownNames(withoutEchoedValues(error.message), names));
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

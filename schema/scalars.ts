import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { isCalendarDate } from '../services/shared/calendar-date.js';
import { isCountryCode } from '../services/shared/countries.js';
import { known, rule, type Rule } from '../services/shared/domain-error.js';
import { toUtcInstant } from '../services/shared/instant.js';
import { badUserInput } from './errors.js';

/** A check that accepts a text as it is. */
const asIs = (valid: (text: string) => boolean) => (text: string): string | undefined => (valid(text) ? text : undefined);

/** `read` gives the value in its normal form, or undefined when the text is not one. */
const stringScalar = (name: string, description: string, read: (text: string) => string | undefined, explain: Rule) => {
  const message = rule`${known(name)} ${known(explain)}`;
  const parseText = (value: unknown): string | undefined => (typeof value === 'string' ? read(value) : undefined);
  const parse = (value: unknown): string => {
    const parsed = parseText(value);
    if (parsed === undefined) throw badUserInput(name, explain);
    return parsed;
  };
  return new GraphQLScalarType({
    name,
    description,
    serialize: (value) => value,
    parseValue: parse,
    // A literal's error is thrown as a plain Error so that graphql-js wraps it with the value's
    // location; the error mapping then names the input field from the query text.
    parseLiteral: (ast: ValueNode) => {
      const parsed = parseText(ast.kind === Kind.STRING ? ast.value : undefined);
      if (parsed === undefined) throw Object.assign(new Error(message), { extensions: { code: 'BAD_USER_INPUT' } });
      return parsed;
    },
  });
};

export const DateScalar = stringScalar('Date', 'A calendar date, strictly YYYY-MM-DD.', asIs(isCalendarDate), rule`must be a real calendar date as YYYY-MM-DD`);

/** An input DateTime reaches resolvers in UTC (`2024-06-01T00:00:00.000Z`), whatever offset it was written with. */
export const DateTimeScalar = stringScalar(
  'DateTime',
  'An RFC 3339 date-time with an offset; inputs are normalised to UTC with millisecond precision.',
  toUtcInstant,
  rule`must be an RFC 3339 date-time with an offset, e.g. 2024-06-01T12:00:00Z`,
);

export const CountryCodeScalar = stringScalar('CountryCode', 'An ISO 3166-1 alpha-2 country code.', asIs(isCountryCode), rule`must be an ISO 3166-1 alpha-2 country code such as HN`);

/** Output-only JSON: event data in history. As an input it is refused (nothing takes it). */
export const JsonScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value (output only).',
  serialize: (value) => value,
  parseValue: () => {
    throw badUserInput('JSON', rule`is an output type`);
  },
  parseLiteral: () => {
    throw Object.assign(new Error('JSON is an output type'), { extensions: { code: 'BAD_USER_INPUT' } });
  },
});

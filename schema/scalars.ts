import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { isCalendarDate, isInstant } from '../services/shared/calendar-date.js';
import { isCountryCode } from '../services/shared/countries.js';
import { badUserInput } from './errors.js';


const stringScalar = (name: string, description: string, valid: (text: string) => boolean, explain: string) => {
  const parse = (value: unknown): string => {
    if (typeof value !== 'string' || !valid(value)) throw badUserInput(name, `${name} ${explain}`);
    return value;
  };
  return new GraphQLScalarType({
    name,
    description,
    serialize: (value) => value,
    parseValue: parse,
    // A literal's error is thrown as a plain Error so that graphql-js wraps it with the value's
    // location; the error mapping then names the input field from the query text.
    parseLiteral: (ast: ValueNode) => {
      const value = ast.kind === Kind.STRING ? ast.value : undefined;
      if (typeof value !== 'string' || !valid(value)) throw Object.assign(new Error(`${name} ${explain}`), { extensions: { code: 'BAD_USER_INPUT' } });
      return value;
    },
  });
};

export const DateScalar = stringScalar('Date', 'A calendar date, strictly YYYY-MM-DD.', isCalendarDate, 'must be a real calendar date as YYYY-MM-DD');

export const DateTimeScalar = stringScalar(
  'DateTime',
  'An RFC 3339 date-time with an offset.',
  isInstant,
  'must be an RFC 3339 date-time with an offset, e.g. 2024-06-01T12:00:00Z',
);

export const CountryCodeScalar = stringScalar('CountryCode', 'An ISO 3166-1 alpha-2 country code.', isCountryCode, 'must be an ISO 3166-1 alpha-2 country code such as HN');

/** Output-only JSON: event data in history. As an input it is refused (nothing takes it). */
export const JsonScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value (output only).',
  serialize: (value) => value,
  parseValue: () => {
    throw badUserInput('JSON', 'JSON is an output type');
  },
  parseLiteral: () => {
    throw Object.assign(new Error('JSON is an output type'), { extensions: { code: 'BAD_USER_INPUT' } });
  },
});

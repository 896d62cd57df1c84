import { describe, expect, it } from 'vitest';
import { buildSchema, GraphQLError } from 'graphql';
import { forClient, isUnexpected, withoutEchoedValues, withoutUnknownNames, schemaNames } from '../../../schema/errors.js';

const schema = buildSchema('type Query { family(id: ID!, input: Int): Family } type Family { id: ID relationship: Relationship } enum Relationship { MOTHER }');

describe('error messages never repeat the rejected value', () => {
  it.each([
    ['Expected value of type "Date!", found "Maria Lopez"; Date must be a real calendar date as YYYY-MM-DD', 'Expected value of type "Date!"; Date must be a real calendar date as YYYY-MM-DD'],
    ['Expected value of type "String!", found Maria.', 'Expected value of type "String!".'],
    ['Expected value of type "Int", found "say \\"Maria\\"; ok".', 'Expected value of type "Int".'],
    ['Variable "$input" got invalid value "Maria" at "input.birthDate"; Date must be a real calendar date', 'Variable "$input" got an invalid value at "input.birthDate"; Date must be a real calendar date'],
    ['Variable "$input" got invalid value { familyId: "f", givenName: "Maria" } at "input.relationship"; Value "Maria" does not exist in "Relationship" enum.', 'Variable "$input" got an invalid value at "input.relationship"; The value does not exist in "Relationship" enum.'],
    ['Variable "$n" got invalid value "Maria"; Int cannot represent non-integer value: "Maria"', 'Variable "$n" got an invalid value; Int cannot represent non-integer value.'],
    ['Enum "Relationship" cannot represent non-enum value: "Maria".', 'Enum "Relationship" cannot represent non-enum value.'],
  ])('%s', (message, expected) => {
    expect(withoutEchoedValues(message)).toBe(expected);
    expect(withoutEchoedValues(message)).not.toContain('Maria');
  });

  it('leaves messages without values alone', () => {
    const message = 'Cannot registerChild: family f is CLOSED';
    expect(withoutEchoedValues(message)).toBe(message);
  });
});

describe('which errors reach the client', () => {
  it('a resolver that crashed is unexpected (masked); request errors and coded errors are not', () => {
    expect(isUnexpected(new GraphQLError('boom', { originalError: new TypeError('Cannot read properties of undefined') }))).toBe(true);
    expect(isUnexpected(new TypeError('x'))).toBe(true);
    expect(isUnexpected(new GraphQLError('Variable "$n" got invalid value "x"'))).toBe(false);
    const coded = Object.assign(new Error('Date must be a real calendar date'), { extensions: { code: 'BAD_USER_INPUT' } });
    expect(isUnexpected(new GraphQLError(coded.message, { originalError: coded }))).toBe(false);
  });

  it('a rejected variable without a code becomes BAD_USER_INPUT naming the input field, without its value', () => {
    const error = forClient(new GraphQLError('Variable "$input" got invalid value "Maria" at "input.relationship"; Value "Maria" does not exist in "Relationship" enum.'), schema);
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'relationship' });
    expect(error.message).not.toContain('Maria');
  });
});

describe('names the client wrote in the operation are not repeated either', () => {
  const names = schemaNames(schema);
  it.each([
    ['Cannot query field "Mariafield" on type "Family".', 'Cannot query field "…" on type "Family".'],
    ['Unknown argument "Maria" on field "Query.family".', 'Unknown argument "…" on field "Query.family".'],
    ['Variable "$Maria" is never used.', 'Variable "…" is never used.'],
    ['Unknown fragment "Maria".', 'Unknown fragment "…".'],
    ['Unknown directive "@Maria".', 'Unknown directive "…".'],
    ['Fields "Maria" conflict because "id" and "relationship" are different fields.', 'Fields "…" conflict because "id" and "relationship" are different fields.'],
    ['Syntax Error: Unexpected Name "Maria".', 'Syntax Error: Unexpected Name "…".'],
    ['Syntax Error: Expected Name, found "}".', 'Syntax Error: Expected Name, found "}".'],
    ['Expected type "[Relationship!]!".', 'Expected type "[Relationship!]!".'],
  ])('%s', (message, expected) => {
    expect(withoutUnknownNames(message, names)).toBe(expected);
  });

  it('a variable named by the client names the field only if the schema has that name', () => {
    const error = forClient(new GraphQLError('Variable "$Maria" got invalid value "x"; Int cannot represent non-integer value: "x"'), schema);
    expect(error.extensions.field).toBeUndefined();
    expect(error.message).toBe('Variable "…" got an invalid value; Int cannot represent non-integer value.');
    expect(forClient(new GraphQLError('Variable "$input" got invalid value "x"; Int cannot represent non-integer value: "x"'), schema).extensions.field).toBe('input');
  });

  it('bounds every message', () => {
    expect(forClient(new GraphQLError(`Some message ${'x'.repeat(5_000)}`, { extensions: { code: 'BAD_USER_INPUT' } }), schema).message.length).toBeLessThanOrEqual(501);
  });
});

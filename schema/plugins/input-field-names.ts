import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { forClient } from '../errors.js';

/**
 * Validation errors for input values (a bad Date, DateTime or CountryCode literal) name the
 * input field in `extensions.field`, like every other BAD_USER_INPUT; and no validation message
 * repeats a value or a name the client wrote (errors.ts `forClient`).
 */
export const useInputFieldNames = (): Plugin => ({
  onValidate: ({ params }) => ({ result, setResult }) => {
    const errors = result as readonly Error[];
    if (errors.length > 0) setResult(errors.map((error): Error => (error instanceof GraphQLError ? forClient(error, params.schema as GraphQLSchema) : error)));
  },
});

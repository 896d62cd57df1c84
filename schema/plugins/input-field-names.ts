import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { forClient } from '../errors.js';

/**
 * Validation errors for input values (a bad Date, DateTime or CountryCode literal) name the
 * input field in `extensions.field`, like every other BAD_USER_INPUT.
 */
export const useInputFieldNames = (): Plugin => ({
  onValidate: () => ({ result, setResult }) => {
    const errors = result as readonly Error[];
    if (errors.length > 0) setResult(errors.map((error): Error => (error instanceof GraphQLError ? forClient(error) : error)));
  },
});

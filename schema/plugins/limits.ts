import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { GraphQLError, type ValidationContext } from 'graphql';

/**
 * Query limits (graphql-armor) and production hardening. Each rejection is a GraphQL error
 * with code QUERY_TOO_COMPLEX; the limits are generous for every query the API documents
 * (the deepest, a families page with nested people and documents, is depth 5).
 */
export const QUERY_LIMITS = { depth: 10, aliases: 15, tokens: 3_000, directives: 20, cost: 10_000 } as const;

const tooComplex = (error: GraphQLError): GraphQLError =>
  new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { code: 'QUERY_TOO_COMPLEX' } });

/** Report through the validation context when there is one; a parser-level limit throws. */
const reject = {
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) => {
      if (context) context.reportError(tooComplex(error));
      else throw tooComplex(error);
    },
  ],
};

export const limitPlugins = (production: boolean) => [
  maxDepthPlugin({ n: QUERY_LIMITS.depth, ...reject }),
  maxAliasesPlugin({ n: QUERY_LIMITS.aliases, ...reject }),
  maxTokensPlugin({ n: QUERY_LIMITS.tokens, ...reject }),
  maxDirectivesPlugin({ n: QUERY_LIMITS.directives, ...reject }),
  costLimitPlugin({ maxCost: QUERY_LIMITS.cost, ...reject }),
  ...(production ? [useDisableIntrospection(), blockFieldSuggestionsPlugin()] : []),
];

import express, { type Express } from 'express';
import type { GraphQLSchema } from 'graphql';
import { createYoga } from 'graphql-yoga';
import type { Logger } from '../logger.js';

export interface AppOptions {
  readonly schema: GraphQLSchema;
  readonly production: boolean;
  readonly logger: Logger;
  /** Whether the read side has caught up; until the projector lands, whether the store is open. */
  readonly readiness: () => { ready: boolean; details: Record<string, unknown> };
}

/** The HTTP surface: GraphQL at /graphql, liveness at /healthz, readiness at /readyz. */
export const createApp = (options: AppOptions): Express => {
  const app = express();
  app.disable('x-powered-by');

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    const { ready, details } = options.readiness();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', ...details });
  });

  const yoga = createYoga({
    schema: options.schema,
    graphqlEndpoint: '/graphql',
    graphiql: !options.production,
    landingPage: false,
    maskedErrors: true,
    logging: {
      debug: (...args) => options.logger.debug({ args: args.map(String) }, 'graphql'),
      info: (...args) => options.logger.info({ args: args.map(String) }, 'graphql'),
      warn: (...args) => options.logger.warn({ args: args.map(String) }, 'graphql'),
      error: (...args) => options.logger.error({ args: args.map(String) }, 'graphql'),
    },
  });
  app.use(yoga.graphqlEndpoint, yoga);
  return app;
};

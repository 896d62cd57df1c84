import express, { type Express } from 'express';
import { getOperationAST, OperationTypeNode, type ExecutionArgs, type GraphQLError, type GraphQLSchema } from 'graphql';
import { useGraphQlJit } from '@envelop/graphql-jit';
import { useAccessLog } from '../../schema/plugins/access-log-flush.js';
import { useInputFieldNames } from '../../schema/plugins/input-field-names.js';
import { limitPlugins } from '../../schema/plugins/limits.js';
import { useNormalisedDocuments } from '../../schema/plugins/normalised-documents.js';
import type { ResponseCache } from '../../schema/plugins/response-cache.js';
import { createRateLimiter, useRateLimit, type RateLimiter, type RateLimitOptions } from '../../schema/plugins/rate-limit.js';
import { createYoga, maskError } from 'graphql-yoga';
import type { GraphQLContext } from '../../schema/context.js';
import type { Logger } from '../logger.js';
import { clientError, yogaLogging } from './client-errors.js';
import { graphiqlOptions, renderTrackerGraphiQL } from './graphiql.js';
import { authorizationOf, type EnvelopingYoga } from './websocket.js';
import { serveWebApp } from '../web/serve.js';
import { mountExports } from './exports.js';

export interface AppOptions {
  readonly schema: GraphQLSchema;
  readonly production: boolean;
  readonly logger: Logger;
  readonly readiness: () => Promise<{ ready: boolean; details: Record<string, unknown> }>;
  readonly context: (authorization: string | null) => GraphQLContext;
  /** Answers of read queries kept until the read models or the caller's access change (response-cache.ts); absent: none kept. */
  readonly responseCache?: ResponseCache;
  /** Per-key request limits (the tracker passes its configuration); absent: no limit. */
  readonly rateLimit?: RateLimitOptions;
}

/** The HTTP surface: the web app at /, GraphQL (and GraphiQL) at /graphql, CSV exports at /exports/, liveness at /healthz, readiness at /readyz. */
export const createApp = (options: AppOptions): { app: Express; yoga: EnvelopingYoga } => {
  const app = express();
  app.disable('x-powered-by');

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res, next) => {
    options.readiness().then(({ ready, details }) => {
      res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', ...details });
    }, next);
  });
  // One budget per caller for /graphql and the exports alike.
  const rateLimiter = createRateLimiter(options.rateLimit ?? { requests: 0, windowSeconds: 1 });
  // CSV exports for reporting (exports.ts), through the same schema, context, access log and rate limit as /graphql.
  mountExports(app, { schema: options.schema, logger: options.logger, context: options.context, rateLimiter });
  // The web app at / (infra/web), on the same origin as /graphql.
  serveWebApp(app);

  const yoga = createYoga({
    schema: options.schema,
    graphqlEndpoint: '/graphql',
    // Served from the tracker itself, with the key form and example operations (graphiql.ts).
    graphiql: options.production ? false : graphiqlOptions(),
    renderGraphiQL: renderTrackerGraphiQL,
    landingPage: false,
    plugins: graphqlPlugins({ ...options, rateLimiter }),
    // HTTP and SSE carry the key in the Authorization header; WebSocket in connectionParams.
    context: (initial) => {
      const { request, connectionParams } = initial as { request?: Request; connectionParams?: Record<string, unknown> };
      return options.context(connectionParams ? (authorizationOf(connectionParams) ?? null) : (request?.headers.get('authorization') ?? null));
    },
    // Expected failures keep their stable code; everything else becomes "Unexpected error."
    maskedErrors: {
      maskError: (error, message) => clientError(error, options.schema, options.logger, () => maskError(error, message, false) as GraphQLError),
    },
    // Client errors at info level with their code, bounded; see client-errors.ts.
    logging: yogaLogging(options.logger),
  });
  // The body is read here, with a size limit, before yoga sees it: an oversized or malformed
  // body is a GraphQL error (413 / 400), never a 500.
  app.post(yoga.graphqlEndpoint, requireJson);
  // Answers carry personal data: no browser or cache in between keeps them (as the CSV exports).
  app.use(yoga.graphqlEndpoint, (_req, res, next) => {
    res.setHeader('cache-control', 'no-store');
    next();
  });
  app.use(yoga.graphqlEndpoint, express.json({ limit: MAX_BODY, type: ['application/json', 'application/graphql-response+json'] }));
  app.use(yoga.graphqlEndpoint, yoga);
  // Any other route: a 404 that does not repeat the method or path the client sent (Express's own does).
  app.use((_req, res) => graphqlError(res, 404, 'There is nothing at this address.', 'NOT_FOUND'));
  app.use(requestErrors);
  return { app, yoga };
};

/**
 * The GraphQL pipeline's plugins, in order. Compiles each distinct operation once
 * (graphql-jit): the nested families pages run several times faster than through graphql-js's
 * interpreter. Subscriptions run on graphql-js: graphql-jit's compiled subscribe loses literal
 * arguments. The rate limit comes first: a caller over its limit costs no parsing or
 * validation. Then literals become variables, so one plan serves every id
 * (normalised-documents.ts). A kept answer (response-cache.ts) comes after the access log, whose
 * flush writes its entry as for an answer computed now.
 */
export const graphqlPlugins = (options: Pick<AppOptions, 'schema' | 'production' | 'logger' | 'responseCache'> & { readonly rateLimiter?: RateLimiter | undefined }) => [
  useRateLimit(options.rateLimiter),
  useNormalisedDocuments(options.schema),
  ...limitPlugins(options.production),
  useInputFieldNames(),
  useAccessLog((error) => logAccessLogFailure(options.logger, error)),
  ...(options.responseCache ? [options.responseCache.plugin(options.schema)] : []),
  useGraphQlJit({}, { enableIf: isNotSubscription }),
];

export const MAX_BODY = '1mb';

const isNotSubscription = (args: ExecutionArgs): boolean => getOperationAST(args.document, args.operationName)?.operation !== OperationTypeNode.SUBSCRIPTION;

const graphqlError = (res: express.Response, status: number, message: string, code: string): void => {
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
};

/** POST bodies are JSON (application/json or application/graphql-response+json). */
const requireJson: express.RequestHandler = (req, res, next) => {
  if (req.is(['application/json', 'application/graphql-response+json'])) next();
  else graphqlError(res, 415, 'POST /graphql takes a JSON body (Content-Type: application/json).', 'BAD_REQUEST');
};

const requestErrors: express.ErrorRequestHandler = (error: { status?: number; type?: string }, _req, res, next) => {
  if (res.headersSent) {
    next(error);
    return;
  }
  const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
  const message =
    error.type === 'entity.too.large' ? `The request body is larger than ${MAX_BODY}.`
    : error.type === 'entity.parse.failed' ? 'The request body is not valid JSON.'
    : status < 500 ? 'The request could not be read.' : 'Unexpected error.';
  graphqlError(res, status, message, status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR');
};

/** What is logged of an unexpected error: its name and stack frames, never its message (it may hold personal data). */
const errorSummary = (error: unknown): Record<string, unknown> =>
  error instanceof Error ? { name: error.name, stack: error.stack?.split('\n').slice(1, 6).join('\n') } : { type: typeof error };

/** The access log could not be written (a full disk, say): the error's name, SQLite code and stack. */
const logAccessLogFailure = (logger: Logger, error: unknown): void => {
  logger.error({ err: errorSummary(error), code: (error as { code?: unknown } | undefined)?.code }, 'access log write failed');
};

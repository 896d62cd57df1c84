import type { Server } from 'node:http';
import type { DocumentNode, ExecutionArgs, ExecutionResult, GraphQLError, GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Logger } from '../logger.js';
import { clientError } from './client-errors.js';
import type { ConnectionVerdict } from './graphql-context.js';

interface Enveloped {
  readonly schema: GraphQLSchema;
  readonly parse: (source: string) => DocumentNode;
  readonly validate: (schema: GraphQLSchema, document: DocumentNode) => readonly GraphQLError[];
  readonly contextFactory: () => unknown;
  readonly execute: (args: ExecutionArgs) => OperationResult;
  readonly subscribe: (args: ExecutionArgs) => OperationResult;
}

type OperationResult = Promise<AsyncGenerator<ExecutionResult> | AsyncIterable<ExecutionResult> | ExecutionResult> | AsyncGenerator<ExecutionResult> | AsyncIterable<ExecutionResult> | ExecutionResult;

/** What this module needs of the yoga instance: its path and its envelop pipeline. */
export interface EnvelopingYoga {
  readonly graphqlEndpoint: string;
  readonly getEnveloped: (initialContext: Record<string, unknown>) => unknown;
}

/**
 * GraphQL over WebSocket (the graphql-ws protocol) at the same path as HTTP, through yoga's
 * envelop pipeline: the same plugins (limits, error masking, access log; graphql-jit for queries
 * and mutations, never for subscriptions), and the same authentication, with the key in
 * `connectionParams.authorization`. A connection without a valid key is refused at
 * `connection_init` (close code 4403); while the read models may not answer (stalled, or
 * catching up after start), every connection is closed with 1013 "try again later", and a
 * subscription whose context cannot be built (read models unavailable, key revoked since) gets
 * that error as its `error` message.
 *
 * Every error sent on a socket passes the same filter as over HTTP (client-errors.ts): a query
 * that does not parse, a context that cannot be built or an operation that throws comes back as
 * an `error` message with a stable code and no value the client wrote; nothing reaches
 * graphql-ws's own handler (which would print the raw error with console.error and put its
 * message in the close reason). Socket-level errors (a frame over 1 MiB, invalid UTF-8) are
 * logged by name and code at warn level; ws closes such a socket itself (1009, 1007).
 */
export const attachGraphQLWebSocket = (server: Server, yoga: EnvelopingYoga, logger: Logger, verdict: (authorization: string | undefined) => ConnectionVerdict): (() => Promise<void>) => {
  const sockets = new WebSocketServer({ server, path: yoga.graphqlEndpoint, maxPayload: 1024 * 1024 });
  let schema: GraphQLSchema | undefined;
  const schemaOf = (): GraphQLSchema => (schema ??= (yoga.getEnveloped({}) as Enveloped).schema);
  const filtered = (error: unknown): GraphQLError => clientError(error, schemaOf(), logger);
  /** An operation that throws instead of returning its errors is answered like one that returned them. */
  const guarded = (run: (args: ExecutionArgs) => OperationResult) => async (args: ExecutionArgs) => {
    try {
      return await run(args);
    } catch (error) {
      return { errors: [filtered(error)] };
    }
  };
  const cleanup = useServer(
    {
      // Close reasons never carry an error's message.
      isProd: true,
      onConnect: (ctx) => {
        const answer = verdict(authorizationOf(ctx.connectionParams));
        if (answer === 'UNAVAILABLE') ctx.extra.socket.close(TRY_AGAIN_LATER, 'UNAVAILABLE: retry later');
        return answer === 'ACCEPTED';
      },
      execute: guarded((args) => (args.rootValue as Enveloped).execute(args)),
      subscribe: guarded((args) => (args.rootValue as Enveloped).subscribe(args)),
      onSubscribe: async (ctx, _id, payload) => {
        try {
          const enveloped = yoga.getEnveloped({ connectionParams: ctx.connectionParams ?? {}, params: payload }) as Enveloped;
          const args = {
            schema: enveloped.schema,
            operationName: payload.operationName,
            document: enveloped.parse(payload.query),
            variableValues: payload.variables,
            contextValue: await enveloped.contextFactory(),
            rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe },
          } as ExecutionArgs;
          const errors = enveloped.validate(args.schema, args.document);
          return errors.length > 0 ? errors.map(filtered) : args;
        } catch (error) {
          return [filtered(error)];
        }
      },
      // The last step before an error message is sent: whatever produced it, it is filtered.
      onError: (_ctx, _id, _payload, errors) => errors.map((error) => filtered(error).toJSON()),
    },
    sockets,
  );
  // graphql-ws prints a socket's error with console.error; it is logged here instead (after
  // graphql-ws registered its listener on the same connection event, so it can be replaced).
  sockets.on('connection', (socket) => {
    socket.removeAllListeners('error');
    socket.on('error', (error: Error & { code?: string }) => logger.warn({ err: { name: error.name, code: error.code } }, 'websocket connection error'));
  });
  sockets.on('error', (error) => logger.error({ err: { name: error.name } }, 'websocket server error'));
  return async () => {
    await cleanup.dispose();
    await new Promise<void>((resolve) => sockets.close(() => resolve()));
  };
};

/** The WebSocket close code for "the server cannot serve now; try again later" (RFC 6455 registry). */
export const TRY_AGAIN_LATER = 1013;

export const authorizationOf = (connectionParams: Readonly<Record<string, unknown>> | undefined): string | undefined => {
  const value = connectionParams?.['authorization'] ?? connectionParams?.['Authorization'];
  return typeof value === 'string' ? value : undefined;
};

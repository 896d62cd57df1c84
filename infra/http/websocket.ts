import type { Server } from 'node:http';
import { GraphQLError, type DocumentNode, type ExecutionArgs, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Logger } from '../logger.js';
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
 * catching up after start), every connection is closed with 1013 "try again later". A
 * subscription whose context cannot be built (key revoked since, read models unavailable) gets
 * that error as its `error` message; the connection stays.
 */
export const attachGraphQLWebSocket = (server: Server, yoga: EnvelopingYoga, logger: Logger, verdict: (authorization: string | undefined) => ConnectionVerdict): (() => Promise<void>) => {
  const sockets = new WebSocketServer({ server, path: yoga.graphqlEndpoint, maxPayload: 1024 * 1024 });
  const cleanup = useServer(
    {
      onConnect: (ctx) => {
        const answer = verdict(authorizationOf(ctx.connectionParams));
        if (answer === 'UNAVAILABLE') ctx.extra.socket.close(TRY_AGAIN_LATER, 'UNAVAILABLE: retry later');
        return answer === 'ACCEPTED';
      },
      execute: (args) => (args.rootValue as Enveloped).execute(args),
      subscribe: (args) => (args.rootValue as Enveloped).subscribe(args),
      onSubscribe: async (ctx, _id, payload) => {
        const enveloped = yoga.getEnveloped({ connectionParams: ctx.connectionParams ?? {}, params: payload }) as Enveloped;
        let contextValue: unknown;
        try {
          contextValue = await enveloped.contextFactory();
        } catch (error) {
          if (!(error instanceof GraphQLError)) throw error;
          // HTTP's status and headers mean nothing here.
          const { http: _http, ...extensions } = error.extensions;
          return [new GraphQLError(error.message, { extensions })];
        }
        const args = {
          schema: enveloped.schema,
          operationName: payload.operationName,
          document: enveloped.parse(payload.query),
          variableValues: payload.variables,
          contextValue,
          rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe },
        } as ExecutionArgs;
        const errors = enveloped.validate(args.schema, args.document);
        return errors.length > 0 ? errors : args;
      },
    },
    sockets,
  );
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

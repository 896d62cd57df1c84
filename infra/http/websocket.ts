import type { Server } from 'node:http';
import type { DocumentNode, ExecutionArgs, ExecutionResult, GraphQLError, GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Logger } from '../logger.js';

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
 * `connection_init` (close code 4403).
 */
export const attachGraphQLWebSocket = (server: Server, yoga: EnvelopingYoga, logger: Logger, isKeyValid: (authorization: string | undefined) => boolean): (() => Promise<void>) => {
  const sockets = new WebSocketServer({ server, path: yoga.graphqlEndpoint, maxPayload: 1024 * 1024 });
  const cleanup = useServer(
    {
      onConnect: (ctx) => isKeyValid(authorizationOf(ctx.connectionParams)),
      execute: (args) => (args.rootValue as Enveloped).execute(args),
      subscribe: (args) => (args.rootValue as Enveloped).subscribe(args),
      onSubscribe: async (ctx, _id, payload) => {
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

export const authorizationOf = (connectionParams: Readonly<Record<string, unknown>> | undefined): string | undefined => {
  const value = connectionParams?.['authorization'] ?? connectionParams?.['Authorization'];
  return typeof value === 'string' ? value : undefined;
};

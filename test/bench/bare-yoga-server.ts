/** The baseline for the HTTP benchmark: a bare graphql-yoga `{ hello }` server on express. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createSchema, createYoga } from 'graphql-yoga';

const yoga = createYoga({
  schema: createSchema({ typeDefs: 'type Query { hello: String! }', resolvers: { Query: { hello: () => 'world' } } }),
  graphiql: false,
  logging: false,
});
const app = express();
app.use(yoga.graphqlEndpoint, yoga);
const server = createServer(app);
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`{"url":"http://127.0.0.1:${String((server.address() as AddressInfo).port)}","msg":"listening"}\n`);
});

import { mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { buildSchema } from '../schema/index.js';
import type { Config } from './config.js';
import { openEventStore } from './event-store/open-event-store.js';
import { createApp } from './http/app.js';
import type { Logger } from './logger.js';

export interface RunningTracker {
  readonly url: string;
  readonly close: () => Promise<void>;
}

const packageVersion = (): string =>
  (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** The composition root: wires the event store, the GraphQL schema and the HTTP server. */
export const startTracker = async (config: Config, logger: Logger): Promise<RunningTracker> => {
  mkdirSync(config.dataDir, { recursive: true });
  const store = openEventStore(config.eventStore);
  const schema = buildSchema({ version: packageVersion(), eventStoreKind: config.eventStore.kind });
  const app = createApp({
    schema,
    production: config.production,
    logger,
    readiness: () => ({ ready: true, details: { eventStore: config.eventStore.kind, projections: [] } }),
  });
  const server = createServer(app);
  await listen(server, config.port, config.host);
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${String(port)}`;
  logger.info({ url, graphql: `${url}/graphql`, eventStore: config.eventStore.kind, dataDir: config.dataDir }, 'listening');

  return {
    url,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
};

const listen = (server: Server, port: number, host: string): Promise<void> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

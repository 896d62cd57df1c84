import { Writable } from 'node:stream';
import { loadDemoData } from '../../infra/cli/demo-data.js';
import { loadConfig } from '../../infra/config.js';
import { openEncryptedEventStore } from '../../infra/event-store/open-encrypted-event-store.js';
import { createLogger } from '../../infra/logger.js';
import { startTracker } from '../../infra/tracker.js';
import { waitUntil } from './async.js';

/** A tracker a test talks to over HTTP: its address, everything it logged, and a clean stop. */
export interface Tracker {
  readonly url: string;
  /** Every log line and first-start notice so far, as `npm start` would print them. */
  readonly output: () => string;
  /** Stops the server; 0 when it stopped cleanly, 1 when stopping failed (as `npm start` exits). */
  readonly stop: () => Promise<number | null>;
}

/** Collects what is written to it, as the child process's piped stdout and stderr did. */
const textSink = (): { stream: Writable; text: () => string } => {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
};

/**
 * Starts the tracker inside the test's process, on a free loopback port: the same composition
 * root as `npm start` (infra/tracker.ts), configured by loadConfig from `env` over the process
 * environment exactly as infra/main.ts does, with the same HTTP stack and the same store files.
 * What it leaves out is the process itself (signal handlers, exit codes): tests of those use
 * startTrackerProcess. `clock` replaces the wall clock, for tests of expiry.
 */
export const startTrackerInProcess = async (env: Record<string, string>, options: { clock?: () => Date } = {}): Promise<Tracker> => {
  const config = loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env });
  const sink = textSink();
  const logger = createLogger(config.logLevel, sink.stream);
  const running = await startTracker(config, logger, { ...options, stderr: sink.stream });
  let stopped: Promise<number | null> | undefined;
  return {
    url: running.url,
    output: sink.text,
    stop: () =>
      (stopped ??= running.close().then(
        () => 0,
        (error: unknown) => {
          logger.error({ err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, 'error while stopping');
          return 1;
        },
      )),
  };
};

/**
 * Loads the demo families into a data directory as `npm run demo` does (infra/cli/demo-data.ts,
 * through the command handler, on its own connection to the store) while a tracker serves it,
 * then waits until `ready` (a query with one of the demo keys) says the read models have them;
 * throws if they do not within 20 s. Returns the demo API keys by organisation name, without
 * the " (demo)" suffix the demo prints.
 */
export const loadDemo = async (dataDir: string, ready: (keys: Record<string, string>) => Promise<boolean>): Promise<Record<string, string>> => {
  const store = openEncryptedEventStore(loadConfig({ ...process.env, TRACKER_DATA_DIR: dataDir }));
  const loaded = await loadDemoData(store, new Date()).finally(() => store.close());
  if (!loaded) throw new Error('the demo data was already in this store, so its keys are unknown');
  const keys = Object.fromEntries(loaded.keys.map(([name, key]) => [name.replace(/ \(demo\)$/, ''), key]));
  await waitUntil('the read models to show the demo families', () => ready(keys), 20_000);
  return keys;
};

import { parseArgs } from 'node:util';
import { loadDemoIntoRunningTracker } from './cli/demo-on-start.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startTracker, type RunningTracker } from './tracker.js';

/**
 * `npm start`: read the environment, start the tracker, stop cleanly on SIGINT/SIGTERM. The
 * signal handlers are in place before start-up begins, so a signal that arrives while the
 * tracker is starting still ends in a clean stop (exit code 0), never a kill mid-write.
 * `npm start -- --demo` then loads the demo into the store this server serves and prints its
 * keys with this server's real address (on stderr, apart from the JSON log lines on stdout).
 */
const main = async (): Promise<void> => {
  const { values: flags } = parseArgs({ options: { demo: { type: 'boolean', default: false } }, strict: true });
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  let tracker: RunningTracker | undefined;
  let stopRequested: string | undefined;
  const stop = (signal: string): void => {
    if (stopRequested && tracker === undefined) return;
    stopRequested = signal;
    if (!tracker) return;
    const running = tracker;
    tracker = undefined;
    logger.info({ signal }, 'stopping');
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  tracker = await startTracker(config, logger);
  if (stopRequested) stop(stopRequested);
  else if (flags.demo) await loadDemoIntoRunningTracker(config, tracker, process.stderr);
};

main().catch((error: unknown) => {
  if (error instanceof ConfigError || (error instanceof Error && 'code' in error && error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Tracker failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(1);
});

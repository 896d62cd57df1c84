import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startTracker } from './tracker.js';

/** `npm start`: read the environment, start the tracker, stop cleanly on SIGINT/SIGTERM. */
const main = async (): Promise<void> => {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const tracker = await startTracker(config, logger);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    tracker.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
};

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Tracker failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(1);
});

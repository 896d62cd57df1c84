/**
 * The tracker of the encryption benchmark, in its own process (so the load generator does not
 * share its event loop): `tsx encryption-server.ts <data dir> encrypted|plaintext`. `encrypted`
 * is the composition root exactly as `npm start` runs it; `plaintext` is the same composition
 * with `plaintextAtRestForBenchmarks` (events stored as given, read models unsealed), an option
 * only code can pass. Prints `{"url": ...}` once listening; SIGTERM stops it.
 */
import { Writable } from 'node:stream';
import { loadConfig } from '../../infra/config.js';
import { createLogger } from '../../infra/logger.js';
import { startTracker } from '../../infra/tracker.js';

const [dataDir, mode] = process.argv.slice(2);
if (!dataDir || (mode !== 'encrypted' && mode !== 'plaintext')) throw new Error('usage: encryption-server.ts <data dir> encrypted|plaintext');
const config = loadConfig({
  ...process.env, TRACKER_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', NODE_ENV: 'production', TRACKER_RATE_LIMIT_REQUESTS: '0',
});
// The first start's notices (master key generated, administrator key) concern a throw-away bench directory.
const running = await startTracker(config, createLogger('warn', process.stderr), {
  stderr: new Writable({ write: (_chunk, _encoding, done) => done() }),
  ...(mode === 'plaintext' ? { plaintextAtRestForBenchmarks: true as const } : {}),
});
process.stdout.write(`${JSON.stringify({ url: running.url })}\n`);
process.once('SIGTERM', () => {
  void running.close().then(() => process.exit(0));
});

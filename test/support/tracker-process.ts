import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { within } from './async.js';
import type { Tracker } from './in-process-tracker.js';

const ROOT = join(import.meta.dirname, '../..');
const MAIN = join(ROOT, 'infra/main.ts');

export interface TrackerProcess extends Tracker {
  readonly child: ChildProcess;
}

/** The tracker exited during start-up, with this exit code and output. */
export class TrackerExitedError extends Error {
  constructor(
    readonly code: number | null,
    readonly output: string,
  ) {
    super(`tracker exited with ${String(code)}: ${output}`);
  }
}

/**
 * Starts the tracker exactly as `npm start` does, on a free loopback port; `stop` sends SIGTERM
 * and returns the exit code. `launcher`: a command that runs the tracker's command line given
 * after it (e.g. in its own mount namespace). For tests of the process itself (start-up,
 * signals, memory); tests of what it serves use startTrackerInProcess, which skips the 2 to 3 s
 * of a process start.
 */
export const startTrackerProcess = async (env: Record<string, string>, launcher: readonly string[] = [], startTimeoutMs = 30_000): Promise<TrackerProcess> => {
  const [command = process.execPath, ...args] = [...launcher, process.execPath, '--import', 'tsx', MAIN];
  const child = spawn(command, args, {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await within(
    startTimeoutMs,
    new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        const match = /"url":"(http:\/\/[^"]+)".*"msg":"listening"/.exec(output);
        if (match?.[1]) resolve(match[1]);
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      void exited.then((code) => reject(new TrackerExitedError(code, output)));
    }),
    'tracker start',
  );
  return {
    url,
    child,
    output: () => output,
    stop: async () => {
      child.kill('SIGTERM');
      return within(10_000, exited, 'tracker stop');
    },
  };
};

/**
 * Starts the tracker, expecting it to refuse: the exit code and output of the refusal, or (when
 * it started after all) a stopped process's output with `started: true`, so that a test of a
 * refusal fails rather than hangs on code that does not refuse.
 */
export const startExpectingRefusal = async (env: Record<string, string>): Promise<{ started: boolean; code: number | null; output: string }> => {
  try {
    const tracker = await startTrackerProcess(env);
    const code = await tracker.stop();
    return { started: true, code, output: tracker.output() };
  } catch (error) {
    if (error instanceof TrackerExitedError) return { started: false, code: error.code, output: error.output };
    throw error;
  }
};

/** Runs the tracker and waits for it to exit by itself (a start-up failure). */
export const runTrackerToExit = (env: Record<string, string>): Promise<{ code: number | null; output: string }> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });

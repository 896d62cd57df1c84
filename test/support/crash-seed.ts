import { randomInt } from 'node:crypto';
import fc from 'fast-check';
import { onTestFailed } from 'vitest';

/**
 * The seed of a crash test's kill timings: CRASH_TEST_SEED replays a run's schedule, otherwise a
 * fresh seed. Printed at the start and again if the test fails. A seed fixes when the kills are
 * sent, not what the child had done by then (that still depends on the machine's load).
 * Call inside the test.
 */
export const crashTestSeed = (test: string): number => {
  const given = process.env['CRASH_TEST_SEED']?.trim();
  const seed = given ? Number(given) : randomInt(2 ** 31);
  if (!Number.isSafeInteger(seed)) throw new Error('CRASH_TEST_SEED must be an integer');
  const replay = `[${test}] seed ${String(seed)}: replay its kill timings with CRASH_TEST_SEED=${String(seed)}`;
  console.info(replay);
  onTestFailed(() => console.error(`FAILED ${replay}`));
  return seed;
};

/** `count` kill delays in [min, max] ms, the same for the same seed (fast-check's generator). */
export const killDelays = (seed: number, count: number, min: number, max: number): number[] =>
  fc.sample(fc.integer({ min, max }), { seed, numRuns: count });

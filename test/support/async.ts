/** Rejects when `promise` has not settled within `ms`; for tests that must not hang. */
export const within = <T>(ms: number, promise: Promise<T>, what: string): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${String(ms)} ms: ${what}`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });

/**
 * Polls `condition` every `pollMs` until it holds; throws naming `what` (and the last error,
 * if the condition threw) once `ms` have passed. A condition that throws counts as "not yet".
 */
export const waitUntil = async (what: string, condition: () => boolean | Promise<boolean>, ms = 10_000, pollMs = 50): Promise<void> => {
  const deadline = Date.now() + ms;
  let lastError: unknown;
  for (;;) {
    try {
      if (await condition()) return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
      throw new Error(`timed out after ${String(ms)} ms waiting for ${what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
};

/**
 * Waits until the wall clock has moved past the millisecond it reads now, so that an instant
 * taken before this call is strictly earlier than anything recorded after it.
 */
export const nextMillisecond = (): Promise<void> => {
  const now = Date.now();
  return waitUntil('the clock to tick', () => Date.now() > now, 1_000, 1);
};

export { collect } from '../../services/shared/async-iterable.js';

/** Takes items from an iterator until `accept` has taken `count` of them. */
export const take = async <T>(
  iterator: AsyncIterator<T>,
  count: number,
  accept: (item: T) => boolean = () => true,
): Promise<T[]> => {
  const taken: T[] = [];
  while (taken.length < count) {
    const next = await iterator.next();
    if (next.done) break;
    if (accept(next.value)) taken.push(next.value);
  }
  return taken;
};

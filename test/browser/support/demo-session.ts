import { afterAll, beforeAll } from 'vitest';
import { postGraphQL } from '../../support/graphql-client.js';
import { loadDemo, startTrackerInProcess, type Tracker } from '../../support/in-process-tracker.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { openBrowser, type BrowserSession } from './browser.js';

export interface DemoSession {
  readonly tracker: Tracker;
  /** The demo's API keys by organisation name. */
  readonly keys: Record<string, string>;
  readonly browser: BrowserSession;
}

/**
 * Registers, in the calling describe block, a tracker on a fresh data directory with the demo's
 * five families loaded and a browser open on it; closed after the block. Read the session's
 * fields inside tests (they exist once beforeAll ran).
 */
export const demoSessionForBlock = (tempPrefix: string): DemoSession => {
  const temp = makeTempDir(tempPrefix);
  const session = {} as { tracker: Tracker; keys: Record<string, string>; browser: BrowserSession };
  beforeAll(async () => {
    session.tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_RATE_LIMIT_REQUESTS: '0' });
    const url = session.tracker.url;
    session.keys = await loadDemo(temp.dir, async (demo) => (await postGraphQL(url, demo['Legal Aid of New York']!, '{ families(first: 1) { totalCount } }')).data?.families.totalCount === 5);
    session.browser = await openBrowser(url);
  });
  afterAll(async () => {
    await session.browser?.close();
    await session.tracker?.stop();
    temp.remove();
  });
  return session;
};

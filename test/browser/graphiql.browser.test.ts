import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL } from '../support/graphql-client.js';
import { loadDemo, startTrackerInProcess, type Tracker } from '../support/in-process-tracker.js';
import { makeTempDir } from '../support/temp-dir.js';
import { openBrowser, screenshot, skipReason, type BrowserSession } from './support/browser.js';

/**
 * Issue 16 item 1: GraphiQL came from a public CDN, so offline it showed only "Loading
 * __TITLE__...", and the key had to be typed as JSON into a headers pane. Now it is served by the
 * tracker, works with the network cut for every other host, and takes the key in a form.
 */
if (skipReason) console.log(`[browser] GraphiQL tests SKIPPED: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('GraphiQL served by the tracker', () => {
  const temp = makeTempDir('tracker-graphiql-');
  let tracker: Tracker;
  let keys: Record<string, string>;
  let browser: BrowserSession;

  beforeAll(async () => {
    tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_RATE_LIMIT_REQUESTS: '0' });
    keys = await loadDemo(temp.dir, async (demo) => (await postGraphQL(tracker.url, demo['Legal Aid of New York']!, '{ families(first: 1) { totalCount } }')).data?.families.totalCount === 5);
    browser = await openBrowser(tracker.url);
  });
  afterAll(async () => {
    await browser?.close();
    await tracker?.stop();
    temp.remove();
  });

  it('loads with the network cut, takes the key in a form once, and runs the example operation', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${tracker.url}/graphql`);
    await page.getByRole('textbox', { name: 'API key' }).fill(keys['Legal Aid of New York']!);
    await page.getByRole('button', { name: 'Use this key' }).click();
    await expect.poll(() => page.locator('#tracker-key-status').textContent()).toMatch(/Key set for this tab/);
    const run = page.locator('.graphiql-execute-button');
    await run.waitFor({ timeout: 30_000 });
    await run.click();
    await page.getByText('"demo-us-legal-advocate"').first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'graphiql-viewer');
    expect(await page.evaluate(() => Object.keys(localStorage).filter((name) => localStorage.getItem(name)?.includes('trk_')))).toEqual([]);
    expect(browser.foreignRequests).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { screenshot, skipReason } from './support/browser.js';
import { demoSessionForBlock } from './support/demo-session.js';

/**
 * Issue 16 item 1: GraphiQL came from a public CDN, so offline it showed only "Loading
 * __TITLE__...", and the key had to be typed as JSON into a headers pane. Now it is served by the
 * tracker, works with the network cut for every other host, and takes the key in a form.
 */
if (skipReason) console.log(`[browser] GraphiQL tests SKIPPED: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('GraphiQL served by the tracker', () => {
  const session = demoSessionForBlock('tracker-graphiql-');

  it('loads with the network cut, takes the key in a form once, and runs the example operation', async () => {
    const page = await session.browser.context.newPage();
    await page.goto(`${session.tracker.url}/graphql`);
    await page.getByRole('textbox', { name: 'API key' }).fill(session.keys['Legal Aid of New York']!);
    await page.getByRole('button', { name: 'Use this key' }).click();
    await expect.poll(() => page.locator('#tracker-key-status').textContent()).toMatch(/Key set for this tab/);
    const run = page.locator('.graphiql-execute-button');
    await run.waitFor({ timeout: 30_000 });
    await run.click();
    await page.getByText('"demo-us-legal-advocate"').first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'graphiql-viewer');
    expect(await page.evaluate(() => Object.keys(localStorage).filter((name) => localStorage.getItem(name)?.includes('trk_')))).toEqual([]);
    expect(session.browser.foreignRequests).toEqual([]);
  });
});

import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium (apt-get install chromium), or CHROMIUM_PATH. */
const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((path): path is string => Boolean(path));

export const chromiumPath: string | undefined = CANDIDATES.find((path) => existsSync(path));

/** Why the browser tests are skipped, printed by each browser test file; undefined when they run. */
export const skipReason: string | undefined = chromiumPath
  ? undefined
  : `no Chromium found (looked at ${CANDIDATES.join(', ')}): install it with \`apt-get install -y chromium\` (.ci/run does) or set CHROMIUM_PATH`;

/** The flags issue 16 names: headless, no sandbox (containers), and nothing that phones home. */
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Screenshots of the scenarios: test/browser/artefacts/ (gitignored). */
export const ARTEFACTS = join(import.meta.dirname, '../artefacts');

export interface BrowserSession {
  readonly context: BrowserContext;
  /** Every request the pages sent to a host other than the tracker's (each was refused). */
  readonly foreignRequests: string[];
  readonly close: () => Promise<void>;
}

/**
 * Chromium on a fresh user-data-dir, with the network cut for every host but the tracker's
 * origin: any other request is aborted and recorded (data: and blob: URLs never reach the
 * network and are not routed).
 */
export const openBrowser = async (trackerUrl: string, viewport = { width: 1280, height: 900 }): Promise<BrowserSession> => {
  if (!chromiumPath) throw new Error(skipReason);
  const profile = mkdtempSync(join(tmpdir(), 'tracker-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath, headless: true, args: FLAGS, viewport, locale: 'en-US' });
  const origin = new URL(trackerUrl).origin;
  const foreignRequests: string[] = [];
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) await route.continue();
    else {
      foreignRequests.push(url);
      await route.abort('internetdisconnected');
    }
  });
  return {
    context,
    foreignRequests,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
};

/** Saves a full-page screenshot of `page` as artefacts/<name>.png. */
export const screenshot = async (page: Page, name: string): Promise<void> => {
  mkdirSync(ARTEFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTEFACTS, `${name}.png`), fullPage: true });
};

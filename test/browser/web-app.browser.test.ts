import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWebApp } from '../../infra/web/build.js';
import { buildSchema } from '../../schema/index.js';
import { waitUntil } from '../support/async.js';
import { dataOf, issueKey, postGraphQL, registerOrganization } from '../support/graphql-client.js';
import { loadDemo, startTrackerInProcess, type Tracker } from '../support/in-process-tracker.js';
import { makeTempDir } from '../support/temp-dir.js';
import { accessibilityViolations } from './support/axe.js';
import { openBrowser, screenshot, skipReason, type BrowserSession } from './support/browser.js';

/**
 * Issue 16 items 2 and 4: the web app at `/`, driven by Chromium against a real tracker with the
 * demo data, with every host but the tracker cut off. Each scenario keeps a screenshot in
 * test/browser/artefacts/.
 */
if (skipReason) console.log(`[browser] web app tests SKIPPED: ${skipReason}`);

const schemaHasSearch = 'search' in (buildSchema({ version: 'test', eventStoreKind: 'sqlite' }).getQueryType()?.getFields() ?? {});
const US = 'Legal Aid of New York';
const HN = 'Defensores de Centroamérica';

describe.skipIf(skipReason !== undefined)('the web app in a browser', () => {
  const temp = makeTempDir('tracker-web-');
  let tracker: Tracker;
  let keys: Record<string, string>;
  let browser: BrowserSession;
  let joseFamily: string;

  const gql = async (key: string, query: string, variables: Record<string, unknown> = {}) => dataOf(await postGraphQL(tracker.url, key, query, variables));

  const signIn = async (page: Page, key: string): Promise<void> => {
    await page.goto(`${tracker.url}/`);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Families' }).waitFor();
  };

  beforeAll(async () => {
    await buildWebApp();
    tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_RATE_LIMIT_REQUESTS: '0' });
    keys = await loadDemo(temp.dir, async (demo) => (await postGraphQL(tracker.url, demo[US]!, '{ families(first: 1) { totalCount } }')).data?.families.totalCount === 5);
    const families = await gql(keys[US]!, '{ families(first: 10) { edges { node { id children { givenName } } } } }');
    joseFamily = families.families.edges.find((edge: any) => edge.node.children.some((child: any) => child.givenName === 'José')).node.id;
    browser = await openBrowser(tracker.url);
  });
  afterAll(async () => {
    await browser?.close();
    await tracker?.stop();
    temp.remove();
  });

  it('shows the sign-in page at /, accessible, then the home page with the demo families (load time printed)', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${tracker.url}/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, '01-sign-in');
    const started = performance.now();
    await page.getByLabel('API key').fill(keys[US]!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('families').locator('> li').nth(4).waitFor();
    const signedInMs = performance.now() - started;
    expect(await page.getByTestId('families').locator('> li').count()).toBe(5);
    await expect.poll(() => page.getByTestId('viewer').textContent()).toContain('Legal Aid of New York (demo) (Advocate)');

    const reloadStarted = performance.now();
    await page.reload();
    await page.getByTestId('families').locator('> li').nth(4).waitFor();
    const reloadMs = performance.now() - reloadStarted;
    console.log(`[browser] home page with the demo data: ${reloadMs.toFixed(0)} ms from reload to the 5 families listed (${signedInMs.toFixed(0)} ms from the sign-in click)`);
    expect(await page.evaluate(() => Object.keys(localStorage).filter((name) => localStorage.getItem(name)?.includes('trk_')))).toEqual([]);
    expect(page.url()).not.toContain('trk_');
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, '02-home');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await page.close();
  });

  it('works with the keyboard alone: focus starts in the key field, Enter signs in, focus lands on the page heading, the skip link moves it to the content', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${tracker.url}/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('api-key');
    await page.keyboard.type(keys[US]!);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Families' }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Families');
    const focused = () => page.evaluate(() => document.activeElement?.textContent ?? '');
    for (let presses = 0; presses < 10 && (await focused()) !== 'Skip to content'; presses += 1) await page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await page.close();
  });

  it.skipIf(!schemaHasSearch)('finds a child by a misspelt name and opens the family', async () => {
    const page = await browser.context.newPage();
    await signIn(page, keys[US]!);
    await page.getByRole('searchbox', { name: 'Search names, identifiers, phone numbers' }).fill('Lupitta');
    await page.getByRole('button', { name: 'Search' }).click();
    const hit = page.getByTestId('search-results').getByRole('link', { name: /Lupita/ });
    await hit.waitFor();
    await screenshot(page, '03-search');
    await hit.click();
    await page.getByRole('heading', { level: 1, name: /Lupita/ }).waitFor();
    await page.close();
  });
  if (!schemaHasSearch) console.log('[browser] search scenario SKIPPED: the schema has no Query.search yet (issue 15, branch casefile)');

  it('opens a family; a contact attempt recorded in the form shows in the timeline, once for a double click; a change made elsewhere shows live', async () => {
    const page = await browser.context.newPage();
    await signIn(page, keys[US]!);
    await page.getByTestId('families').getByRole('link', { name: 'José' }).click();
    await page.getByRole('heading', { level: 1, name: 'José' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, '04-family');
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    const timeline = page.getByTestId('timeline').locator('> li');
    const before = await timeline.count();

    await page.getByLabel('Choose a step').selectOption('recordContactAttempt');
    const form = page.getByRole('form', { name: 'Record contact attempt' });
    await form.getByLabel('Relative').selectOption({ label: 'Gloria (Aunt)' });
    await form.getByLabel('Channel').selectOption('WHATSAPP');
    await form.getByLabel('Result').selectOption('REACHED');
    await form.getByRole('button', { name: 'Record' }).dblclick();
    await form.getByRole('status').filter({ hasText: /Recorded|Already recorded/ }).waitFor();
    await expect.poll(() => timeline.count()).toBe(before + 1);
    await page.getByRole('region', { name: 'Tracing' }).getByText('Whatsapp, Reached').waitFor();
    const history = await gql(keys[US]!, 'query($id: ID!) { familyHistory(familyId: $id, first: 500) { edges { node { type data } } } }', { id: joseFamily });
    expect(history.familyHistory.edges.filter((edge: any) => edge.node.type === 'ContactAttemptMade' && edge.node.data.channel === 'WHATSAPP')).toHaveLength(1);

    // The Defenders locate the aunt and the father (everyone sought is found), through the API: the page follows over SSE.
    const statusBefore = (await page.getByTestId('family-status').textContent())!;
    await gql(keys[HN]!, 'mutation($id: ID!) { recordParentLocated(input: { familyId: $id, relativeId: "aunt-gloria", country: "HN", method: PARTNER_NGO }) { revision } }', { id: joseFamily });
    await gql(keys[US]!, 'mutation($id: ID!) { startTracing(input: { familyId: $id, relativeId: "father-oscar", defenderOrganizationId: "demo-ca-defenders", region: "HN" }) { revision } }', { id: joseFamily });
    const after = await gql(keys[HN]!, 'mutation($id: ID!) { recordParentLocated(input: { familyId: $id, relativeId: "father-oscar", country: "HN", method: CONSULATE }) { family { status } } }', { id: joseFamily });
    const statusAfter = after.recordParentLocated.family.status as string;
    expect(statusAfter).not.toBe(statusBefore.toUpperCase().replace(/ /g, '_'));
    await expect.poll(() => page.getByTestId('family-status').textContent(), { timeout: 15_000 }).toBe(statusAfter.charAt(0) + statusAfter.slice(1).toLowerCase().replace(/_/g, ' '));
    const events = (await gql(keys[US]!, 'query($id: ID!) { familyHistory(familyId: $id, first: 1) { totalCount } }', { id: joseFamily })).familyHistory.totalCount;
    await expect.poll(() => timeline.count()).toBe(events);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await screenshot(page, '05-family-after-steps');
    await page.close();
  });

  it('opens a case from the form and lands on the new family', async () => {
    const page = await browser.context.newPage();
    await signIn(page, keys[US]!);
    await page.getByRole('link', { name: 'Open a case' }).click();
    const form = page.getByRole('form', { name: 'Open family case' });
    await form.getByLabel('Programme').selectOption('ASYLUM');
    await form.getByRole('button', { name: 'Record' }).click();
    await page.getByTestId('viewer-scope').filter({ hasText: 'full' }).waitFor();
    const familyId = decodeURIComponent(/#\/family\/(.+)$/.exec(page.url())![1]!);
    expect((await gql(keys[US]!, 'query($id: ID!) { family(id: $id) { programme status } }', { id: familyId })).family).toEqual({ programme: 'ASYLUM', status: 'INTAKE' });
    await page.close();
  });

  it('shows a field error from extensions.field next to its field, and records nothing', async () => {
    const page = await browser.context.newPage();
    await signIn(page, keys[US]!);
    await page.goto(`${tracker.url}/#/family/${encodeURIComponent(joseFamily)}`);
    await page.getByRole('heading', { level: 1, name: 'José' }).waitFor();
    const revision = (await gql(keys[US]!, 'query($id: ID!) { family(id: $id) { revision } }', { id: joseFamily })).family.revision;
    await page.getByLabel('Choose a step').selectOption('recordContactAttempt');
    const form = page.getByRole('form', { name: 'Record contact attempt' });
    await form.getByLabel('Relative').selectOption({ label: 'Gloria (Aunt)' });
    await form.getByLabel('Channel').selectOption('PHONE');
    await form.getByLabel('Result').selectOption('NO_ANSWER');
    await form.getByLabel('When it happened').fill('2999-01-01T10:00');
    await form.getByRole('button', { name: 'Record' }).click();
    const field = form.getByLabel('When it happened');
    await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await field.getAttribute('aria-describedby'))!;
    expect(await page.locator(`[id="${describedBy}"]`).textContent()).toMatch(/future/i);
    expect((await gql(keys[US]!, 'query($id: ID!) { family(id: $id) { revision } }', { id: joseFamily })).family.revision).toBe(revision);
    await screenshot(page, '06-field-error');
    await page.close();
  });

  it('a partner with STATUS scope sees names and custody as withheld, never as empty', async () => {
    const admin = /First start: the system administrator's API key \(shown once, store it now\):\s+(trk_\S+)/.exec(tracker.output())![1]!;
    await registerOrganization(tracker.url, admin, 'status-watch', 'DEFENDER');
    const partner = await issueKey(tracker.url, admin, 'status-watch', 'watcher', 'ADVOCATE');
    await gql(keys[US]!, 'mutation($id: ID!) { giveConsent(input: { familyId: $id, consentId: "consent-watch", personId: "child-jose", purposes: ["monitoring"], recipientOrganizationIds: ["status-watch"] }) { revision } }', { id: joseFamily });
    await gql(keys[US]!, 'mutation($id: ID!) { referFamily(input: { familyId: $id, referralId: "watch", toOrganizationId: "status-watch", purpose: "monitoring", scope: STATUS }) { revision } }', { id: joseFamily });
    await gql(partner, 'mutation($id: ID!) { acceptReferral(input: { familyId: $id, referralId: "watch" }) { revision } }', { id: joseFamily });
    await waitUntil('the partner to see the family', async () => (await postGraphQL(tracker.url, partner, 'query($id: ID!) { family(id: $id) { id } }', { id: joseFamily })).data?.family !== null);

    const page = await browser.context.newPage();
    await signIn(page, partner);
    await page.goto(`${tracker.url}/#/family/${encodeURIComponent(joseFamily)}`);
    await page.getByTestId('viewer-scope').filter({ hasText: 'status only' }).waitFor();
    const children = page.getByTestId('children');
    expect(await children.getByText('withheld').count()).toBeGreaterThanOrEqual(3);
    expect(await page.getByTestId('relatives').getByText('withheld').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('main').textContent()).not.toMatch(/José|Oscar|Gloria/);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, '07-status-partner-withheld');
    await page.close();
  });

  it('a key revoked while the app is open: the next request returns to the sign-in page, and the key is forgotten', async () => {
    const admin = /First start: the system administrator's API key \(shown once, store it now\):\s+(trk_\S+)/.exec(tracker.output())![1]!;
    const boss = await issueKey(tracker.url, admin, 'demo-us-legal', 'office-admin', 'ADMIN');
    const issued = await gql(boss, 'mutation { issueApiKey(input: { userId: "short-lived", userName: "Short lived", role: ADVOCATE, label: "revoked in a test" }) { keyId apiKey } }');
    const page = await browser.context.newPage();
    await signIn(page, issued.issueApiKey.apiKey);
    // The heading shows before the family list has loaded: revoked before the list's own request
    // answered, that request already returned to the sign-in page and the link never came (the
    // race that made this scenario fail under load). Revoke only once the list is there.
    const josé = page.getByTestId('families').getByRole('link', { name: 'José' });
    await josé.waitFor();
    await gql(boss, 'mutation($id: ID!) { revokeApiKey(input: { keyId: $id }) { keyId } }', { id: issued.issueApiKey.keyId });
    await josé.click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await page.close();
  });

  it('switches to Spanish, remembered after a reload, with dates in Spanish', async () => {
    const page = await browser.context.newPage();
    await signIn(page, keys[US]!);
    await page.getByLabel('Language').selectOption('es');
    await page.getByRole('heading', { level: 1, name: 'Familias' }).waitFor();
    try {
    // The families' blockers in Spanish (blockers(language: "es")), none left in English.
    const blockers = page.getByRole('list', { name: 'Obstáculos' });
    await blockers.first().waitFor();
    const texts = await blockers.allTextContents();
    expect(texts.join(' ')).toMatch(/sin localizar desde|sin forma de contacto|pendiente de obtener|en espera de|sigue en detención/);
    expect(texts.join(' ')).not.toMatch(/not located|unreachable|requested|awaiting|still detained|no parent/);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Familias' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('es');
    await page.goto(`${tracker.url}/#/family/${encodeURIComponent(joseFamily)}`);
    await page.getByRole('heading', { name: 'Cronología' }).waitFor();
    const month = new Intl.DateTimeFormat('es', { month: 'short', timeZone: 'UTC' }).format(new Date());
    expect(await page.getByTestId('timeline').textContent()).toContain(month);
    // A server error in Spanish: its code and field in Spanish, then the server's reason (spanish-errors-lose-the-reason).
    await page.getByLabel('Elija un paso').selectOption('recordContactAttempt');
    const form = page.getByRole('form', { name: 'Intento de contacto' });
    await form.getByLabel('Canal').selectOption('PHONE');
    await form.getByLabel('Resultado').selectOption('NO_ANSWER');
    await form.getByLabel('Familiar').selectOption({ index: 1 });
    await form.getByLabel('Cuándo ocurrió').fill('2999-01-01T10:00');
    await form.getByRole('button', { name: 'Registrar' }).click();
    const when = form.getByLabel('Cuándo ocurrió');
    await expect.poll(() => when.getAttribute('aria-invalid')).toBe('true');
    const fieldError = (await page.locator(`[id="${(await when.getAttribute('aria-describedby'))!}"]`).textContent()) ?? '';
    expect(fieldError).toContain('no es válido');
    expect(fieldError).toMatch(/Motivo \(en inglés\): .*future/i);

    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, '08-spanish');
    } finally {
      // The language is remembered for the whole browser profile: back to English for the next scenarios.
      await page.evaluate(() => localStorage.removeItem('tracker.language'));
      await page.close();
    }
  });

  it('works on a phone-sized screen: nothing wider than the screen, the family list usable', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 375, height: 740 });
    await signIn(page, keys[US]!);
    await page.getByTestId('families').locator('> li').nth(4).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, '09-phone-home');
    await page.getByTestId('families').getByRole('link', { name: 'José' }).click();
    await page.getByRole('heading', { level: 1, name: 'José' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await screenshot(page, '10-phone-family');
    await page.close();
  });

  it('sent no request to any host but the tracker', () => {
    expect(browser.foreignRequests).toEqual([]);
  });
});

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../../infra/event-store/sqlite/sqlite-event-store.js';
import { familyEvents } from '../../support/family-load.js';
import { dataOf, issueKey, postGraphQL, registerOrganization } from '../../support/graphql-client.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { startTrackerProcess, type TrackerProcess } from '../../support/tracker-process.js';

/**
 * Regression: fifteen aliases of verifyFamilyHistory on a 3,000-event family verified the
 * stream fifteen times, each in one synchronous run, for 1.5 s, and a trivial query waited
 * behind them (p50 783 ms). Now one request verifies a family once whatever its aliases, a
 * verdict is reused while the head is unchanged, and hashing pauses between pages, so a trivial
 * query stays near its unloaded latency. Figures are ratios (the machine is shared).
 */
const ADMIN = 'verify-load-admin-key-0123456789abcdef';
const EVENTS = 3_000;
const temp = makeTempDir('tracker-verify-load-');
let tracker: TrackerProcess;
let key = '';
const families: string[] = [];

const TRIVIAL = '{ serverInfo { version } }';
const verifyQuery = (aliases: number) =>
  `query($id: ID!) { ${Array.from({ length: aliases }, (_, i) => `v${String(i)}: verifyFamilyHistory(familyId: $id) { ok events headHash }`).join(' ')} }`;
const timed = async <T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> => {
  const started = performance.now();
  const value = await run();
  return { ms: performance.now() - started, value };
};
const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const trivialLatency = async (): Promise<number> => (await timed(() => postGraphQL(tracker.url, key, TRIVIAL))).ms;

beforeAll(async () => {
  // Families 0, 4 and 8 of the load all belong to org-a; written before the start, as a long-lived store would hold them.
  const store = SqliteEventStore.open(join(temp.dir, 'events.sqlite'));
  for (const i of [0, 4, 8]) {
    const { familyId, stream, sealed } = familyEvents(i, 7, EVENTS);
    await store.appendToStream(stream, sealed as never, { expectedRevision: 'no_stream' });
    families.push(familyId);
  }
  await store.close();
  tracker = await startTrackerProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN, TRACKER_RATE_LIMIT_REQUESTS: '1000000' });
  await registerOrganization(tracker.url, ADMIN, 'org-a');
  key = await issueKey(tracker.url, ADMIN, 'org-a', 'org-a-advocate', 'ADVOCATE');
  const deadline = Date.now() + 30_000;
  while (!(await postGraphQL(tracker.url, key, 'query($id: ID!) { family(id: $id) { id } }', { id: families[2] })).data?.family) {
    if (Date.now() > deadline) throw new Error('the loaded families never appeared');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}, 90_000);
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

describe('verifyFamilyHistory on a long family', () => {
  it('fifteen aliases do the work once, a trivial query stays fast meanwhile, and the same head is not verified again', async () => {
    // Warm-up: the first run of each query shape compiles it.
    for (let i = 0; i < 5; i += 1) await trivialLatency();
    dataOf(await postGraphQL(tracker.url, key, verifyQuery(1), { id: families[2] }));
    dataOf(await postGraphQL(tracker.url, key, verifyQuery(15), { id: families[2] }));
    const unloaded: number[] = [];
    for (let i = 0; i < 30; i += 1) unloaded.push(await trivialLatency());

    const one = await timed(async () => dataOf(await postGraphQL(tracker.url, key, verifyQuery(1), { id: families[0] })));
    expect(one.value.v0).toMatchObject({ ok: true, events: expect.any(Number) });
    expect(one.value.v0.events).toBeGreaterThanOrEqual(EVENTS - 10);

    let loading = true;
    const fifteen = timed(async () => dataOf(await postGraphQL(tracker.url, key, verifyQuery(15), { id: families[1] }))).finally(() => (loading = false));
    const loaded: number[] = [];
    while (loading) loaded.push(await trivialLatency());
    const { ms: fifteenMs, value: verdicts } = await fifteen;
    const cached = await timed(async () => dataOf(await postGraphQL(tracker.url, key, verifyQuery(15), { id: families[1] })));

    const ratio = median(loaded) / median(unloaded);
    process.stdout.write(`[verify load] 1 alias ${one.ms.toFixed(0)} ms; 15 aliases ${fifteenMs.toFixed(0)} ms; again (same head) ${cached.ms.toFixed(0)} ms; trivial p50 ${median(unloaded).toFixed(1)} ms unloaded, ${median(loaded).toFixed(1)} ms during (${String(loaded.length)} samples, x${ratio.toFixed(1)})\n`);
    expect(new Set(Object.values(verdicts as Record<string, unknown>).map((verdict) => JSON.stringify(verdict))).size).toBe(1);
    expect(verdicts.v0).toMatchObject({ ok: true });
    expect(cached.value).toEqual(verdicts);
    // Fifteen verifications would take about fifteen times one.
    expect(fifteenMs).toBeLessThan(one.ms * 4);
    expect(cached.ms).toBeLessThan(one.ms);
    expect(ratio).toBeLessThan(10);
  }, 60_000);
});

describe('verifying a long stream is charged by its length', () => {
  const LIMIT = 40;
  let other = '';
  beforeAll(async () => {
    expect(await tracker.stop()).toBe(0);
    tracker = await startTrackerProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN, TRACKER_RATE_LIMIT_REQUESTS: String(LIMIT), TRACKER_RATE_LIMIT_WINDOW_SECONDS: '60' });
    other = await issueKey(tracker.url, ADMIN, 'org-a', 'org-a-second', 'ADVOCATE');
  }, 60_000);

  it(`a fresh verification of ${String(EVENTS)} events costs ${String(EVENTS / 100)} requests; the next one is RATE_LIMITED; a verdict already known costs one`, async () => {
    // A fresh tracker: no verdict is known yet.
    const first = await postGraphQL(tracker.url, key, verifyQuery(15), { id: families[0] });
    expect(first.data?.v0).toMatchObject({ ok: true });
    const refused = await fetch(`${tracker.url}/graphql`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: verifyQuery(1), variables: { id: families[1] } }),
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await refused.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('RATE_LIMITED');
    // Another key asks for the verdict on the same head: one request each, well within its limit.
    for (let i = 0; i < 10; i += 1) expect(dataOf(await postGraphQL(tracker.url, other, verifyQuery(15), { id: families[0] })).v14).toMatchObject({ ok: true });
  }, 30_000);
});

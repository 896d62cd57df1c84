import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../infra/event-store/sqlite/sqlite-event-store.js';
import { dataOf, issueKey, postGraphQL } from '../support/graphql-client.js';
import { loadFamilies } from '../support/family-load.js';
import { SUBSCRIPTION, subscribe } from '../support/subscription-clients.js';
import { makeTempDir } from '../support/temp-dir.js';
import { startTrackerProcess, type TrackerProcess } from '../support/tracker-process.js';

/**
 * A subscriber that opens an SSE stream and never reads it, while more than 10,000 status changes
 * happen (written into the store by another process, as a second writer would). The server must
 * keep serving a second subscriber, in order and completely, and its memory must stay bounded:
 * nothing queues up per subscriber (notify, then pull).
 */
const ADMIN = 'slow-subscriber-admin-key-012345678';
const FAMILIES = 4_000;
const temp = makeTempDir('tracker-slow-subscriber-');
let tracker: TrackerProcess;

const rssMegabytes = (pid: number): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${String(pid)}/status`, 'utf8'))?.[1] ?? 0) / 1024;

beforeAll(async () => {
  tracker = await startTrackerProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN });
});
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

describe('a subscriber that never reads', () => {
  it('neither crashes the server nor slows another subscriber, and memory stays bounded', async () => {
    // Auditors of the system organisation see every family's status.
    const auditor = await issueKey(tracker.url, ADMIN, 'system', 'system-auditor', 'AUDITOR');
    const silent = await fetch(`${tracker.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${auditor}` },
      body: JSON.stringify({ query: SUBSCRIPTION, variables: { after: '0' } }),
    });
    expect(silent.status).toBe(200);
    const reader = subscribe('ws', tracker.url, auditor, { after: '0' });
    const rssBefore = rssMegabytes(tracker.child.pid!);

    const store = SqliteEventStore.open(join(temp.dir, 'events.sqlite'));
    await loadFamilies(store, FAMILIES, 8);
    await store.close();

    const changes = [];
    for (;;) {
      const batch = await reader.take(1_000, 5_000);
      changes.push(...batch);
      if (batch.length < 1_000) break;
    }
    const rssAfter = rssMegabytes(tracker.child.pid!);
    process.stdout.write(`[slow subscriber] ${String(changes.length)} changes delivered to the reading subscriber; server RSS ${rssBefore.toFixed(0)} MB -> ${rssAfter.toFixed(0)} MB\n`);

    expect(changes.length).toBeGreaterThan(10_000);
    expect(changes.every((result) => result.change)).toBe(true);
    const positions = changes.map((result) => BigInt(result.change!.cursor));
    expect(positions.every((position, i) => i === 0 || position > positions[i - 1]!)).toBe(true);
    expect(rssAfter - rssBefore).toBeLessThan(150);
    expect(dataOf(await postGraphQL(tracker.url, auditor, '{ families(first: 1) { totalCount } }')).families.totalCount).toBe(FAMILIES);

    await reader.close();
    await silent.body?.cancel();
  }, 120_000);
});

import { readFileSync } from 'node:fs';
import { issueKey, postGraphQL } from '../support/graphql-client.js';
import { SUBSCRIPTION } from '../support/subscription-clients.js';
import { makeTempDir } from '../support/temp-dir.js';
import { startTrackerProcess, type TrackerProcess } from '../support/tracker-process.js';
import { formatRatio, type BenchRow } from './table.js';

const ADMIN = 'bench-subscriptions-admin-key-0123';

const procStatus = (pid: number, field: 'VmHWM' | 'VmRSS'): number =>
  Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${String(pid)}/status`, 'utf8'))?.[1] ?? 0) / 1024;

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

/** One SSE subscriber on a raw fetch stream: records, per change, now minus the change's recordedAt. */
const openSubscriber = async (url: string, key: string, after: string | null, latencies: number[], received: { count: number }) => {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: SUBSCRIPTION, variables: { after } }),
  });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const pump = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = /^data: (.+)$/m.exec(message)?.[1];
        if (!message.startsWith('event: next') || !data) continue;
        const change = (JSON.parse(data) as { data?: { familyStatusChanged?: { recordedAt: string } } }).data?.familyStatusChanged;
        if (change) {
          latencies.push(Date.now() - Date.parse(change.recordedAt));
          received.count += 1;
        }
      }
    }
  })().catch(() => undefined);
  return { close: async () => { await reader.cancel().catch(() => undefined); await pump; } };
};

interface FanOut { readonly p50: number; readonly p99: number; readonly delivered: number; readonly expected: number; readonly peakMb: number; readonly seconds: number }

/** `subscribers` SSE subscribers follow `changes` new families being opened over HTTP. */
const fanOut = async (subscribers: number, changes: number): Promise<FanOut> => {
  const temp = makeTempDir('tracker-bench-subscriptions-');
  let tracker: TrackerProcess | undefined;
  try {
    tracker = await startTrackerProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN, TRACKER_RATE_LIMIT_REQUESTS: '0' });
    const advocate = await issueKey(tracker.url, ADMIN, 'system', 'bench-advocate', 'ADVOCATE');
    const head = (await postGraphQL(tracker.url, advocate, '{ familyStatusChanges(first: 1) { endCursor } }')).data.familyStatusChanges.endCursor as string | null;
    const latencies: number[] = [];
    const received = { count: 0 };
    const streams = await Promise.all(Array.from({ length: subscribers }, () => openSubscriber(tracker!.url, advocate, head, latencies, received)));
    const started = performance.now();
    for (let i = 0; i < changes; i += 1) await postGraphQL(tracker.url, advocate, 'mutation { openFamilyCase(input: { programme: SIJ }) { revision } }');
    const expected = subscribers * changes;
    const deadline = Date.now() + 120_000;
    while (received.count < expected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const seconds = (performance.now() - started) / 1000;
    const peakMb = procStatus(tracker.child.pid!, 'VmHWM');
    await Promise.all(streams.map((stream) => stream.close()));
    return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), delivered: received.count, expected, peakMb, seconds };
  } finally {
    await tracker?.stop();
    temp.remove();
  }
};

/** 500 SSE subscribers and 1,000 status changes, against one subscriber and the same changes. */
export const benchSubscriptions = async (subscribers = 500, changes = 1_000): Promise<BenchRow[]> => {
  const one = await fanOut(1, changes);
  const many = await fanOut(subscribers, changes);
  const label = `${String(subscribers)} SSE subscribers x ${changes.toLocaleString('en-US')} status changes`;
  return [
    {
      benchmark: `${label}: delivery latency p50 / p99`,
      value: `${String(many.p50)} / ${String(many.p99)} ms`,
      baseline: `${String(one.p50)} / ${String(one.p99)} ms with 1 subscriber`,
      ratio: formatRatio(one.p99 || 1, many.p99 || 1),
      target: '-',
    },
    {
      benchmark: `${label}: delivered, server peak memory`,
      value: `${many.delivered.toLocaleString('en-US')} of ${many.expected.toLocaleString('en-US')} in ${many.seconds.toFixed(1)} s; ${many.peakMb.toFixed(0)} MB`,
      baseline: `${one.peakMb.toFixed(0)} MB with 1 subscriber`,
      ratio: formatRatio(one.peakMb, many.peakMb),
      target: 'all delivered',
    },
  ];
};

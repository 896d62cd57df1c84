import { spawn } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil, within } from '../../support/async.js';
import { dataOf, postGraphQL } from '../../support/graphql-client.js';
import { makeTempDir } from '../../support/temp-dir.js';

/**
 * Issue 16, item 3: the first run as a newcomer meets it, through the real `npm start -- --demo`
 * process with no HOST set. Broke: the server listened on every interface while its log said
 * localhost; log times were epoch milliseconds; `npm run demo` printed port 4000 whatever the
 * server used (with another data dir its keys were rejected).
 */
const ROOT = join(import.meta.dirname, '../../..');
const temp = makeTempDir('tracker-first-run-');
let stdout = '';
let stderr = '';
let exited: Promise<number | null>;
let stop: () => void;

const ADMIN_NOTICE = /First start: the system administrator's API key \(shown once, store it now\):\s+(trk_\S+)/;
const DEMO_NOTICE = /Loaded 5 demo families into [^\n]+\n[\s\S]*?Sign in at (http:\/\/\S+)\/ with one of them/;

beforeAll(async () => {
  const env: Record<string, string | undefined> = { ...process.env, PORT: '0', LOG_LEVEL: 'info', TRACKER_DATA_DIR: temp.dir };
  delete env.HOST;
  delete env.TRACKER_HOST;
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/main.ts', '--demo'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  stop = () => child.kill('SIGTERM');
  await waitUntil('the demo keys on stderr', () => DEMO_NOTICE.test(stderr), 60_000);
});

afterAll(async () => {
  stop();
  await within(10_000, exited, 'tracker stop');
  temp.remove();
});

const logLines = (): Array<Record<string, unknown>> =>
  stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);

const listeningUrl = (): string => String(logLines().find((line) => line.msg === 'listening')?.url);

describe('npm start -- --demo, with no HOST set', () => {
  it('listens on loopback only, and its log names that address', async () => {
    const url = new URL(listeningUrl());
    expect(url.hostname).toBe('127.0.0.1');
    expect((await fetch(`${url.origin}/healthz`)).status).toBe(200);
    const outside = Object.values(networkInterfaces()).flat().find((address) => address && !address.internal && address.family === 'IPv4');
    if (!outside) {
      console.log('skipped the non-loopback probe: this machine has no non-loopback IPv4 address');
      return;
    }
    await expect(fetch(`http://${outside.address}:${url.port}/healthz`, { signal: AbortSignal.timeout(5_000) })).rejects.toThrow();
  });

  it('logs ISO 8601 UTC times on every line', () => {
    const lines = logLines();
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('prints the administrator key once, on the terminal (stderr), never in the JSON logs', () => {
    const key = ADMIN_NOTICE.exec(stderr)?.[1];
    expect(key).toMatch(/^trk_/);
    expect(stderr.split(key!).length - 1).toBe(1);
    expect(stdout).not.toContain(key!);
  });

  it("prints the demo keys with the server's real address, and they work there", async () => {
    const printed = DEMO_NOTICE.exec(stderr)?.[1];
    expect(printed).toBe(listeningUrl());
    expect(new URL(printed!).port).not.toBe('4000');
    const keys = [...stderr.matchAll(/ {2}(.+) \(demo\):\n {4}(trk_\S+)/g)].map((match) => match[2]!);
    expect(keys).toHaveLength(4);
    expect(dataOf(await postGraphQL(printed!, keys[0]!, '{ families(first: 10) { totalCount } }')).families.totalCount).toBe(5);
  });

  it('a lost demo key: the administrator issues a new one for the demo advocate (README, "New API keys")', async () => {
    const url = listeningUrl();
    const admin = ADMIN_NOTICE.exec(stderr)![1]!;
    const issued = dataOf(await postGraphQL(url, admin, 'mutation { issueApiKey(input: { organizationId: "demo-us-legal", userId: "demo-us-legal-advocate", userName: "Demo advocate", role: ADVOCATE, label: "replacement" }) { apiKey } }'));
    const key = issued.issueApiKey.apiKey as string;
    expect(dataOf(await postGraphQL(url, key, '{ viewer { organization { id } } families(first: 10) { totalCount } }'))).toEqual({ viewer: { organization: { id: 'demo-us-legal' } }, families: { totalCount: 5 } });
  });
});

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { dataOf, issueKey, postGraphQL, registerOrganization } from '../../support/graphql-client.js';
import { subscribe } from '../../support/subscription-clients.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { startTrackerProcess, type TrackerProcess } from '../../support/tracker-process.js';

/**
 * Regression (issue 12, finding 5): errors and logs repeated what the client sent. 632 of 5,500
 * fuzzed responses echoed input (ids in "not found" messages, organisation ids, values); a 900 KB
 * id wrote 880 KB of log per request; over WebSocket, parse errors skipped the filter (close
 * reason, raw console.error); validation failures were logged at error level.
 *
 * Canaries go in through every entry point (GraphQL queries and mutations over HTTP, SSE and
 * WebSocket subscriptions, raw WebSocket messages, the CLI), as ids, values, names written in
 * the operation, commandIds, and one id of 900 KB. No response, close reason, CLI output or line
 * of the server's whole log (at debug level) may contain one, and every log line stays small.
 */
const ADMIN = 'echo-admin-key-0123456789abcdefg';
const ROOT = join(import.meta.dirname, '../../..');
const temp = makeTempDir('tracker-echo-');
let tracker: TrackerProcess;
let advocate = '';
let orgAdmin = '';
let ownFamily = '';

let serial = 0;
/** A fresh canary: a valid-looking id, unique, and easy to find in any text. */
const canary = (): string => `Zqxc${String((serial += 1))}anary`;
const BIG = `Zqxbig${'y'.repeat(900_000)}`;
const CANARY_PATTERN = /Zqxc\d+anary|Zqxbig/;
/** Everything that came back from the tracker, scanned at the end as well as probe by probe. */
const seen: string[] = [];

const expectClean = (what: string, text: string): void => {
  seen.push(text);
  expect(CANARY_PATTERN.exec(text)?.[0], what).toBeUndefined();
};

const gql = async (key: string, query: string, variables: Record<string, unknown> = {}) => {
  const response = await postGraphQL(tracker.url, key, query, variables);
  expectClean(query.slice(0, 80), JSON.stringify(response));
  return response;
};

beforeAll(async () => {
  tracker = await startTrackerProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN, LOG_LEVEL: 'debug' });
  await registerOrganization(tracker.url, ADMIN, 'echo-org');
  advocate = await issueKey(tracker.url, ADMIN, 'echo-org', 'echo-advocate', 'ADVOCATE');
  orgAdmin = await issueKey(tracker.url, ADMIN, 'echo-org', 'echo-admin', 'ADMIN');
  ownFamily = dataOf(await postGraphQL(tracker.url, advocate, 'mutation { openFamilyCase(input: { programme: SIJ }) { family { id } } }')).openFamilyCase.family.id as string;
  dataOf(await postGraphQL(tracker.url, advocate, 'mutation($id: ID!) { registerChild(input: { familyId: $id, childId: "c", givenName: "Ana", birthDate: "2012-01-01", nationality: "HN" }) { revision } }', { id: ownFamily }));
});
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

/** Queries that take an id or a value, each given a canary (and once the 900 KB id). */
const QUERIES: ReadonlyArray<readonly [string, (value: string) => Record<string, unknown>]> = [
  ['query($v: ID!) { familyHistory(familyId: $v) { totalCount } }', (v) => ({ v })],
  ['query($v: ID!) { verifyFamilyHistory(familyId: $v) { ok } }', (v) => ({ v })],
  ['query($v: ID!) { familyAccessLog(familyId: $v) { userId } }', (v) => ({ v })],
  ['query($v: ID!) { familyStatusChanges(familyIds: [$v]) { endCursor } }', (v) => ({ v })],
  ['query($v: String) { familyStatusChanges(after: $v) { endCursor } }', (v) => ({ v })],
  ['query($v: String) { families(after: $v) { totalCount } }', (v) => ({ v })],
  ['query($v: ID!) { webhookDeliveries(webhookId: $v) { hasMore } }', (v) => ({ v })],
  ['query($v: DateTime) { families(filter: { updatedSince: $v }) { totalCount } }', (v) => ({ v })],
  ['query($id: ID!, $v: DateTime) { family(id: $id, asOf: $v) { id } }', (v) => ({ id: ownFamily, v })],
  ['query($v: Int) { families(first: $v) { totalCount } }', (v) => ({ v })],
  ['query($v: Relationship) { families(first: 1) { totalCount } x: family(id: "x") { relatives { id } } }', (v) => ({ v })],
];

/** Mutations that take ids or values: unknown ids (NOT_FOUND) and malformed values. */
const MUTATIONS: ReadonlyArray<readonly [string, string, (value: string) => Record<string, unknown>]> = [
  ['advocate', 'mutation($v: ID!) { addRelative(input: { familyId: $v, relativeId: "r", relationship: AUNT, givenName: "A" }) { revision } }', (v) => ({ v })],
  ['advocate', 'mutation($id: ID!, $v: ID!) { recordContactAttempt(input: { familyId: $id, relativeId: $v, channel: PHONE, result: NO_ANSWER }) { revision } }', (v) => ({ id: ownFamily, v })],
  ['advocate', 'mutation($id: ID!, $v: ID!) { acceptReferral(input: { familyId: $id, referralId: $v }) { revision } }', (v) => ({ id: ownFamily, v })],
  ['advocate', 'mutation($id: ID!, $v: ID!) { registerChild(input: { familyId: $id, childId: "c", givenName: $v, birthDate: "2012-01-01", nationality: "HN" }) { revision } }', (v) => ({ id: ownFamily, v })],
  ['advocate', 'mutation($id: ID!, $v: Date!) { registerChild(input: { familyId: $id, childId: "d", givenName: "A", birthDate: $v, nationality: "HN" }) { revision } }', (v) => ({ id: ownFamily, v })],
  ['advocate', 'mutation($id: ID!, $v: CountryCode!) { recordChildRepatriated(input: { familyId: $id, childId: "c", country: $v, repatriatedOn: "2024-01-01" }) { revision } }', (v) => ({ id: ownFamily, v })],
  ['advocate', 'mutation($id: ID!, $v: ID!) { registerChild(input: { familyId: $id, childId: $v, givenName: "A", birthDate: "2012-01-01", nationality: "HN", commandId: $v }) { revision } }', (v) => ({ id: ownFamily, v: `${v} with a space` })],
  ['advocate', 'mutation($id: ID!, $v: ID!) { addRelative(input: { familyId: $id, relativeId: "q", relationship: AUNT, givenName: "A", expectedRevision: 999, commandId: $v }) { revision } }', (v) => ({ id: ownFamily, v })],
  ['advocate', 'mutation($id: ID!, $v: String!) { recordFollowUp(input: { familyId: $id, childId: "c", note: $v }) { revision } }', (v) => ({ id: ownFamily, v: `${v}\u202E` })],
  ['advocate', 'mutation($id: ID!, $v: ID!) { grantAccess(input: { familyId: $id, grantId: "g", organizationId: "echo-org", scope: FULL, expiresAt: $v }) { revision } }', (v) => ({ id: ownFamily, v })],
  ['admin', 'mutation($v: ID!) { deactivateOrganization(input: { organizationId: $v, reason: "x" }) { position } }', (v) => ({ v })],
  ['admin', 'mutation($v: ID!) { revokeApiKey(input: { organizationId: $v, keyId: "k" }) { keyId } }', (v) => ({ v })],
  ['admin', 'mutation($v: ID!) { revokeApiKey(input: { keyId: $v }) { keyId } }', (v) => ({ v })],
  ['admin', 'mutation($v: ID!) { appointAuditor(input: { auditorOrganizationId: $v }) { position } }', (v) => ({ v })],
  ['admin', 'mutation($v: ID!) { registerOrganization(input: { organizationId: $v, name: "n", kind: PARTNER_NGO }) { replayed } }', (v) => ({ v: `${v}!` })],
  ['admin', 'mutation($v: String!) { registerOrganization(input: { organizationId: "named-org", name: $v, kind: PARTNER_NGO }) { replayed } }', (v) => ({ v: `${v}\u0000` })],
  ['orgAdmin', 'mutation($v: ID!) { revokeApiKey(input: { organizationId: $v, keyId: "k" }) { keyId } }', (v) => ({ v })],
  ['orgAdmin', 'mutation($v: String!) { issueApiKey(input: { userId: "u2", userName: $v, role: PARTNER, label: "l" }) { keyId } }', (v) => ({ v: `${v}\u2066` })],
  ['orgAdmin', 'mutation($v: String!) { registerWebhook(input: { url: $v }) { secret } }', (v) => ({ v: `https://example.org/${v}\u0007` })],
  ['orgAdmin', 'mutation($v: ID!) { removeWebhook(input: { webhookId: $v }) { webhookId } }', (v) => ({ v })],
  ['orgAdmin', 'mutation($v: ID!) { replayWebhookDelivery(input: { deliveryId: $v }) { id } }', (v) => ({ v })],
];
const keyOf = (who: string): string => (who === 'admin' ? ADMIN : who === 'orgAdmin' ? orgAdmin : advocate);

describe('HTTP: no response repeats a value the client sent', () => {
  it.each(QUERIES.map(([query, variables]) => [query, variables] as const))('%s', async (query, variables) => {
    for (const value of [canary(), BIG]) {
      const response = await gql(advocate, query, variables(value));
      expect(response.errors?.length ?? 0, 'the canary is refused or unknown').toBeGreaterThan(0);
    }
  });

  it.each(MUTATIONS.map(([who, query, variables]) => [query, who, variables] as const))('%s', async (query, who, variables) => {
    for (const value of [canary(), BIG]) {
      const response = await gql(keyOf(who), query, variables(value));
      expect(response.errors?.length ?? 0).toBeGreaterThan(0);
      expect(response.errors?.[0]?.extensions.code).not.toBe('INTERNAL_SERVER_ERROR');
    }
  });

  it('names written in the operation itself: fields, arguments, aliases, variables, fragments, operation names, syntax', async () => {
    const c = canary;
    const operations: Array<[string, Record<string, unknown>, string?]> = [
      [`{ family(id: "x") { id ${c()} } }`, {}],
      [`{ family(id: "x", ${c()}: 1) { id } }`, {}],
      [((alias: string) => `{ ${alias}: viewer { userId } ${alias}: serverInfo { version } }`)(c()), {}],
      [`query($${c()}: Int) { families(first: 1) { totalCount } }`, {}],
      [`query($${c()}: Int) { families(first: $${'x'}) { totalCount } }`, {}],
      [`{ family(id: "x") { ...${c()} } }`, {}],
      [`{ family(id: "x") @${c()} { id } }`, {}],
      [`{ family(id: "x") { id } } ${c()}`, {}],
      [`{ family(id: ${c()}) { id } }`, {}],
      [`{ family(id: "x") { id } ${BIG} }`, {}],
      ['query A { viewer { userId } } query B { viewer { userId } }', {}, c()],
    ];
    for (const [query, variables, operationName] of operations) {
      const response = await fetch(`${tracker.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${advocate}` },
        body: JSON.stringify({ query, variables, ...(operationName ? { operationName } : {}) }),
      });
      const text = await response.text();
      expect(response.status, query.slice(0, 80)).toBeLessThan(500);
      expectClean(query.slice(0, 80), text);
    }
  });
});

describe('subscriptions: SSE and WebSocket', () => {
  it.each(['sse', 'ws'] as const)('%s: an unknown family id and a bad cursor are refused without repeating them', async (transport) => {
    for (const variables of [{ ids: [canary()] }, { ids: [BIG] }, { after: canary() }]) {
      const subscription = subscribe(transport, tracker.url, advocate, variables);
      const results = await subscription.take(1, 5_000);
      await subscription.close();
      expect(results[0]?.error?.code).toMatch(/NOT_FOUND|BAD_USER_INPUT/);
      expectClean(`${transport} subscription`, JSON.stringify(results));
    }
  });

  it('raw WebSocket: syntax errors, unknown fields and values are filtered like HTTP; a malformed message closes without repeating it', async () => {
    const socket = new WebSocket(`${tracker.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    const received: string[] = [];
    const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    const messages: string[] = [];
    let arrived: () => void = () => undefined;
    socket.on('message', (data: Buffer) => {
      messages.push(data.toString());
      arrived();
    });
    /** The next message from the server (the tracker answers within a few seconds, or the test fails). */
    const next = async (): Promise<string> => {
      const deadline = Date.now() + 10_000;
      while (messages.length === 0 && Date.now() < deadline) await new Promise<void>((resolve) => { arrived = resolve; setTimeout(resolve, 200); });
      const message = messages.shift();
      if (message === undefined) throw new Error('no message from the server');
      return message;
    };
    /** Messages for one operation, up to its error or its completion. */
    const answerTo = async (id: string): Promise<string[]> => {
      const answer: string[] = [];
      for (;;) {
        const message = await next();
        answer.push(message);
        const parsed = JSON.parse(message) as { id?: string; type: string };
        if (parsed.id === id && (parsed.type === 'error' || parsed.type === 'complete')) return answer;
      }
    };
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${advocate}` } }));
    expect(JSON.parse(await next()).type).toBe('connection_ack');
    const operations: Array<[string, Record<string, unknown>]> = [
      [`{ family(id: "x") { id } ${canary()}`, {}],
      [`{ family(id: "x") { ${canary()} } }`, {}],
      [`query($v: Int) { families(first: $v) { totalCount } }`, { v: canary() }],
      ['query($v: ID!) { familyHistory(familyId: $v) { totalCount } }', { v: BIG.slice(0, 500_000) }],
      ['subscription($v: [ID!]) { familyStatusChanged(familyIds: $v) { cursor } }', { v: [canary()] }],
    ];
    for (const [index, [query, variables]] of operations.entries()) {
      socket.send(JSON.stringify({ id: String(index), type: 'subscribe', payload: { query, variables } }));
      const answer = await answerTo(String(index));
      received.push(...answer);
      // Every operation here is refused: an error message, or a result that carries errors.
      expect(answer.some((message) => message.includes('"errors"') || JSON.parse(message).type === 'error'), query).toBe(true);
    }
    socket.send(`{"type": "subscribe", "id": "${canary()}", "payload": ${canary()}`);
    const { code, reason } = await closed;
    expect(code).toBe(4400);
    expectClean('raw websocket', JSON.stringify({ received, reason }));
  });
});

describe('the CLI', () => {
  const cli = (...args: string[]) => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'infra/cli/tracker-cli.ts', ...args], {
      cwd: ROOT, env: { ...process.env, TRACKER_DATA_DIR: temp.dir }, encoding: 'utf8', timeout: 60_000,
    });
    return { code: run.status, output: `${run.stdout}${run.stderr}` };
  };

  it.each([
    () => ['replay', '--family', canary()],
    () => ['replay', '--family', ownFamily, '--as-of', canary()],
    () => ['replay', '--family', ownFamily, '--at-revision', canary()],
    () => ['export', '--family', canary()],
    () => ['export', '--include-personal-data', '--key', canary()],
    () => ['projections', 'rebuild', canary()],
  ])('refuses input without repeating it (%#)', (args) => {
    const run = cli(...args());
    expect(run.code).not.toBe(0);
    expectClean('cli', run.output);
  });
});

describe('names and free text with control or bidirectional formatting characters', () => {
  it.each([
    ['givenName', 'mutation($id: ID!, $v: String!) { addRelative(input: { familyId: $id, relativeId: "r1", relationship: AUNT, givenName: $v }) { revision } }', 'Ana\u202Eanirak'],
    ['givenName', 'mutation($id: ID!, $v: String!) { addRelative(input: { familyId: $id, relativeId: "r2", relationship: AUNT, givenName: $v }) { revision } }', 'Ana\u0000'],
    ['familyName', 'mutation($id: ID!, $v: String!) { addRelative(input: { familyId: $id, relativeId: "r3", relationship: AUNT, givenName: "A", familyName: $v }) { revision } }', 'López\nGarcía'],
    ['narrative', 'mutation($id: ID!, $v: String!) { raiseRedFlag(input: { familyId: $id, flagId: "f1", category: SAFETY, subjectPersonId: "c", narrative: $v }) { revision } }', 'two\u2067lines'],
    ['phone', 'mutation($id: ID!, $v: String!) { addRelative(input: { familyId: $id, relativeId: "r4", relationship: AUNT, givenName: "A", phone: $v }) { revision } }', '+1 555\u0085 0100'],
  ])('%s is refused as BAD_USER_INPUT naming the field, and nothing is recorded', async (field, mutation, value) => {
    const before = dataOf(await gql(advocate, 'query($id: ID!) { family(id: $id) { revision } }', { id: ownFamily })).family.revision as number;
    const response = await gql(advocate, mutation, { id: ownFamily, v: value });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(dataOf(await gql(advocate, 'query($id: ID!) { family(id: $id) { revision } }', { id: ownFamily })).family.revision).toBe(before);
  });

  it('free text keeps ordinary line breaks and tabs; names do not', async () => {
    const note = 'Spoke with the aunt.\n\tShe will call back on Monday.';
    dataOf(await gql(advocate, 'mutation($id: ID!, $v: String!) { recordFollowUp(input: { familyId: $id, childId: "c", note: $v }) { revision } }', { id: ownFamily, v: note }));
    const history = dataOf(await gql(advocate, 'query($id: ID!) { familyHistory(familyId: $id, first: 50) { edges { node { type data } } } }', { id: ownFamily })).familyHistory.edges;
    expect(JSON.stringify(history)).toContain(JSON.stringify(note).slice(1, -1));
  });
});

describe('the log', () => {
  it('the whole log of this server, at debug level, names no canary, and no line is longer than 2,000 characters', () => {
    const output = tracker.output();
    expect(output.length).toBeGreaterThan(1_000);
    expect(CANARY_PATTERN.exec(output)?.[0]).toBeUndefined();
    const longest = Math.max(...output.split('\n').map((line) => line.length));
    expect(longest).toBeLessThanOrEqual(2_000);
    // The many 900 KB requests above wrote a few KB of log, not megabytes.
    expect(output.length).toBeLessThan(1_000_000);
  });

  it('client errors are logged at info level with their code, never at error level', () => {
    const lines = tracker.output().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { level: number; msg: string; code?: string });
    expect(lines.filter((line) => line.msg === 'client error').length).toBeGreaterThan(20);
    expect(lines.filter((line) => line.msg === 'client error').every((line) => line.level === 30 && typeof line.code === 'string')).toBe(true);
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
  });

  it('nothing the tracker sent back, over any entry point, named a canary', () => {
    expect(seen.length).toBeGreaterThan(60);
    expect(seen.filter((text) => CANARY_PATTERN.test(text))).toEqual([]);
  });
});

import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../support/temp-dir.js';
import { startTrackerInProcess, type Tracker } from '../support/in-process-tracker.js';
import { postGraphQL } from '../support/graphql-client.js';

const KEY = 'concurrency-admin-key-0123456789';
const temp = makeTempDir('tracker-concurrency-');
let tracker: Tracker;
let familyId = '';

const gql = (query: string, variables: Record<string, unknown> = {}) => postGraphQL(tracker.url, KEY, query, variables);

const ADD = 'mutation($input: AddRelativeInput!) { addRelative(input: $input) { revision position replayed family { revision } } }';
const start = () => startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: KEY });
const eventsOf = (id: string): number => {
  const db = new Database(join(temp.dir, 'events.sqlite'), { readonly: true });
  const { n } = db.prepare('SELECT count(*) AS n FROM events e JOIN streams s USING (stream_id) WHERE s.name = ?').get(`family-${id}`) as { n: number };
  db.close();
  return n;
};

beforeAll(async () => {
  tracker = await start();
  familyId = (await gql('mutation { openFamilyCase(input: { programme: SEPARATED_FAMILY }) { family { id } } }')).data.openFamilyCase.family.id;
});
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

describe('idempotency and concurrency over HTTP', () => {
  it('the same commandId 5 times at once, then 5 times after a restart: one set of events, identical answers', async () => {
    const input = { familyId, relativeId: 'father', relationship: 'FATHER', givenName: 'José', commandId: 'add-father-once' };
    const first = await Promise.all(Array.from({ length: 5 }, () => gql(ADD, { input })));
    await tracker.stop();
    tracker = await start();
    const after = await Promise.all(Array.from({ length: 5 }, () => gql(ADD, { input })));
    const answers = [...first, ...after].map((r) => {
      const { replayed: _replayed, ...rest } = r.data.addRelative as { replayed: boolean };
      return rest;
    });
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect([...first, ...after].filter((r) => !r.data.addRelative.replayed)).toHaveLength(1);
    expect(eventsOf(familyId)).toBe(2);

    const reused = await gql(ADD, { input: { ...input, givenName: 'Someone else' } });
    expect(reused.errors?.[0]?.extensions).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('20 concurrent mutations on one family all succeed; a stale expectedRevision is CONFLICT', async () => {
    const before = eventsOf(familyId);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => gql(ADD, { input: { familyId, relativeId: `r${String(i)}`, relationship: 'AUNT', givenName: `Aunt ${String(i)}` } })),
    );
    expect(results.filter((r) => r.errors)).toEqual([]);
    expect(new Set(results.map((r) => r.data.addRelative.revision)).size).toBe(20);
    expect(eventsOf(familyId)).toBe(before + 20);

    const stale = await gql(ADD, { input: { familyId, relativeId: 'late', relationship: 'UNCLE', givenName: 'Late', expectedRevision: 1 } });
    expect(stale.errors?.[0]?.extensions.code).toBe('CONFLICT');
    expect(eventsOf(familyId)).toBe(before + 20);
  });
});

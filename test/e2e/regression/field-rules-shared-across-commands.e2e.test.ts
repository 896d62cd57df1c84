import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newEventId } from '../../../infra/event-store/event-id.js';
import { SqliteEventStore } from '../../../infra/event-store/sqlite/sqlite-event-store.js';
import { executeFamilyCommand } from '../../../services/family/family-service.js';
import type { Actor } from '../../../services/shared/decider.js';
import { DomainError } from '../../../services/shared/domain-error.js';
import { issueKey, registerOrganization } from '../../support/graphql-client.js';
import { startTrackerInProcess, type Tracker } from '../../support/in-process-tracker.js';
import { makeTempDir } from '../../support/temp-dir.js';

/**
 * Regression (issue 14, item 9): the command checks were keyed by field name, so the rule for
 * `kind` was the union of the deadline, identifier and concern kinds, and `SetDeadline { kind:
 * "PASSPORT" }` passed and was recorded by every caller the GraphQL enum does not stand in front
 * of (the CLI, the demo loader, any service calling the family service). Each command now has its
 * own definition: SetDeadline.kind takes the deadline kinds only, BAD_USER_INPUT naming `kind`
 * without repeating the value, and nothing is recorded, on the tracker's own SQLite store.
 */
const KEY = 'field-rules-admin-key-0123456789';
const temp = makeTempDir('tracker-field-rules-');
let tracker: Tracker;
let familyId = '';
let advocate = '';
const actor: Actor = { userId: 'rules-advocate', organizationId: 'rules-org', role: 'ADVOCATE' };

const gql = async (query: string, variables: Record<string, unknown> = {}) => {
  const response = await fetch(`${tracker.url}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${advocate}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: Record<string, any>; errors?: Array<{ message: string; extensions?: { code?: string; field?: string } }> };
};

const storedEvents = (): number => {
  const db = new Database(join(temp.dir, 'events.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

/** Runs one command through the family service on the tracker's own event store file, as the CLI does. */
const execute = async (fields: Record<string, unknown>): Promise<unknown> => {
  const store = SqliteEventStore.open(join(temp.dir, 'events.sqlite'));
  const issuedAt = new Date().toISOString();
  try {
    return await executeFamilyCommand({ store, newEventId }, { type: 'SetDeadline', familyId, actor, issuedAt, occurredAt: issuedAt, deadlineId: 'd-1', dueOn: '2031-01-01', ...fields } as never);
  } catch (error) {
    return error;
  } finally {
    await store.close();
  }
};

beforeAll(async () => {
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: KEY });
  await registerOrganization(tracker.url, KEY, actor.organizationId);
  advocate = await issueKey(tracker.url, KEY, actor.organizationId, actor.userId, 'ADVOCATE');
  const opened = await gql('mutation { openFamilyCase(input: { programme: SIJ }) { family { id } } }');
  familyId = opened.data?.['openFamilyCase'].family.id as string;
});
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

describe('a field rule belongs to its command, not to its name', () => {
  it('setDeadline with an identifier kind (PASSPORT) is BAD_USER_INPUT naming kind, and nothing is recorded', async () => {
    const before = storedEvents();
    const refused = await execute({ kind: 'PASSPORT' });
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ code: 'BAD_USER_INPUT', field: 'kind' });
    expect((refused as DomainError).message).toMatch(/^kind must be one of SIJ_AGE_OUT, /);
    expect((refused as DomainError).message).not.toContain('PASSPORT');
    expect(storedEvents()).toBe(before);
  });

  it('over GraphQL, too, PASSPORT is no DeadlineKind and nothing is recorded', async () => {
    const before = storedEvents();
    const response = await gql('mutation($id: ID!) { setDeadline(input: { familyId: $id, deadlineId: "d-2", kind: PASSPORT, dueOn: "2031-01-01" }) { revision } }', { id: familyId });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(response.errors?.[0]?.message).not.toContain('PASSPORT');
    expect(storedEvents()).toBe(before);
  });

  it('a deadline kind is still taken by the same path (the test can tell refused from recorded)', async () => {
    const before = storedEvents();
    expect(await execute({ kind: 'OTHER' })).toMatchObject({ replayed: false });
    expect(storedEvents()).toBe(before + 1);
  });
});

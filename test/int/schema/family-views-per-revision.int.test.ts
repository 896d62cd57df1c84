import { graphql } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestAccessLog } from '../../../schema/access-log.js';
import { buildSchema } from '../../../schema/index.js';
import { command, country, date } from '../../support/family-fixtures.js';
import { openReadSideHarness, type ReadSideHarness } from '../../support/read-side-harness.js';
import { readSideContext } from '../../support/read-side-context.js';

/**
 * The family fields computed from a family's state (children, relatives, deadlines, blockers, ...)
 * are kept per family revision, caller's scope and day, and shared by requests. A later request
 * must still see what changed: a new revision, another day (days left), and its reads of
 * people must still be logged although the views were already computed.
 */
const QUERY = `{ family(id: "fam-views") { revision relatives { id givenName } deadlines { id daysLeft } blockers } }`;
const schema = buildSchema({ version: 'test', eventStoreKind: 'sqlite' });
let h: ReadSideHarness;
const at = (iso: string) => ({ issuedAt: iso, occurredAt: iso });

const read = async (now: string) => {
  const { context } = readSideContext(h, now);
  const logged: string[] = [];
  const accessLog = new RequestAccessLog(context.viewer, (entry) => {
    logged.push(...entry.views.map((view) => `${view.familyId}:${view.fields}`));
    return Promise.resolve();
  }, () => now);
  const result = await graphql({ schema, source: QUERY, contextValue: { ...context, accessLog } });
  expect(result.errors).toBeUndefined();
  await accessLog.flush();
  return { family: (result.data as { family: { revision: number; relatives: Array<{ id: string }>; deadlines: Array<{ daysLeft: number }>; blockers: string[] } }).family, logged };
};

beforeAll(async () => {
  h = openReadSideHarness();
  const familyId = 'fam-views';
  await h.execute(command('OpenFamilyCase', { familyId, leadOrganizationId: 'org-a', programme: 'SIJ', ...at('2024-01-01T10:00:00.000Z') }));
  await h.execute(command('RegisterChild', { familyId, childId: 'c1', givenName: 'Ana', birthDate: date('2007-03-01'), birthDateEstimated: false, nationality: country('HN'), languages: [], needsInterpreter: false, ...at('2024-01-01T10:05:00.000Z') }));
  await h.execute(command('OpenLegalMatter', { familyId, matterId: 'm1', matterType: 'SIJ', childId: 'c1', jurisdiction: 'US-TX', ...at('2024-01-02T00:00:00.000Z') }));
  await h.projector.catchUp();
});
afterAll(() => h.close());

describe('family views kept per revision, scope and day', () => {
  it('shows a new revision, counts days from each day, and logs every read of people', async () => {
    const first = await read('2024-06-01T00:00:00.000Z');
    const again = await read('2024-06-01T00:00:00.000Z');
    expect(again.family).toEqual(first.family);
    expect(again.logged).toEqual(['fam-views:people']);

    const nextDay = await read('2024-06-02T00:00:00.000Z');
    expect(nextDay.family.deadlines[0]!.daysLeft).toBe(first.family.deadlines[0]!.daysLeft - 1);

    await h.execute(command('AddRelative', { familyId: 'fam-views', relativeId: 'r1', relationship: 'MOTHER', givenName: 'Rosa', biological: true, vitalStatus: 'ALIVE', adverse: false, ...at('2024-06-01T12:00:00.000Z') }));
    await h.projector.catchUp();
    const later = await read('2024-06-01T00:00:00.000Z');
    expect(later.family.revision).toBe(first.family.revision + 1);
    expect(later.family.relatives.map((relative) => relative.id)).toEqual(['r1']);
  });
});

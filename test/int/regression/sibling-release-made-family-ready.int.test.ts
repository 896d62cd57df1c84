import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FamilyCommandOf, FamilyCommandType } from '../../../services/family/commands.js';
import { blockers, reunificationStatus } from '../../../services/family/status.js';
import { command, country, date } from '../../support/family-fixtures.js';
import { openFamilyHarness, type FamilyHarness } from '../../support/family-harness.js';

/**
 * Regressions of issue 14 (items 1 and 7), through the command handler on a real SQLite file and
 * only the functions that existed before the fix: releasing one of two detained siblings made
 * the whole family READY_TO_REUNIFY; a transfer changed nothing anyone could read; a child in
 * the SIJ programme twenty days before turning 18 had no deadline and no blocker.
 */
let h: FamilyHarness;
beforeAll(async () => {
  h = openFamilyHarness();
  // The Defender a tracing names must exist (issue 14, item 6).
  await h.organizations('org-reg');
});
afterAll(() => h.close());

const ADVOCATE = { userId: 'reg-user', organizationId: 'org-reg', role: 'ADVOCATE' } as const;
const at = '2024-06-01T12:00:00.000Z';
const run = <T extends FamilyCommandType>(familyId: string, type: T, fields: Omit<FamilyCommandOf<T>, 'type' | 'familyId' | 'actor' | 'issuedAt' | 'occurredAt'>) =>
  h.execute(command(type, { ...fields, familyId, actor: ADVOCATE, issuedAt: at, occurredAt: at }));
const child = (childId: string, birthDate: string) =>
  ({ childId, givenName: 'Canary', birthDate: date(birthDate), birthDateEstimated: false, nationality: country('HN'), languages: [], needsInterpreter: false });

describe('regression: status per child, deadlines from facts (issue 14)', () => {
  it('releasing one of two detained siblings does not make the family READY_TO_REUNIFY while the other is detained and the father not located', async () => {
    await run('siblings', 'OpenFamilyCase', { leadOrganizationId: 'org-reg', programme: 'DETENTION' });
    await run('siblings', 'RegisterChild', child('c1', '2014-01-01'));
    await run('siblings', 'RegisterChild', child('c2', '2012-01-01'));
    await run('siblings', 'AddRelative', { relativeId: 'father', relationship: 'FATHER', givenName: 'Canary', biological: true, vitalStatus: 'ALIVE', adverse: false });
    await run('siblings', 'StartTracing', { relativeId: 'father', defenderOrganizationId: 'org-reg' });
    await run('siblings', 'RecordChildDetained', { childId: 'c1', agency: 'ORR', detainedOn: date('2024-01-05'), facility: 'Shelter A' });
    await run('siblings', 'RecordChildDetained', { childId: 'c2', agency: 'ORR', detainedOn: date('2024-01-06'), facility: 'Shelter B' });
    await run('siblings', 'RecordChildTransferred', { childId: 'c2', transferredOn: date('2024-03-01'), facility: 'Shelter C' });
    await run('siblings', 'RecordChildReleased', { childId: 'c1', releasedOn: date('2024-05-01'), placement: 'SPONSOR' });
    const state = await h.state('siblings');
    expect(reunificationStatus(state)).toBe('SEARCHING');
    expect(blockers(state, date('2024-06-01'))).toEqual(['child 2: still detained since 2024-01-06, transferred on 2024-03-01', 'father not located since 2024-06-01']);
  });

  it('a child registered in the SIJ programme twenty days before turning 18 has the age-out deadline and its blocker', async () => {
    await run('sij', 'OpenFamilyCase', { leadOrganizationId: 'org-reg', programme: 'SIJ' });
    await run('sij', 'RegisterChild', child('teen', '2006-06-21'));
    const state = await h.state('sij');
    expect([...state.deadlines.values()].map((d) => [d.kind, d.dueOn])).toEqual([['SIJ_AGE_OUT', '2024-06-20']]);
    expect(blockers(state, date('2024-06-01'))).toEqual(['SIJ age-out in 19 days']);
  });
});

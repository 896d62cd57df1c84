import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { command, country, date, PARTNER } from '../../support/family-fixtures.js';
import { openReadSideHarness, type ReadSideHarness } from '../../support/read-side-harness.js';

let h: ReadSideHarness;
const familyId = 'fam-1';
const at = (iso: string) => ({ issuedAt: iso, occurredAt: iso });

beforeEach(async () => {
  h = openReadSideHarness();
  await h.execute(command('OpenFamilyCase', { familyId, leadOrganizationId: 'org-a', programme: 'SEPARATED_FAMILY', ...at('2024-01-01T10:00:00.000Z') }));
  await h.execute(command('RegisterChild', { familyId, childId: 'c1', givenName: 'Ana', birthDate: date('2007-03-01'), birthDateEstimated: false, nationality: country('HN'), languages: [], needsInterpreter: false, ...at('2024-01-01T10:05:00.000Z') }));
  await h.execute(command('AddRelative', { familyId, relativeId: 'r1', relationship: 'FATHER', givenName: 'Beto', biological: true, vitalStatus: 'ALIVE', adverse: false, ...at('2024-01-01T10:06:00.000Z') }));
});
afterEach(() => h.close());

describe('families projection', () => {
  it('given a new family, has its row with status, revision, country and timestamps', async () => {
    await h.projector.catchUp();
    expect(h.rows('SELECT family_id, lead_organization_id, programme, status, revision, country, opened_at, updated_at, unlocated_relatives FROM families')).toEqual([
      { family_id: familyId, lead_organization_id: 'org-a', programme: 'SEPARATED_FAMILY', status: 'INTAKE', revision: 2, country: 'HN', opened_at: '2024-01-01T10:00:00.000Z', updated_at: '2024-01-01T10:06:00.000Z', unlocated_relatives: 0 },
    ]);
  });

  it('when tracing starts, counts the unlocated relative and records the status change with both timestamps', async () => {
    await h.organizations('org-hn');
    await h.execute(command('StartTracing', { familyId, relativeId: 'r1', defenderOrganizationId: 'org-hn', issuedAt: '2024-01-02T09:00:00.000Z', occurredAt: '2024-01-01T18:00:00.000Z' }));
    await h.projector.catchUp();
    expect(h.rows('SELECT status, unlocated_relatives FROM families')).toEqual([{ status: 'SEARCHING', unlocated_relatives: 1 }]);
    expect(h.rows('SELECT relative_id, relationship, location_status, sought_since FROM family_relatives')).toEqual([
      { relative_id: 'r1', relationship: 'FATHER', location_status: 'TRACING', sought_since: '2024-01-01' },
    ]);
    expect(h.rows('SELECT position_commit, family_id, previous_status, status, occurred_at, recorded_at FROM status_changes ORDER BY position_commit')).toEqual([
      { position_commit: 1, family_id: familyId, previous_status: null, status: 'INTAKE', occurred_at: '2024-01-01T10:00:00.000Z', recorded_at: '2024-01-01T10:00:00.000Z' },
      { position_commit: 5, family_id: familyId, previous_status: 'INTAKE', status: 'SEARCHING', occurred_at: '2024-01-01T18:00:00.000Z', recorded_at: '2024-01-02T09:00:00.000Z' },
    ]);
  });

  it('when an SIJ matter opens, lists the age-out deadline and the earliest age-out', async () => {
    await h.execute(command('OpenLegalMatter', { familyId, matterId: 'm1', matterType: 'SIJ', childId: 'c1', jurisdiction: 'US-TX', ...at('2024-01-03T00:00:00.000Z') }));
    await h.projector.catchUp();
    expect(h.rows('SELECT deadline_id, kind, due_on, status FROM family_deadlines')).toEqual([{ deadline_id: 'm1-sij-age-out', kind: 'SIJ_AGE_OUT', due_on: '2025-02-28', status: 'OPEN' }]);
    expect(h.rows('SELECT next_deadline_on, next_deadline_kind, earliest_age_out_on, status FROM families')).toEqual([
      { next_deadline_on: '2025-02-28', next_deadline_kind: 'SIJ_AGE_OUT', earliest_age_out_on: '2025-02-28', status: 'LEGAL_PROCESS' },
    ]);
  });

  it('keeps the access rows in step with referrals, grants and transfers', async () => {
    await h.organizations('org-b', 'org-c');
    await h.execute(command('GiveConsent', { familyId, consentId: 'consent', personId: 'c1', purposes: ['p', 'transfer'], recipientOrganizationIds: ['org-b', 'org-c'], ...at('2024-01-02T00:00:00.000Z') }));
    await h.execute(command('ReferFamily', { familyId, referralId: 'ref', toOrganizationId: 'org-b', purpose: 'p', scope: 'DOCUMENTS', ...at('2024-01-03T00:00:00.000Z') }));
    await h.projector.catchUp();
    const access = () => h.rows('SELECT organization_id, scope, via FROM family_access ORDER BY organization_id, via');
    expect(access()).toEqual([{ organization_id: 'org-a', scope: 'FULL', via: 'LEAD' }, { organization_id: 'org-b', scope: 'STATUS', via: 'REFERRAL' }]);

    await h.execute(command('AcceptReferral', { familyId, referralId: 'ref', actor: PARTNER, ...at('2024-01-04T00:00:00.000Z') }));
    await h.projector.catchUp();
    expect(access()).toContainEqual({ organization_id: 'org-b', scope: 'DOCUMENTS', via: 'REFERRAL' });

    await h.execute(command('RevokeReferral', { familyId, referralId: 'ref', ...at('2024-01-05T00:00:00.000Z') }));
    await h.execute(command('TransferFamily', { familyId, toOrganizationId: 'org-c', previousLeadKeepsReadAccess: true, ...at('2024-01-06T00:00:00.000Z') }));
    await h.projector.catchUp();
    expect(access()).toContainEqual({ organization_id: 'org-c', scope: 'STATUS', via: 'TRANSFER' });
    await h.execute(command('AcceptTransfer', { familyId, actor: { userId: 'c', organizationId: 'org-c', role: 'ADVOCATE' }, ...at('2024-01-06T01:00:00.000Z') }));
    await h.projector.catchUp();
    expect(access()).toEqual([{ organization_id: 'org-a', scope: 'FULL', via: 'FORMER_LEAD' }, { organization_id: 'org-c', scope: 'FULL', via: 'LEAD' }]);
  });

  it('applies events appended between batches exactly once', async () => {
    await h.projector.catchUp();
    for (let i = 0; i < 3; i += 1) await h.execute(command('RecordIdentifier', { familyId, personId: 'c1', kind: 'A_NUMBER', value: `A${String(i)}`, ...at('2024-01-07T00:00:00.000Z') }));
    await h.projector.catchUp();
    await h.projector.catchUp();
    expect(h.rows('SELECT revision FROM families')).toEqual([{ revision: 5 }]);
    expect(h.rows("SELECT events_applied FROM projection_checkpoints WHERE name = 'families'")).toEqual([{ events_applied: 6 }]);
  });
});

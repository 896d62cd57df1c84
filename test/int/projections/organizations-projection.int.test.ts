import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashApiKey } from '../../../infra/auth/api-keys.js';
import { findActiveKey } from '../../../projections/organizations/organization-read-model.js';
import { StatementCache } from '../../../projections/statement-cache.js';
import { executeOrganizationCommand } from '../../../services/organization/organization-service.js';
import { openReadSideHarness, type ReadSideHarness } from '../../support/read-side-harness.js';

let h: ReadSideHarness;
const base = { organizationId: 'org-x', actor: { userId: 'admin', organizationId: 'system', role: 'SYSTEM' as const }, issuedAt: '2024-06-01T00:00:00.000Z' };
const run = (command: Parameters<typeof executeOrganizationCommand>[1]) => executeOrganizationCommand(h.dependencies, command);

beforeEach(async () => {
  h = openReadSideHarness();
  await run({ ...base, type: 'RegisterOrganization', name: 'Org X', kind: 'PARTNER_NGO', countries: [] });
  await run({ ...base, type: 'AddMember', userId: 'ana', role: 'PARTNER', name: 'Ana' });
  await run({ ...base, type: 'IssueApiKey', keyId: 'k1', userId: 'ana', keyHash: hashApiKey('secret-1'), label: 'laptop' });
  await h.projector.catchUp();
});
afterEach(() => h.close());

describe('organisations projection', () => {
  it('given an issued key, finds its holder by the key hash only', () => {
    expect(h.rows('SELECT * FROM organizations')).toEqual([{ organization_id: 'org-x', name: 'Org X', kind: 'PARTNER_NGO', active: 1 }]);
    expect(findActiveKey(new StatementCache(h.readDb), hashApiKey('secret-1'))).toEqual({ organization_id: 'org-x', user_id: 'ana', role: 'PARTNER' });
    expect(JSON.stringify(h.rows('SELECT * FROM api_keys'))).not.toContain('secret-1');
  });

  it('when the key is revoked, or its holder removed, finds no holder', async () => {
    await run({ ...base, type: 'IssueApiKey', keyId: 'k2', userId: 'ana', keyHash: hashApiKey('secret-2'), label: 'phone' });
    await run({ ...base, type: 'RevokeApiKey', keyId: 'k1' });
    await h.projector.catchUp();
    const cache = new StatementCache(h.readDb);
    expect(findActiveKey(cache, hashApiKey('secret-1'))).toBeUndefined();
    expect(findActiveKey(cache, hashApiKey('secret-2'))).toBeDefined();

    await run({ ...base, type: 'RemoveMember', userId: 'ana' });
    await h.projector.catchUp();
    expect(findActiveKey(cache, hashApiKey('secret-2'))).toBeUndefined();
    expect(h.rows('SELECT * FROM organization_members')).toEqual([]);
  });

  it('keeps the auditors an organisation appointed, and a deactivated organisation\'s keys find no holder', async () => {
    await run({ ...base, type: 'AppointAuditor', auditorOrganizationId: 'audit-co' });
    await run({ ...base, type: 'AppointAuditor', auditorOrganizationId: 'audit-two' });
    await run({ ...base, type: 'DismissAuditor', auditorOrganizationId: 'audit-co' });
    await h.projector.catchUp();
    expect(h.rows('SELECT * FROM organization_auditors')).toEqual([{ auditor_organization_id: 'audit-two', organization_id: 'org-x' }]);

    await run({ ...base, type: 'DeactivateOrganization', reason: 'programme ended' });
    await h.projector.catchUp();
    expect(h.rows('SELECT active FROM organizations')).toEqual([{ active: 0 }]);
    expect(findActiveKey(new StatementCache(h.readDb), hashApiKey('secret-1'))).toBeUndefined();
  });
});

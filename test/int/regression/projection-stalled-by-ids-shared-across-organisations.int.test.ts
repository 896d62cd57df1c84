import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashApiKey } from '../../../infra/auth/api-keys.js';
import { appendAccessLog } from '../../../infra/access-log-writer.js';
import { accessLogProjection } from '../../../projections/access-log/access-log-projection.js';
import { familiesProjection } from '../../../projections/families/families-projection.js';
import { findActiveKey } from '../../../projections/organizations/organization-read-model.js';
import { organizationsProjection } from '../../../projections/organizations/organizations-projection.js';
import { StatementCache } from '../../../projections/statement-cache.js';
import type { FamilyCommandInput } from '../../../services/family/commands.js';
import { executeFamilyCommand, familyIdForOpening } from '../../../services/family/family-service.js';
import { legacyWebhookIdForCommand, webhookIdForCommand } from '../../../services/organization/command-ids.js';
import type { OrganizationCommand } from '../../../services/organization/organization.js';
import { executeOrganizationCommand } from '../../../services/organization/organization-service.js';
import type { Actor } from '../../../services/shared/decider.js';
import { DomainError } from '../../../services/shared/domain-error.js';
import { openReadSideHarness, type ReadSideHarness } from '../../support/read-side-harness.js';

/**
 * Issue 12, finding 2: two organisations that chose the same commandId for registerWebhook got
 * the same webhook id, and the organisations projection stalled for good on its unique key. The
 * property: whatever several organisations send (same and different commandIds, key ids, key
 * hashes, webhook ids old and new, referrals, grants, transfers, person ids such as "sofia"),
 * through the real command handlers, no projection ever stalls; and no organisation's rows ever
 * show another's webhook, nor does a key authenticate for an organisation that did not issue it.
 */
const ORGS = ['org-a', 'org-b', 'org-c'] as const;
const COMMAND_IDS = ['c1', 'c2', 'shared'] as const;
const KEYS = ['key-one', 'key-two', 'key-three'] as const;
const PEOPLE = ['sofia', 'c1', 'r1'] as const;
const SECRET = `whsec_${'a'.repeat(40)}`;
const ISSUED_AT = '2024-06-01T12:00:00.000Z';

type Org = (typeof ORGS)[number];
interface Step { readonly org: Org; readonly other: Org; readonly commandId: string | undefined; readonly pick: number; readonly kind: number }

const admin = (org: string): Actor => ({ userId: `${org}-admin`, organizationId: org, role: 'ADMIN' });
const stepArbitrary: fc.Arbitrary<Step> = fc.record({
  org: fc.constantFrom(...ORGS),
  other: fc.constantFrom(...ORGS),
  commandId: fc.option(fc.constantFrom(...COMMAND_IDS), { nil: undefined }),
  pick: fc.nat(2),
  kind: fc.nat(24),
});

/** What the resolvers would derive, plus the pre-namespacing webhook id an older store holds. */
const webhookIdOf = (step: Step): string =>
  [webhookIdForCommand(step.org, step.commandId ?? 'none'), legacyWebhookIdForCommand(step.commandId ?? 'none'), `hook-${String(step.pick)}`][step.pick]!;

type OrganizationCommandInput = OrganizationCommand extends infer C ? (C extends unknown ? Omit<C, 'actor' | 'issuedAt' | 'organizationId'> : never) : never;

const organizationCommand = (step: Step): OrganizationCommandInput | undefined => {
  const person = PEOPLE[step.pick]!;
  switch (step.kind) {
    case 0: return { type: 'IssueApiKey', keyId: step.commandId ? `key-${step.commandId}` : `k${String(step.pick)}`, userId: person, keyHash: hashApiKey(KEYS[step.pick]!), label: 'l', asNewMember: { role: 'ADVOCATE', name: 'N' } };
    case 1: return { type: 'RevokeApiKey', keyId: step.commandId ? `key-${step.commandId}` : `k${String(step.pick)}` };
    case 2: case 3: return { type: 'RegisterWebhook', webhookId: webhookIdOf(step), url: `https://${step.org}.example.org/${String(step.pick)}`, secret: SECRET };
    case 4: return { type: 'RotateWebhookSecret', webhookId: webhookIdOf(step), secret: SECRET };
    case 5: return { type: 'RemoveWebhook', webhookId: webhookIdOf(step) };
    case 6: return { type: 'AppointAuditor', auditorOrganizationId: step.other };
    case 7: return { type: 'DismissAuditor', auditorOrganizationId: step.other };
    case 8: return { type: 'AddMember', userId: person, role: 'PARTNER', name: 'N' };
    case 9: return { type: 'RemoveMember', userId: person };
    case 10: return step.pick === 0 && step.commandId === 'c1' ? { type: 'DeactivateOrganization', reason: 'ended' } : undefined;
    default: return undefined;
  }
};

const familyCommand = (step: Step): FamilyCommandInput | undefined => {
  const person = PEOPLE[step.pick]!;
  const id = `x${String(step.pick)}`;
  switch (step.kind) {
    case 12: return { type: 'RegisterChild', childId: person, givenName: 'Sofia', birthDate: '2012-03-04' as never, birthDateEstimated: false, nationality: 'HN' as never, languages: ['es'], needsInterpreter: false };
    case 13: return { type: 'AddRelative', relativeId: person, relationship: 'FATHER', givenName: 'Pablo', biological: true, vitalStatus: 'ALIVE', adverse: false };
    case 14: return { type: 'ReferFamily', referralId: id, toOrganizationId: step.other, purpose: 'p', scope: (['STATUS', 'DOCUMENTS', 'FULL'] as const)[step.pick]! };
    case 15: return { type: 'AcceptReferral', referralId: id };
    case 16: return { type: 'RevokeReferral', referralId: id };
    case 17: return { type: 'GrantAccess', grantId: id, organizationId: step.other, scope: 'STATUS' };
    case 18: return { type: 'RevokeAccess', grantId: id };
    case 19: return { type: 'TransferFamily', toOrganizationId: step.other, previousLeadKeepsReadAccess: step.pick === 1 };
    case 20: return { type: 'SetDeadline', deadlineId: id, kind: 'HEARING', dueOn: '2025-01-02' as never };
    case 21: return { type: 'StartTracing', relativeId: person, defenderOrganizationId: step.other };
    default: return undefined;
  }
};

/** Runs one step; a rejection by the rules is fine (nothing is appended), anything else is a bug. */
const run = async (h: ReadSideHarness, step: Step, families: string[]): Promise<void> => {
  const options = step.commandId ? { commandId: step.commandId } : {};
  try {
    const organization = organizationCommand(step);
    if (organization) {
      await executeOrganizationCommand(h.dependencies, { ...organization, organizationId: step.org, actor: admin(step.org), issuedAt: ISSUED_AT }, options);
      return;
    }
    if (step.kind === 11 || families.length === 0) {
      const familyId = familyIdForOpening(step.org, step.commandId, () => `fresh-${String(families.length)}`);
      await executeFamilyCommand(h.dependencies, { type: 'OpenFamilyCase', familyId, leadOrganizationId: step.org, programme: 'SEPARATED_FAMILY', actor: { ...admin(step.org), role: 'ADVOCATE' }, issuedAt: ISSUED_AT, occurredAt: ISSUED_AT }, options);
      if (!families.includes(familyId)) families.push(familyId);
      return;
    }
    const familyId = families[step.pick % families.length]!;
    if (step.kind >= 22) {
      await appendAccessLog(h.store, { viewer: admin(step.org), viewedAt: ISSUED_AT, views: [{ familyId, fields: 'children' }, { familyId, fields: 'children' }] });
      return;
    }
    const input = familyCommand(step);
    if (input) await executeFamilyCommand(h.dependencies, { ...input, familyId, actor: { ...admin(step.org), role: 'ADVOCATE' }, issuedAt: ISSUED_AT, occurredAt: ISSUED_AT } as never, options);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
  }
};

const PROJECTIONS = [organizationsProjection, familiesProjection, accessLogProjection];

describe('commands of several organisations never stall a projection', () => {
  it('random commands, shared commandIds and ids, through the real handlers and projector', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArbitrary, { minLength: 5, maxLength: 40 }), async (steps) => {
        const h = openReadSideHarness(PROJECTIONS);
        try {
          for (const org of ORGS) await executeOrganizationCommand(h.dependencies, { type: 'RegisterOrganization', organizationId: org, name: org, kind: 'LEGAL_SERVICE_PROVIDER', countries: [], actor: admin('system'), issuedAt: ISSUED_AT });
          const families: string[] = [];
          for (const step of steps) await run(h, step, families);
          await h.projector.catchUp();
          expect(h.projector.status().filter((status) => status.stalled !== null)).toEqual([]);
          expect(h.projector.notServing()).toEqual([]);
          // Every organisation's webhooks are its own: the URL names the organisation that registered it.
          for (const row of h.rows<{ organization_id: string; url: string }>('SELECT organization_id, url FROM webhooks')) expect(row.url).toContain(`//${row.organization_id}.`);
          // A key authenticates for the organisation that issued it, or (a hash issued twice) for none.
          const cache = new StatementCache(h.readDb);
          for (const key of KEYS) {
            const issuers = h.rows<{ organization_id: string }>('SELECT DISTINCT k.organization_id FROM api_keys k JOIN organizations o USING (organization_id) WHERE k.key_hash = ? AND k.active = 1 AND o.active = 1', hashApiKey(key));
            const holder = findActiveKey(cache, hashApiKey(key));
            if (holder) expect(issuers.map((row) => row.organization_id)).toEqual([holder.organization_id]);
          }
        } finally {
          await h.close();
        }
      }),
      { numRuns: 60 },
    );
  });

  it('the reported case: the same commandId for registerWebhook in two organisations, in a store written before ids were namespaced', async () => {
    const h = openReadSideHarness(PROJECTIONS);
    try {
      for (const org of ['org-a', 'org-b']) {
        await executeOrganizationCommand(h.dependencies, { type: 'RegisterOrganization', organizationId: org, name: org, kind: 'LEGAL_SERVICE_PROVIDER', countries: [], actor: admin('system'), issuedAt: ISSUED_AT });
        await executeOrganizationCommand(h.dependencies, { type: 'RegisterWebhook', organizationId: org, webhookId: legacyWebhookIdForCommand('hook-1'), url: `https://${org}.example.org/`, secret: SECRET, actor: admin(org), issuedAt: ISSUED_AT }, { commandId: 'hook-1' });
      }
      await h.projector.catchUp();
      expect(h.projector.status().map((status) => status.stalled)).toEqual([null, null, null]);
      // The later registration of an id another organisation holds is not served: the outbox could not tell their deliveries apart.
      expect(h.rows('SELECT organization_id, webhook_id FROM webhooks')).toEqual([{ organization_id: 'org-a', webhook_id: 'webhook-hook-1' }]);
      expect(webhookIdForCommand('org-a', 'hook-1')).not.toBe(webhookIdForCommand('org-b', 'hook-1'));
    } finally {
      await h.close();
    }
  });
});

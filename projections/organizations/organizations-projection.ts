import type { RecordedEvent } from '../../services/event-store/port.js';
import type { OrganizationEvent } from '../../services/organization/organization.js';
import type { Projection } from '../projection.js';

const ORGANIZATION_STREAM_PREFIX = 'organization-';

/**
 * Organisations (active or deactivated), their members, their API keys (by hash), the
 * auditors they appointed and their webhooks: for authentication, `viewer`, what an auditor
 * may see, and the dispatcher. The webhooks table holds each signing secret in the clear (the
 * dispatcher signs with it); the API's reads of it leave the secret out.
 */
export const organizationsProjection: Projection = {
  name: 'organizations',
  version: 3,
  tables: {
    organizations: 'organization_id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, active INTEGER NOT NULL',
    webhooks: `webhook_id TEXT PRIMARY KEY, organization_id TEXT NOT NULL, url TEXT NOT NULL, secret TEXT NOT NULL, registered_at TEXT NOT NULL,
      registered_commit INTEGER NOT NULL, registered_prepare INTEGER NOT NULL, active INTEGER NOT NULL`,
    organization_auditors: 'auditor_organization_id TEXT NOT NULL, organization_id TEXT NOT NULL, PRIMARY KEY (auditor_organization_id, organization_id)',
    organization_members: 'organization_id TEXT NOT NULL, user_id TEXT NOT NULL, role TEXT NOT NULL, PRIMARY KEY (organization_id, user_id)',
    api_keys: `key_hash TEXT PRIMARY KEY, key_id TEXT NOT NULL, organization_id TEXT NOT NULL, user_id TEXT NOT NULL,
      role TEXT NOT NULL, label TEXT NOT NULL, active INTEGER NOT NULL`,
  },
  indexes: ['CREATE UNIQUE INDEX IF NOT EXISTS {api_keys}_key_id ON {api_keys} (organization_id, key_id)'],
  bind: (db, table) => {
    const statements = {
      organization: db.prepare(`INSERT INTO ${table('organizations')} VALUES (?, ?, ?, 1)`),
      deactivate: db.prepare(`UPDATE ${table('organizations')} SET active = 0 WHERE organization_id = ?`),
      webhook: db.prepare(`INSERT INTO ${table('webhooks')} VALUES (?, ?, ?, ?, ?, ?, ?, 1)`),
      webhookSecret: db.prepare(`UPDATE ${table('webhooks')} SET secret = ? WHERE webhook_id = ? AND organization_id = ?`),
      removeWebhook: db.prepare(`UPDATE ${table('webhooks')} SET active = 0 WHERE webhook_id = ? AND organization_id = ?`),
      appointAuditor: db.prepare(`INSERT INTO ${table('organization_auditors')} VALUES (?, ?)`),
      dismissAuditor: db.prepare(`DELETE FROM ${table('organization_auditors')} WHERE auditor_organization_id = ? AND organization_id = ?`),
      member: db.prepare(`INSERT OR REPLACE INTO ${table('organization_members')} VALUES (?, ?, ?)`),
      removeMember: db.prepare(`DELETE FROM ${table('organization_members')} WHERE organization_id = ? AND user_id = ?`),
      key: db.prepare(`INSERT INTO ${table('api_keys')} VALUES (?, ?, ?, ?, ?, ?, 1)`),
      revokeKey: db.prepare(`UPDATE ${table('api_keys')} SET active = 0 WHERE organization_id = ? AND key_id = ?`),
    };
    const apply = (organizationId: string, event: OrganizationEvent, recorded: RecordedEvent): void => {
      const recordedAt = typeof recorded.metadata['recordedAt'] === 'string' ? recorded.metadata['recordedAt'] : recorded.recordedAt.toISOString();
      switch (event.type) {
        case 'OrganizationRegistered':
          statements.organization.run(organizationId, event.data.name, event.data.kind);
          return;
        case 'MemberAdded':
        case 'MemberRoleChanged':
          statements.member.run(organizationId, event.data.userId, event.data.role);
          return;
        case 'MemberRemoved':
          statements.removeMember.run(organizationId, event.data.userId);
          return;
        case 'ApiKeyIssued':
          statements.key.run(event.data.keyHash, event.data.keyId, organizationId, event.data.userId, event.data.role, event.data.label);
          return;
        case 'ApiKeyRevoked':
          statements.revokeKey.run(organizationId, event.data.keyId);
          return;
        case 'AuditorAppointed':
          statements.appointAuditor.run(event.data.auditorOrganizationId, organizationId);
          return;
        case 'AuditorDismissed':
          statements.dismissAuditor.run(event.data.auditorOrganizationId, organizationId);
          return;
        case 'OrganizationDeactivated':
          statements.deactivate.run(organizationId);
          return;
        case 'WebhookRegistered':
          statements.webhook.run(event.data.webhookId, organizationId, event.data.url, event.data.secret, recordedAt, recorded.position.commit, recorded.position.prepare);
          return;
        case 'WebhookSecretRotated':
          statements.webhookSecret.run(event.data.secret, event.data.webhookId, organizationId);
          return;
        case 'WebhookRemoved':
          statements.removeWebhook.run(event.data.webhookId, organizationId);
          return;
        default:
          throw new Error(`organizations projection cannot apply event type ${(event as { type: string }).type}`);
      }
    };
    return {
      applyBatch(events: readonly RecordedEvent[]) {
        for (const event of events) {
          if (!event.stream.startsWith(ORGANIZATION_STREAM_PREFIX)) continue;
          apply(event.stream.slice(ORGANIZATION_STREAM_PREFIX.length), { type: event.type, data: event.data } as unknown as OrganizationEvent, event);
        }
      },
    };
  },
};

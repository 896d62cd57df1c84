import type { RecordedEvent } from '../../services/event-store/port.js';
import type { OrganizationEvent } from '../../services/organization/organization.js';
import type { Projection } from '../projection.js';
import { readModelSealerOf } from '../read-model-sealing.js';
import { dataKeyId } from '../../services/privacy/data-key-id.js';
import { isSealedValue, openSealed, type ReadModelPlace } from '../../services/privacy/read-model-sealer.js';
import { isErased } from '../../services/privacy/sealed-data.js';

const ORGANIZATION_STREAM_PREFIX = 'organization-';

/**
 * Organisations (active or deactivated), their members, their API keys (by hash), the
 * auditors they appointed and their webhooks: for authentication, `viewer`, what an auditor
 * may see, and the dispatcher. The webhooks table holds each signing secret sealed with the
 * webhook's data key (subject `webhook:<id>`, as in the events; read-model-sealer.ts): the
 * dispatcher opens it when it signs (`webhookSecretOf`); the API's reads leave it out.
 * Version 5: the secret sealed (version 4 held it in the clear).
 *
 * Ids an organisation's commands choose (keys, webhooks, members) are unique only within that
 * organisation, so every such table's key includes the organisation: no command of one
 * organisation can make another's rows collide and stall the projection (version 4; version 3
 * keyed webhooks by id alone). Two cases are kept apart on purpose:
 * - a key hash held by two keys authenticates neither (findActiveKey), it never stalls;
 * - a webhook id already registered by another organisation (possible only in stores written
 *   before webhook ids were derived from the organisation) is not served for the later one: the
 *   outbox and the delivery ids name webhooks by id alone, so its deliveries could not be told
 *   apart. Its organisation registers it again and gets a new id.
 */
/** Version 6: the same shape, rebuilt once so that webhook secrets written in plaintext on EventStoreDB (no synchronous keys before) are sealed. */
export const organizationsProjection: Projection = {
  name: 'organizations',
  version: 6,
  tables: {
    organizations: 'organization_id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, active INTEGER NOT NULL',
    webhooks: `webhook_id TEXT NOT NULL, organization_id TEXT NOT NULL, url TEXT NOT NULL, secret TEXT NOT NULL, registered_at TEXT NOT NULL,
      registered_commit INTEGER NOT NULL, registered_prepare INTEGER NOT NULL, active INTEGER NOT NULL, PRIMARY KEY (organization_id, webhook_id)`,
    organization_auditors: 'auditor_organization_id TEXT NOT NULL, organization_id TEXT NOT NULL, PRIMARY KEY (auditor_organization_id, organization_id)',
    organization_members: 'organization_id TEXT NOT NULL, user_id TEXT NOT NULL, role TEXT NOT NULL, PRIMARY KEY (organization_id, user_id)',
    api_keys: `key_hash TEXT NOT NULL, key_id TEXT NOT NULL, organization_id TEXT NOT NULL, user_id TEXT NOT NULL,
      role TEXT NOT NULL, label TEXT NOT NULL, active INTEGER NOT NULL, PRIMARY KEY (organization_id, key_id)`,
  },
  indexes: [
    'CREATE INDEX IF NOT EXISTS {api_keys}_hash ON {api_keys} (key_hash)',
    'CREATE INDEX IF NOT EXISTS {webhooks}_id ON {webhooks} (webhook_id)',
  ],
  bind: (db, table) => {
    const sealer = readModelSealerOf(db);
    const sealed = (organizationId: string, webhookId: string, secret: string): string =>
      sealer ? sealer.seal(webhookSecretPlace(organizationId, webhookId), dataKeyId(`${ORGANIZATION_STREAM_PREFIX}${organizationId}`, webhookSubject(webhookId)), secret) : secret;
    const statements = {
      organization: db.prepare(`INSERT INTO ${table('organizations')} VALUES (?, ?, ?, 1)`),
      deactivate: db.prepare(`UPDATE ${table('organizations')} SET active = 0 WHERE organization_id = ?`),
      webhook: db.prepare(`INSERT INTO ${table('webhooks')} SELECT @webhookId, @organizationId, @url, @secret, @registeredAt, @commit, @prepare, 1
        WHERE NOT EXISTS (SELECT 1 FROM ${table('webhooks')} WHERE webhook_id = @webhookId)`),
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
          statements.webhook.run({
            webhookId: event.data.webhookId, organizationId, url: event.data.url, secret: sealed(organizationId, event.data.webhookId, event.data.secret), registeredAt: recordedAt,
            commit: recorded.position.commit, prepare: recorded.position.prepare,
          });
          return;
        case 'WebhookSecretRotated':
          statements.webhookSecret.run(sealed(organizationId, event.data.webhookId, event.data.secret), event.data.webhookId, organizationId);
          return;
        case 'WebhookRemoved':
          statements.removeWebhook.run(event.data.webhookId, organizationId);
          return;
        // Stop-work orders are judged by the write side from the organisation's stream
        // (services/family/world.ts); this read model has no table for them.
        case 'StopWorkOrderRecorded':
        case 'StopWorkOrderLifted':
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

/** The subject a webhook's signing secret is sealed under, in the events and the read model. */
const webhookSubject = (webhookId: string): string => `webhook:${webhookId}`;
const webhookSecretPlace = (organizationId: string, webhookId: string): ReadModelPlace => ({ readModel: 'organizations', rowKey: `${organizationId}/${webhookId}`, field: 'secret' });

/**
 * A webhook row's signing secret, opened (with the keys of the running tracker); undefined when
 * the webhook's key was destroyed: nothing can be signed for it any more.
 */
export const webhookSecretOf = (row: { readonly organization_id: string; readonly webhook_id: string; readonly secret: string }): string | undefined => {
  if (!isSealedValue(row.secret)) return row.secret;
  const secret = openSealed(webhookSecretPlace(row.organization_id, row.webhook_id), row.secret);
  return isErased(secret) ? undefined : (secret as string);
};

import type { RequestQueries, StatementCache } from '../statement-cache.js';

/** Organisations, their members' API keys and their webhooks (never the secrets), from the organisations projection. */
export interface OrganizationRow { readonly organization_id: string; readonly name: string; readonly kind: string; readonly active: number }
export interface ApiKeyRow { readonly organization_id: string; readonly user_id: string; readonly role: string }
export interface WebhookInfoRow { readonly webhook_id: string; readonly organization_id: string; readonly url: string; readonly registered_at: string; readonly active: number }

export class OrganizationReadModel {
  constructor(private readonly queries: RequestQueries) {}

  organizationsByIds(ids: readonly string[]): Map<string, OrganizationRow> {
    const rows = this.queries.all<OrganizationRow>('SELECT * FROM organizations WHERE organization_id IN (SELECT value FROM json_each(@ids))', { ids: JSON.stringify(ids) });
    return new Map(rows.map((row) => [row.organization_id, row]));
  }

  /** An organisation's webhooks (never their secrets). */
  webhooksOf(organizationId: string): WebhookInfoRow[] {
    return this.queries.all('SELECT webhook_id, organization_id, url, registered_at, active FROM webhooks WHERE organization_id = @organizationId ORDER BY registered_at, webhook_id', { organizationId });
  }

  /** The organisations holding a key with this id, revoked or not (a scan: revocations are rare). */
  organizationsHoldingKey(keyId: string): string[] {
    return this.queries.all<{ organization_id: string }>('SELECT DISTINCT organization_id FROM api_keys WHERE key_id = @keyId ORDER BY organization_id', { keyId })
      .map((row) => row.organization_id);
  }

  apiKeyHolder(keyHash: string): ApiKeyRow | undefined {
    this.queries.statements += 1;
    return findActiveKey(this.queries.cache, keyHash);
  }
}

/**
 * The holder of an active key, by the key's hash; undefined for unknown or revoked keys, and for
 * a hash that two active keys hold (only a bug or a forged event could issue one twice): which
 * of them is meant cannot be told, so neither is.
 */
export const findActiveKey = (cache: StatementCache, keyHash: string): ApiKeyRow | undefined => {
  const holders = cache.get(`SELECT k.organization_id, k.user_id, k.role FROM api_keys k JOIN organizations o ON o.organization_id = k.organization_id
    WHERE k.key_hash = ? AND k.active = 1 AND o.active = 1 LIMIT 2`).all(keyHash) as ApiKeyRow[];
  return holders.length === 1 ? holders[0] : undefined;
};

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf } from '../../support/graphql-client.js';
import { startProbeWorld, type ProbeWorld } from '../../support/probe-world.js';

/**
 * Finding (s5-probe), severity MEDIUM (incident response): the system administrator, who issued a
 * key for an organisation, revokes it by the `keyId` the issue returned and is told `NOT_FOUND`
 * ("API key not found"); the key goes on working. `organizationId` of `revokeApiKey` defaults to
 * the caller's own (system) organisation, which holds no such key, and nothing says so.
 * Rule: API.md (`revokeApiKey` is an admin operation; a revoked key is UNAUTHENTICATED); the bar
 * ("bad input gets a clear error"): a key that exists is not "not found", and an administrator
 * who reads NOT_FOUND may well believe a leaked key is already gone.
 */
let world: ProbeWorld;
beforeAll(async () => {
  world = await startProbeWorld(['legal-ny']);
});
afterAll(async () => world?.stop());

describe('the system administrator revokes a key it issued for an organisation, by its keyId', () => {
  it('revokes it (or refuses naming organizationId), and the key stops working', async () => {
    const issued = dataOf(await world.gql(world.admin, 'mutation { issueApiKey(input: { organizationId: "legal-ny", userId: "ana", userName: "Ana", role: ADVOCATE, label: "laptop" }) { keyId apiKey } }')).issueApiKey;
    const revoked = await world.gql(world.admin, 'mutation($k: ID!) { revokeApiKey(input: { keyId: $k }) { keyId } }', { k: issued.keyId });
    const error = revoked.errors?.[0];
    if (error) {
      // Acceptable only as a refusal that names the missing input, not "this key does not exist".
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'organizationId' });
    } else {
      expect(revoked.data.revokeApiKey.keyId).toBe(issued.keyId);
      const after = await world.gql(issued.apiKey, '{ viewer { userId } }');
      expect(after.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    }
  });
});

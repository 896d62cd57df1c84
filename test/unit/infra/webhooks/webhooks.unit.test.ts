import { describe, expect, it } from 'vitest';
import { interleaveByOrganization, retryDelay } from '../../../../infra/webhooks/dispatcher.js';
import { newWebhookSecret, signatureHeader, verifySignature } from '../../../../infra/webhooks/signature.js';

describe('webhook retries', () => {
  it('double each time, with half the delay random, up to an hour', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelay(attempt, 1_000, () => 0))).toEqual([500, 1_000, 2_000, 4_000]);
    expect([1, 2, 3, 4].map((attempt) => retryDelay(attempt, 1_000, () => 1))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(retryDelay(30, 1_000, () => 1)).toBe(3_600_000);
  });
});

describe('webhook signatures', () => {
  const secret = newWebhookSecret();
  const body = '{"deliveryId":"w:1"}';
  it('verify with the secret, within the tolerance, for the exact body', () => {
    const header = signatureHeader(secret, 1_700_000_000, body);
    expect(header).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
    expect(verifySignature(secret, header, body, 1_700_000_100)).toBe(true);
    expect(verifySignature(secret, header, `${body} `, 1_700_000_100)).toBe(false);
    expect(verifySignature(newWebhookSecret(), header, body, 1_700_000_100)).toBe(false);
    expect(verifySignature(secret, header, body, 1_700_001_000)).toBe(false);
    expect(verifySignature(secret, 'garbage', body, 1_700_000_000)).toBe(false);
  });
});

describe('webhook dispatch order', () => {
  const hook = (organization: string, n: number) => ({ webhook_id: `${organization}-${String(n)}`, organization_id: organization, url: '', secret: '', registered_commit: 0n, registered_prepare: 0n });
  const hooks = [hook('a', 1), hook('a', 2), hook('a', 3), hook('b', 1), hook('c', 1), hook('c', 2)];
  it('takes each organisation\'s first webhook before any organisation\'s second, starting elsewhere each pass', () => {
    expect(interleaveByOrganization(hooks, 0).map((w) => w.webhook_id)).toEqual(['a-1', 'b-1', 'c-1', 'a-2', 'c-2', 'a-3']);
    expect(interleaveByOrganization(hooks, 1).map((w) => w.webhook_id)).toEqual(['b-1', 'c-1', 'a-1', 'c-2', 'a-2', 'a-3']);
    expect(interleaveByOrganization([], 3)).toEqual([]);
  });
});

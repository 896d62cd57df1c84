import { describe, expect, it } from 'vitest';
import { retryDelay } from '../../../../infra/webhooks/dispatcher.js';
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

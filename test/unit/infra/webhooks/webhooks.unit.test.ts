import { describe, expect, it } from 'vitest';
import { retryDelay } from '../../../../infra/webhooks/dispatcher.js';
import { newWebhookSecret, signatureHeader, verifySignature } from '../../../../infra/webhooks/signature.js';
import { refusedTarget } from '../../../../infra/webhooks/target-address.js';

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

describe('webhook targets', () => {
  it.each([
    'http://127.0.0.1:8080/x', 'http://localhost/x', 'http://10.1.2.3/x', 'http://192.168.1.10/x', 'http://172.20.0.1/x',
    'http://169.254.169.254/latest/meta-data', 'http://[::1]/x', 'http://[fd00::1]/x', 'http://[::ffff:127.0.0.1]/x',
  ])('refuses %s', async (url) => {
    expect(await refusedTarget(url)).toMatch(/private or loopback/);
  });

  it('allows a public address', async () => {
    expect(await refusedTarget('https://93.184.215.14/hook')).toBeUndefined();
  });
});

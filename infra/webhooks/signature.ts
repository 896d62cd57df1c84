import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The header a webhook request carries: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const SIGNATURE_HEADER = 'x-tracker-signature';

export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

export const signatureOf = (secret: string, timestamp: number, body: string): string =>
  createHmac('sha256', secret).update(`${String(timestamp)}.${body}`).digest('hex');

export const signatureHeader = (secret: string, timestamp: number, body: string): string =>
  `t=${String(timestamp)},v1=${signatureOf(secret, timestamp, body)}`;

/** What a receiver does (the README shows the same in a few lines): recompute and compare in constant time. */
export const verifySignature = (secret: string, header: string, body: string, nowSeconds: number, toleranceSeconds = 300): boolean => {
  const parts = Object.fromEntries(header.split(',').map((part) => part.split('=', 2) as [string, string]));
  const timestamp = Number(parts['t']);
  const given = Buffer.from(parts['v1'] ?? '', 'hex');
  const expected = Buffer.from(signatureOf(secret, timestamp, body), 'hex');
  return Number.isInteger(timestamp) && Math.abs(nowSeconds - timestamp) <= toleranceSeconds && given.length === expected.length && timingSafeEqual(given, expected);
};

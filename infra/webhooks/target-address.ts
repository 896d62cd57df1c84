import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isAllowedAddress } from './special-use-addresses.js';

/**
 * Webhook URLs are typed by organisation administrators, so the server must not be made to POST
 * into its own network (SSRF). A target is checked when it is registered and again before each
 * attempt: its host is resolved once, every address must be allowed (special-use-addresses.ts),
 * and the attempt then connects to exactly those addresses (pinned-post.ts), never to what a
 * second lookup would say (DNS rebinding).
 */
export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Resolves a host name to its addresses; the system resolver unless a test injects another. */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((entry) => ({ address: entry.address, family: entry.family === 6 ? 6 : 4 }));

export interface TargetPolicy {
  readonly allowPrivateNetworks: boolean;
  readonly resolve: Resolver;
}

export type CheckedTarget =
  | { readonly ok: true; readonly url: URL; readonly addresses: readonly ResolvedAddress[] }
  | { readonly ok: false; readonly reason: string };

const PRIVATE_HINT = 'TRACKER_WEBHOOK_ALLOW_PRIVATE_NETWORKS=true allows loopback and private networks only';

const refused = (reason: string): CheckedTarget => ({ ok: false, reason });

/** Where a delivery to `url` may connect, or why it may not (for `lastError`: names no address). */
export const checkTarget = async (url: string, policy: TargetPolicy): Promise<CheckedTarget> => {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return refused('the url is not a valid URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return refused('the url is not http or https');
  // The WHATWG parser has already normalised numeric forms (2130706433, 0x7f.1, 127.1).
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const version = isIP(host);
  const addresses: readonly ResolvedAddress[] = version === 4 || version === 6
    ? [{ address: host, family: version }]
    : await policy.resolve(host).catch(() => []);
  if (addresses.length === 0) return refused('the target host does not resolve');
  if (!addresses.every((entry) => isAllowedAddress(entry.address, policy.allowPrivateNetworks))) {
    return refused(`the target resolves to a special-use address (loopback, private, link-local, multicast, reserved); ${PRIVATE_HINT}`);
  }
  return { ok: true, url: parsed, addresses };
};

import { BlockList, isIP } from 'node:net';

/**
 * The addresses a webhook may never be sent to, as data: every entry of IANA's IPv4 and IPv6
 * Special-Purpose Address Registries (RFC 6890 and its updates, as of 2025), the multicast
 * blocks, and, for IPv6, everything outside global unicast (2000::/3), which covers the
 * deprecated IPv4-compatible (::a.b.c.d), site-local and other reserved blocks.
 *
 * Matching is node:net's BlockList (no hand parsing of addresses). Addresses that carry an IPv4
 * address inside IPv6 are refused whole, whatever the IPv4 address: IPv4-mapped (::ffff:0:0/96),
 * IPv4-compatible (::/96), NAT64 (64:ff9b::/96, 64:ff9b:1::/48), 6to4 (2002::/16), Teredo
 * (2001::/32). Limit: a deployment that reaches IPv4-only receivers only through NAT64 cannot
 * deliver to them.
 *
 * `TRACKER_WEBHOOK_ALLOW_PRIVATE_NETWORKS=true` lifts the refusal for the entries marked
 * `private` (loopback and private networks, for tests and an internal relay) and no other:
 * link-local (cloud metadata at 169.254.169.254), multicast, broadcast and the rest stay refused.
 */
export type AddressKind = 'loopback' | 'private' | 'special-use';

interface Block { readonly network: string; readonly prefix: number; readonly name: string; readonly kind: AddressKind }

export const IPV4_SPECIAL: readonly Block[] = [
  { network: '0.0.0.0', prefix: 8, name: 'this network (RFC 791)', kind: 'special-use' },
  { network: '10.0.0.0', prefix: 8, name: 'private use (RFC 1918)', kind: 'private' },
  { network: '100.64.0.0', prefix: 10, name: 'shared address space (RFC 6598)', kind: 'special-use' },
  { network: '127.0.0.0', prefix: 8, name: 'loopback (RFC 1122)', kind: 'loopback' },
  { network: '169.254.0.0', prefix: 16, name: 'link local (RFC 3927)', kind: 'special-use' },
  { network: '172.16.0.0', prefix: 12, name: 'private use (RFC 1918)', kind: 'private' },
  { network: '192.0.0.0', prefix: 24, name: 'IETF protocol assignments (RFC 6890)', kind: 'special-use' },
  { network: '192.0.2.0', prefix: 24, name: 'documentation TEST-NET-1 (RFC 5737)', kind: 'special-use' },
  { network: '192.31.196.0', prefix: 24, name: 'AS112-v4 (RFC 7535)', kind: 'special-use' },
  { network: '192.52.193.0', prefix: 24, name: 'AMT (RFC 7450)', kind: 'special-use' },
  { network: '192.88.99.0', prefix: 24, name: 'deprecated 6to4 relay anycast (RFC 7526)', kind: 'special-use' },
  { network: '192.168.0.0', prefix: 16, name: 'private use (RFC 1918)', kind: 'private' },
  { network: '192.175.48.0', prefix: 24, name: 'direct delegation AS112 service (RFC 7534)', kind: 'special-use' },
  { network: '198.18.0.0', prefix: 15, name: 'benchmarking (RFC 2544)', kind: 'special-use' },
  { network: '198.51.100.0', prefix: 24, name: 'documentation TEST-NET-2 (RFC 5737)', kind: 'special-use' },
  { network: '203.0.113.0', prefix: 24, name: 'documentation TEST-NET-3 (RFC 5737)', kind: 'special-use' },
  { network: '224.0.0.0', prefix: 4, name: 'multicast (RFC 5771)', kind: 'special-use' },
  { network: '240.0.0.0', prefix: 4, name: 'reserved (RFC 1112), with limited broadcast 255.255.255.255 (RFC 919)', kind: 'special-use' },
];

export const IPV6_SPECIAL: readonly Block[] = [
  { network: '::1', prefix: 128, name: 'loopback (RFC 4291)', kind: 'loopback' },
  { network: '::', prefix: 128, name: 'unspecified (RFC 4291)', kind: 'special-use' },
  { network: '::', prefix: 96, name: 'deprecated IPv4-compatible (RFC 4291)', kind: 'special-use' },
  { network: '::ffff:0:0', prefix: 96, name: 'IPv4-mapped (RFC 4291)', kind: 'special-use' },
  { network: '64:ff9b::', prefix: 96, name: 'IPv4/IPv6 translation (RFC 6052)', kind: 'special-use' },
  { network: '64:ff9b:1::', prefix: 48, name: 'local-use IPv4/IPv6 translation (RFC 8215)', kind: 'special-use' },
  { network: '100::', prefix: 64, name: 'discard-only (RFC 6666)', kind: 'special-use' },
  { network: '100:0:0:1::', prefix: 64, name: 'dummy IPv6 prefix (RFC 9780)', kind: 'special-use' },
  { network: '2001::', prefix: 23, name: 'IETF protocol assignments, with Teredo 2001::/32 (RFC 2928, RFC 4380)', kind: 'special-use' },
  { network: '2001:db8::', prefix: 32, name: 'documentation (RFC 3849)', kind: 'special-use' },
  { network: '2002::', prefix: 16, name: '6to4 (RFC 3056)', kind: 'special-use' },
  { network: '2620:4f:8000::', prefix: 48, name: 'direct delegation AS112 service (RFC 7534)', kind: 'special-use' },
  { network: '3fff::', prefix: 20, name: 'documentation (RFC 9637)', kind: 'special-use' },
  { network: '5f00::', prefix: 16, name: 'segment routing SIDs (RFC 9602)', kind: 'special-use' },
  { network: 'fc00::', prefix: 7, name: 'unique local (RFC 4193)', kind: 'private' },
  { network: 'fe80::', prefix: 10, name: 'link-local unicast (RFC 4291)', kind: 'special-use' },
  { network: 'ff00::', prefix: 8, name: 'multicast (RFC 4291)', kind: 'special-use' },
];

/**
 * One BlockList per family and kind, each holding only rules of its own family: BlockList
 * matches an IPv4 address against IPv6 rules as if IPv4-mapped, so mixing them would let
 * `::ffff:0:0/96` refuse every IPv4 address.
 */
const listOf = (blocks: readonly Block[], family: 'ipv4' | 'ipv6', kinds: readonly AddressKind[]): BlockList => {
  const list = new BlockList();
  for (const block of blocks) if (kinds.includes(block.kind)) list.addSubnet(block.network, block.prefix, family);
  return list;
};

const GLOBAL_UNICAST_V6 = new BlockList();
GLOBAL_UNICAST_V6.addSubnet('2000::', 3, 'ipv6');

const LISTS = {
  4: { allowable: listOf(IPV4_SPECIAL, 'ipv4', ['loopback', 'private']), refused: listOf(IPV4_SPECIAL, 'ipv4', ['special-use']) },
  6: { allowable: listOf(IPV6_SPECIAL, 'ipv6', ['loopback', 'private']), refused: listOf(IPV6_SPECIAL, 'ipv6', ['special-use']) },
} as const;

/**
 * Whether a webhook may connect to this address. Not an IP address at all is refused.
 * `allowPrivateNetworks` allows loopback and private networks only.
 */
export const isAllowedAddress = (address: string, allowPrivateNetworks: boolean): boolean => {
  const version = isIP(address);
  if (version !== 4 && version !== 6) return false;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  const lists = LISTS[version];
  try {
    if (lists.allowable.check(address, family)) return allowPrivateNetworks;
    if (version === 6 && !GLOBAL_UNICAST_V6.check(address, family)) return false;
    return !lists.refused.check(address, family);
  } catch {
    // An address BlockList cannot read (an IPv6 zone id, say) is refused.
    return false;
  }
};

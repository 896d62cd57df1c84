import { describe, expect, it } from 'vitest';
import { IPV4_SPECIAL, IPV6_SPECIAL, isAllowedAddress } from '../../../../infra/webhooks/special-use-addresses.js';
import { checkTarget, type ResolvedAddress } from '../../../../infra/webhooks/target-address.js';

/**
 * The address check behind every webhook target, at registration and before each attempt:
 * the IANA special-use registries, multicast and broadcast, IPv4 embedded in IPv6, and what
 * TRACKER_WEBHOOK_ALLOW_PRIVATE_NETWORKS does and does not allow.
 */
const v4ToInt = (address: string): number => address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
const intToV4 = (n: number): string => [24, 16, 8, 0].map((shift) => String(Math.floor(n / 2 ** shift) % 256)).join('.');
const v6ToBig = (address: string): bigint => {
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return groups.reduce((n, group) => (n << 16n) + BigInt(parseInt(group, 16)), 0n);
};
const bigToV6 = (n: bigint): string => Array.from({ length: 8 }, (_, i) => ((n >> BigInt((7 - i) * 16)) & 0xffffn).toString(16)).join(':');

/** The first and the last address of each block. */
const edgesV4 = IPV4_SPECIAL.flatMap((block) => {
  const first = v4ToInt(block.network);
  return [[block.name, block.kind, intToV4(first)], [block.name, block.kind, intToV4(first + 2 ** (32 - block.prefix) - 1)]] as const;
});
const edgesV6 = IPV6_SPECIAL.flatMap((block) => {
  const first = v6ToBig(block.network);
  return [[block.name, block.kind, bigToV6(first)], [block.name, block.kind, bigToV6(first + (1n << BigInt(128 - block.prefix)) - 1n)]] as const;
});

describe('webhook target addresses', () => {
  describe('every block of the special-use registries, at both ends', () => {
    it.each([...edgesV4, ...edgesV6])('%s (%s): %s is refused; only loopback and private pass with the allow flag', (_name, kind, address) => {
      expect(isAllowedAddress(address, false)).toBe(false);
      expect(isAllowedAddress(address, true)).toBe(kind === 'loopback' || kind === 'private');
    });
  });

  it.each([
    ['NAT64 of loopback', '64:ff9b::7f00:1'],
    ['NAT64 of a public address', '64:ff9b::808:808'],
    ['local-use NAT64', '64:ff9b:1::a00:1'],
    ['6to4 of loopback', '2002:7f00:1::1'],
    ['IPv4-compatible loopback', '::7f00:1'],
    ['IPv4-compatible public', '::808:808'],
    ['IPv4-mapped loopback', '::ffff:7f00:1'],
    ['IPv4-mapped public', '::ffff:808:808'],
    ['IPv4-translated (SIIT)', '::ffff:0:808:808'],
    ['Teredo', '2001:0:4136:e378:8000:63bf:3fff:fdd2'],
    ['benchmarking', '198.18.0.1'],
    ['benchmarking, second /16', '198.19.255.254'],
    ['IETF protocol assignments', '192.0.0.9'],
    ['multicast', '224.0.0.1'],
    ['multicast, top', '239.255.255.255'],
    ['reserved', '240.0.0.1'],
    ['limited broadcast', '255.255.255.255'],
    ['cloud metadata (link-local)', '169.254.169.254'],
    ['carrier-grade NAT', '100.64.0.1'],
    ['IPv6 link-local with a zone', 'fe80::1%eth0'],
    ['IPv6 multicast', 'ff02::1'],
    ['deprecated site-local', 'fec0::1'],
    ['reserved IPv6 outside global unicast', '4000::1'],
    ['not an address', 'example.org'],
  ])('%s (%s) is refused, with the allow flag too', (_what, address) => {
    expect(isAllowedAddress(address, false)).toBe(false);
    expect(isAllowedAddress(address, true)).toBe(false);
  });

  it.each(['127.0.0.1', '127.255.255.254', '10.1.2.3', '172.20.0.1', '192.168.1.10', '::1', 'fd00::1'])('%s (loopback or private) passes only with the allow flag', (address) => {
    expect(isAllowedAddress(address, false)).toBe(false);
    expect(isAllowedAddress(address, true)).toBe(true);
  });

  it.each([
    '8.8.8.8', '93.184.215.14', '198.17.255.255', '198.20.0.0', '223.255.255.255', '100.63.255.255', '100.128.0.0', '192.0.1.0', '11.0.0.0', '172.32.0.0',
    '2606:4700:4700::1111', '2a00:1450:4001::1', '2003::1', '2001:200::1',
  ])('a public address (%s) is allowed', (address) => {
    expect(isAllowedAddress(address, false)).toBe(true);
  });
});

describe('webhook targets (URL and name resolution)', () => {
  const resolver = (answers: Record<string, readonly ResolvedAddress[]>) => (host: string) =>
    answers[host] ? Promise.resolve(answers[host]) : Promise.reject(new Error('ENOTFOUND'));
  const policy = (answers: Record<string, readonly ResolvedAddress[]> = {}, allowPrivateNetworks = false) => ({ allowPrivateNetworks, resolve: resolver(answers) });

  it.each(['http://2130706433/x', 'http://0x7f.1/x', 'http://127.1/x', 'http://[::ffff:127.0.0.1]/x', 'http://[0:0:0:0:0:ffff:7f00:1]/x', 'http://[::127.0.0.1]/x', 'http://[64:ff9b::7f00:1]/x', 'http://[2002:7f00:1::]/x'])(
    'refuses %s (numeric and embedded forms of loopback)', async (url) => {
      const checked = await checkTarget(url, policy());
      expect(checked.ok).toBe(false);
    });

  it('refuses a name when any of its addresses is special-use, and never names the host or the address', async () => {
    const checked = await checkTarget('https://partner.example:8443/hook', policy({ 'partner.example': [{ address: '93.184.215.14', family: 4 }, { address: '10.0.0.5', family: 4 }] }));
    expect(checked).toEqual({ ok: false, reason: expect.stringMatching(/special-use/) });
    expect(JSON.stringify(checked)).not.toMatch(/partner\.example|10\.0\.0\.5|93\.184/);
  });

  it('refuses a name that does not resolve, and anything but http(s)', async () => {
    expect(await checkTarget('https://nowhere.example/hook', policy())).toEqual({ ok: false, reason: 'the target host does not resolve' });
    expect((await checkTarget('ftp://93.184.215.14/x', policy())).ok).toBe(false);
    expect((await checkTarget('not a url', policy())).ok).toBe(false);
  });

  it('allows a name that resolves only to public addresses, and returns exactly those to connect to', async () => {
    const addresses = [{ address: '93.184.215.14', family: 4 }, { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 }] as const;
    const checked = await checkTarget('https://partner.example/hook', policy({ 'partner.example': addresses }));
    expect(checked).toMatchObject({ ok: true, addresses });
  });

  it('with the allow flag, allows a loopback name (tests) but still refuses link-local', async () => {
    expect((await checkTarget('http://receiver.test/x', policy({ 'receiver.test': [{ address: '127.0.0.1', family: 4 }] }, true))).ok).toBe(true);
    expect((await checkTarget('http://metadata.test/x', policy({ 'metadata.test': [{ address: '169.254.169.254', family: 4 }] }, true))).ok).toBe(false);
  });
});

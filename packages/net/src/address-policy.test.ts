import { describe, expect, it } from 'vitest';
import { createAddressPolicy } from './address-policy.ts';
import { createGuardedLookup, guardedLookup } from './guarded-lookup.ts';
import { parseNetworkList, type Network } from './networks.ts';
import {
  assertOutboundUrl,
  resolveAllowedAddresses,
  UnsafeUrlError,
  type ResolveHost,
} from './outbound-url.ts';

function networks(text: string, why: string): Network[] {
  const result = parseNetworkList(text, why);
  if (!result.ok) throw new Error(result.message);
  return result.networks;
}

const LINK_LOCAL = 'a link-local address (cloud metadata lives there)';

describe('the default address policy', () => {
  const policy = createAddressPolicy();

  it.each([
    ['169.254.169.254', LINK_LOCAL],
    ['169.254.0.1', LINK_LOCAL],
    ['fe80::abcd', LINK_LOCAL],
    // IPv4-mapped IPv6, both spellings: the classic bypass of string checks.
    ['::ffff:169.254.169.254', LINK_LOCAL],
    ['::ffff:a9fe:a9fe', LINK_LOCAL],
    // NAT64: a gateway would turn these into 169.254.169.254.
    ['64:ff9b::a9fe:a9fe', LINK_LOCAL],
    ['64:ff9b::169.254.169.254', LINK_LOCAL],
    ['100.100.100.200', 'a cloud metadata address'],
    ['fd00:ec2::254', 'a cloud metadata address'],
    ['0.0.0.0', 'an unspecified ("this host") address'],
    ['0.1.2.3', 'an unspecified ("this host") address'],
    ['::', 'an unspecified ("this host") address'],
    ['224.0.0.1', 'not a unicast address'],
    ['255.255.255.255', 'not a unicast address'],
    ['ff02::1', 'not a unicast address'],
    // Allowed: clusters and Git servers live on private networks and on loopback.
    ['10.1.2.3', undefined],
    ['192.168.1.20', undefined],
    ['172.16.0.1', undefined],
    ['100.64.0.1', undefined],
    ['127.0.0.1', undefined],
    ['::1', undefined],
    ['::ffff:127.0.0.1', undefined],
    ['fd12:3456::1', undefined],
    ['140.82.112.3', undefined],
    ['not-an-ip', undefined],
  ])('%s -> %s', (address, reason) => {
    expect(policy.refusal(address)).toBe(reason);
  });

  it('knows loopback in every spelling', () => {
    expect(['127.0.0.1', '127.9.9.9', '::1', '::ffff:127.0.0.1'].map(policy.isLoopback)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['10.0.0.1', '::2', 'localhost'].map(policy.isLoopback)).toEqual([false, false, false]);
  });
});

describe('configured networks', () => {
  const denied = networks('10.0.0.0/8, fd00::/8', 'in FLOTILLA_DENIED_NETWORKS');
  const allowed = networks('10.20.0.0/16 192.168.1.5 169.254.0.0/16', 'allowed');

  it('a deny list adds refusals, matching IPv4-mapped spellings too', () => {
    const policy = createAddressPolicy({ denied });
    expect(policy.refusal('10.9.9.9')).toBe('in FLOTILLA_DENIED_NETWORKS');
    expect(policy.refusal('::ffff:10.9.9.9')).toBe('in FLOTILLA_DENIED_NETWORKS');
    expect(policy.refusal('fd12::1')).toBe('in FLOTILLA_DENIED_NETWORKS');
    expect(policy.refusal('192.168.1.1')).toBeUndefined();
    expect(policy.refusal('169.254.169.254')).toBe(LINK_LOCAL);
  });

  it('an allow list narrows, and never re-allows an always-denied range', () => {
    const policy = createAddressPolicy({ allowed });
    expect(policy.refusal('10.20.3.4')).toBeUndefined();
    expect(policy.refusal('192.168.1.5')).toBeUndefined();
    expect(policy.refusal('192.168.1.6')).toBe(
      'outside the networks allowed by FLOTILLA_ALLOWED_NETWORKS',
    );
    expect(policy.refusal('127.0.0.1')).toBe(
      'outside the networks allowed by FLOTILLA_ALLOWED_NETWORKS',
    );
    expect(policy.refusal('169.254.169.254')).toBe(LINK_LOCAL);
  });

  it('the deny list wins over the allow list', () => {
    const policy = createAddressPolicy({
      allowed: networks('10.0.0.0/8', 'allowed'),
      denied: networks('10.66.0.0/16', 'in FLOTILLA_DENIED_NETWORKS'),
    });
    expect(policy.refusal('10.1.1.1')).toBeUndefined();
    expect(policy.refusal('10.66.1.1')).toBe('in FLOTILLA_DENIED_NETWORKS');
  });
});

describe('parseNetworkList', () => {
  it('reads CIDR blocks and bare addresses, separated by commas or spaces', () => {
    expect(parseNetworkList(' 10.0.0.0/8,fd00::/8  1.2.3.4 ', 'x')).toEqual({
      ok: true,
      networks: [
        { address: '10.0.0.0', prefix: 8, family: 'ipv4', why: 'x' },
        { address: 'fd00::', prefix: 8, family: 'ipv6', why: 'x' },
        { address: '1.2.3.4', prefix: 32, family: 'ipv4', why: 'x' },
      ],
    });
    expect(parseNetworkList('', 'x')).toEqual({ ok: true, networks: [] });
  });

  it.each([
    ['10.0.0.0/33', '"10.0.0.0/33" has a prefix length outside 0-32'],
    ['fd00::/129', '"fd00::/129" has a prefix length outside 0-128'],
    ['10.0.0.0/x', '"10.0.0.0/x" has a prefix length outside 0-32'],
    ['10.0.0/8', '"10.0.0/8" is not a CIDR block such as 10.0.0.0/8 or fd00::/8'],
    ['example.com', '"example.com" is not a CIDR block such as 10.0.0.0/8 or fd00::/8'],
    ['10.0.0.0/8/8', '"10.0.0.0/8/8" is not a CIDR block such as 10.0.0.0/8 or fd00::/8'],
  ])('refuses %s', (text, message) => {
    expect(parseNetworkList(text, 'x')).toEqual({ ok: false, message });
  });
});

describe('assertOutboundUrl', () => {
  const check = (url: string) => {
    try {
      assertOutboundUrl(url, { what: 'the repository', schemes: ['https', 'http'] });
      return undefined;
    } catch (error) {
      if (error instanceof UnsafeUrlError) return `${error.reason}: ${error.message}`;
      throw error;
    }
  };

  it.each([
    // Spellings of 169.254.169.254 and of loopback that WHATWG URL canonicalises.
    ['http://2852039166/', 'the repository address 169.254.169.254 is ' + LINK_LOCAL],
    ['http://0xa9fea9fe/', 'the repository address 169.254.169.254 is ' + LINK_LOCAL],
    ['http://0251.0376.0251.0376/', 'the repository address 169.254.169.254 is ' + LINK_LOCAL],
    ['http://169.254.43518/', 'the repository address 169.254.169.254 is ' + LINK_LOCAL],
    ['https://169.254.169.254./', 'the repository address 169.254.169.254 is ' + LINK_LOCAL],
    [
      'https://[::ffff:169.254.169.254]/',
      'the repository address ::ffff:a9fe:a9fe is ' + LINK_LOCAL,
    ],
    [
      'https://metadata.google.internal/',
      'the repository host metadata.google.internal is a cloud metadata endpoint',
    ],
    [
      'https://METADATA.Google.Internal./',
      'the repository host metadata.google.internal is a cloud metadata endpoint',
    ],
    ['https://instance-data/', 'the repository host instance-data is a cloud metadata endpoint'],
    [
      'http://0.0.0.0:8080/',
      'the repository address 0.0.0.0 is an unspecified ("this host") address',
    ],
  ])('refuses %s', (url, message) => {
    expect(check(url)).toBe(`ForbiddenAddress: ${message}`);
  });

  it('reads 0x7f.1 and 017700000001 as 127.0.0.1, which is allowed by default', () => {
    expect(check('http://0x7f.1/repo.git')).toBeUndefined();
    expect(check('http://017700000001/repo.git')).toBeUndefined();
    const narrowed = createAddressPolicy({ allowed: networks('10.0.0.0/8', 'allowed') });
    expect(() =>
      assertOutboundUrl('http://0x7f.1/repo.git', {
        what: 'the repository',
        schemes: ['http'],
        policy: narrowed,
      }),
    ).toThrow(
      'the repository address 127.0.0.1 is outside the networks allowed by FLOTILLA_ALLOWED_NETWORKS',
    );
  });

  it('refuses other schemes, credentials and garbage without repeating the password', () => {
    expect(check('ftp://example.com/x')).toBe(
      'InsecureScheme: the repository URL must use https or http (got ftp)',
    );
    expect(check('https://bob:hunter2@example.com/x')).toBe(
      'CredentialsInUrl: the repository URL must not carry a user name or password; give credentials separately',
    );
    expect(check('not a url')).toBe('InvalidUrl: the repository URL is not a valid URL');
  });
});

describe('resolveAllowedAddresses', () => {
  const answers =
    (...addresses: string[]): ResolveHost =>
    async () =>
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

  it('refuses a name when any of its addresses is refused', async () => {
    await expect(
      resolveAllowedAddresses('git.example.com', {
        what: 'the repository',
        resolveHost: answers('10.0.0.5', '169.254.169.254'),
      }),
    ).rejects.toThrow(
      'the repository host git.example.com resolves to 169.254.169.254, ' + LINK_LOCAL,
    );
    await expect(
      resolveAllowedAddresses('git.example.com', {
        what: 'the repository',
        resolveHost: answers('::ffff:169.254.169.254'),
      }),
    ).rejects.toThrow(UnsafeUrlError);
  });

  it('returns the checked addresses, and an IP literal without DNS', async () => {
    await expect(
      resolveAllowedAddresses('git.example.com', {
        what: 'the repository',
        resolveHost: answers('10.0.0.5', 'fd00::5'),
      }),
    ).resolves.toEqual([
      { address: '10.0.0.5', family: 4 },
      { address: 'fd00::5', family: 6 },
    ]);
    const unused: ResolveHost = async () => {
      throw new Error('no DNS for a literal');
    };
    await expect(
      resolveAllowedAddresses('10.1.1.1', { what: 'x', resolveHost: unused }),
    ).resolves.toEqual([{ address: '10.1.1.1', family: 4 }]);
  });
});

describe('guardedLookup (an agent resolves through it on every connect)', () => {
  const lookupWith = (lookup: typeof guardedLookup, host: string, all: boolean) =>
    new Promise<{ error: unknown; result: unknown }>((resolve) => {
      lookup(host, { family: 4, all }, (error, result) => resolve({ error, result }));
    });

  it('resolves an allowed name like dns.lookup does, single or all', async () => {
    expect(await lookupWith(guardedLookup, 'localhost', false)).toEqual({
      error: null,
      result: '127.0.0.1',
    });
    expect(await lookupWith(guardedLookup, 'localhost', true)).toEqual({
      error: null,
      result: [{ address: '127.0.0.1', family: 4 }],
    });
  });

  it('fails the connection when the answer is a refused address', async () => {
    // dns.lookup answers an IP literal itself, which stands in for a rebinding DNS answer here.
    const { error } = await lookupWith(guardedLookup, '169.254.169.254', false);
    expect(error).toBeInstanceOf(UnsafeUrlError);
    expect((error as Error).message).toBe(
      '169.254.169.254 resolves to 169.254.169.254, ' + LINK_LOCAL,
    );
  });

  it('follows the policy it was given', async () => {
    const narrowed = createGuardedLookup(
      createAddressPolicy({ denied: networks('127.0.0.0/8', 'in FLOTILLA_DENIED_NETWORKS') }),
    );
    const { error } = await lookupWith(narrowed, 'localhost', false);
    expect((error as Error).message).toBe(
      'localhost resolves to 127.0.0.1, in FLOTILLA_DENIED_NETWORKS',
    );
  });
});

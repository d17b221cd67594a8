import { describe, expect, it } from 'vitest';
import {
  normalizeAddress,
  resolveClientAddress,
  TrustedProxies,
} from './resolve-client-address.ts';

const proxies = new TrustedProxies([
  { address: '10.0.0.0', prefix: 8, family: 'ipv4' },
  { address: 'fd00::', prefix: 8, family: 'ipv6' },
]);
const none = new TrustedProxies([]);

describe('the client address behind trusted proxies', () => {
  it.each([
    [
      'no proxies configured: the peer, whatever it forwards',
      none,
      '10.1.1.1',
      '203.0.113.9',
      '10.1.1.1',
    ],
    [
      'an untrusted peer forging X-Forwarded-For',
      proxies,
      '198.51.100.7',
      '203.0.113.9',
      '198.51.100.7',
    ],
    ['a trusted proxy: the address it saw', proxies, '10.1.1.1', '203.0.113.9', '203.0.113.9'],
    [
      'the client wrote its own entry: the right-most untrusted wins',
      proxies,
      '10.1.1.1',
      '1.1.1.1, 203.0.113.9',
      '203.0.113.9',
    ],
    [
      'two trusted proxies in a row',
      proxies,
      '10.1.1.1',
      '1.1.1.1, 203.0.113.9, 10.2.2.2',
      '203.0.113.9',
    ],
    [
      'only proxies in the list: the left-most',
      proxies,
      '10.1.1.1',
      '10.3.3.3, 10.2.2.2',
      '10.3.3.3',
    ],
    [
      'a malformed entry stops at the last vouched address',
      proxies,
      '10.1.1.1',
      '203.0.113.9, bogus',
      '10.1.1.1',
    ],
    ['a trusted proxy that forwards nothing', proxies, '10.1.1.1', null, '10.1.1.1'],
    [
      'an IPv4-mapped peer matches an IPv4 proxy list',
      proxies,
      '::ffff:10.1.1.1',
      '203.0.113.9',
      '203.0.113.9',
    ],
    ['an IPv6 proxy', proxies, 'fd00::1', '2001:db8::5', '2001:db8::5'],
    ['no peer address at all', proxies, undefined, '203.0.113.9', undefined],
  ] as const)('%s', (_name, trusted, peerAddress, forwardedFor, expected) => {
    expect(resolveClientAddress({ peerAddress, forwardedFor, trustedProxies: trusted })).toBe(
      expected,
    );
  });

  it.each([
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['[2001:DB8::1]:443', '2001:db8::1'],
    ['203.0.113.9:8080', '203.0.113.9'],
    [' 203.0.113.9 ', '203.0.113.9'],
    ['unknown', undefined],
    ['', undefined],
  ])('normalizes %j to %j', (raw, expected) => {
    expect(normalizeAddress(raw)).toBe(expected);
  });
});

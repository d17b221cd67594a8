import { isIP } from 'node:net';

/** One CIDR block. `why` is the end of a sentence: "the address 10.0.0.1 is <why>". */
export interface Network {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
  why: string;
}

/**
 * Refused for every outbound request whatever the configuration says: no cluster or Git server
 * legitimately lives there, and reaching them is what server-side request forgery is for.
 *
 * - link-local (169.254.0.0/16, fe80::/10): every cloud's instance metadata service (and the
 *   credentials it hands out) answers there;
 * - the metadata endpoints outside link-local: Alibaba 100.100.100.200, AWS IPv6 fd00:ec2::254;
 * - "this host" (0.0.0.0/8, ::): connecting to it reaches the local machine's services;
 * - multicast and broadcast: not a server.
 *
 * Loopback and the private ranges are allowed by default on purpose: clusters and Git servers
 * live on 10.x / 192.168.x networks, local clusters (kind, k3d, envtest) and a Git server beside
 * the worker on 127.0.0.1. An installation that serves untrusted users narrows this with
 * FLOTILLA_ALLOWED_NETWORKS or widens the refusals with FLOTILLA_DENIED_NETWORKS.
 */
export const ALWAYS_DENIED_NETWORKS: readonly Network[] = [
  {
    address: '169.254.0.0',
    prefix: 16,
    family: 'ipv4',
    why: 'a link-local address (cloud metadata lives there)',
  },
  {
    address: 'fe80::',
    prefix: 10,
    family: 'ipv6',
    why: 'a link-local address (cloud metadata lives there)',
  },
  { address: '100.100.100.200', prefix: 32, family: 'ipv4', why: 'a cloud metadata address' },
  { address: 'fd00:ec2::254', prefix: 128, family: 'ipv6', why: 'a cloud metadata address' },
  { address: '0.0.0.0', prefix: 8, family: 'ipv4', why: 'an unspecified ("this host") address' },
  { address: '::', prefix: 128, family: 'ipv6', why: 'an unspecified ("this host") address' },
  { address: '224.0.0.0', prefix: 4, family: 'ipv4', why: 'not a unicast address' },
  { address: '255.255.255.255', prefix: 32, family: 'ipv4', why: 'not a unicast address' },
  { address: 'ff00::', prefix: 8, family: 'ipv6', why: 'not a unicast address' },
];

export const LOOPBACK_NETWORKS: readonly Network[] = [
  { address: '127.0.0.0', prefix: 8, family: 'ipv4', why: 'a loopback address' },
  { address: '::1', prefix: 128, family: 'ipv6', why: 'a loopback address' },
];

export type ParseNetworksResult =
  { ok: true; networks: Network[] } | { ok: false; message: string };

/**
 * Parses a comma- or space-separated CIDR list ("10.0.0.0/8, fd00::/8"); a bare address is a
 * single host (/32 or /128). `why` is what a refused address is called in messages.
 */
export function parseNetworkList(text: string, why: string): ParseNetworksResult {
  const networks: Network[] = [];
  for (const entry of text.split(/[\s,]+/).filter(Boolean)) {
    const [address = '', prefixText, ...rest] = entry.split('/');
    const version = isIP(address);
    if (version === 0 || rest.length > 0) {
      return {
        ok: false,
        message: `"${entry}" is not a CIDR block such as 10.0.0.0/8 or fd00::/8`,
      };
    }
    const maxPrefix = version === 4 ? 32 : 128;
    const prefix = prefixText === undefined ? maxPrefix : Number(prefixText);
    if (!/^\d{1,3}$/.test(prefixText ?? String(maxPrefix)) || prefix > maxPrefix) {
      return {
        ok: false,
        message: `"${entry}" has a prefix length outside 0-${maxPrefix}`,
      };
    }
    networks.push({ address, prefix, family: version === 4 ? 'ipv4' : 'ipv6', why });
  }
  return { ok: true, networks };
}

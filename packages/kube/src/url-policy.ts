import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Which API server URLs Flotilla will talk to. Users register clusters by URL, so the URL is
 * attacker-controlled input to a server-side request (SSRF). The policy:
 *
 * - https only, on every host. Plain http would send the bearer token in clear, and requiring a
 *   TLS handshake first means a URL aimed at a non-TLS service (Redis, Postgres, an internal
 *   admin page) gets nothing but a ClientHello it cannot parse. `kubectl proxy` style http
 *   endpoints are therefore not supported, not even on loopback.
 * - no user:password@ in the URL (credentials belong in the credentials fields, encrypted).
 * - refused addresses: link-local (169.254.0.0/16, fe80::/10; every cloud's metadata service
 *   lives there), the metadata endpoints outside it (Alibaba 100.100.100.200, AWS IPv6
 *   fd00:ec2::254), "this host" (0.0.0.0/8, ::) and multicast / broadcast; and the metadata
 *   host names, refused by name before any DNS.
 * - loopback and private ranges are allowed: clusters live on 10.x / 192.168.x networks, and
 *   local clusters (kind, k3d, envtest) on 127.0.0.1.
 *
 * A host name is checked against every address it resolves to at registration
 * (checkApiServerUrl), and again at every connection (guardedLookup in the client's agent),
 * so a DNS answer that changes after registration (DNS rebinding) is still refused.
 */

export type UnsafeUrlReason =
  'InvalidUrl' | 'InsecureScheme' | 'CredentialsInUrl' | 'ForbiddenAddress';

export class UnsafeUrlError extends Error {
  override readonly name = 'UnsafeUrlError';

  constructor(
    readonly reason: UnsafeUrlReason,
    message: string,
  ) {
    super(message);
  }
}

const FORBIDDEN_RANGES: {
  network: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
  why: string;
}[] = [
  {
    network: '169.254.0.0',
    prefix: 16,
    family: 'ipv4',
    why: 'a link-local address (cloud metadata lives there)',
  },
  {
    network: 'fe80::',
    prefix: 10,
    family: 'ipv6',
    why: 'a link-local address (cloud metadata lives there)',
  },
  { network: '100.100.100.200', prefix: 32, family: 'ipv4', why: 'a cloud metadata address' },
  { network: 'fd00:ec2::254', prefix: 128, family: 'ipv6', why: 'a cloud metadata address' },
  { network: '0.0.0.0', prefix: 8, family: 'ipv4', why: 'an unspecified ("this host") address' },
  { network: '::', prefix: 128, family: 'ipv6', why: 'an unspecified ("this host") address' },
  { network: '224.0.0.0', prefix: 4, family: 'ipv4', why: 'not a unicast address' },
  { network: '255.255.255.255', prefix: 32, family: 'ipv4', why: 'not a unicast address' },
  { network: 'ff00::', prefix: 8, family: 'ipv6', why: 'not a unicast address' },
];

// One BlockList per reason keeps the message specific. BlockList also matches IPv4-mapped
// IPv6 (::ffff:169.254.169.254) against the IPv4 ranges, the classic bypass of string checks.
const blockLists = FORBIDDEN_RANGES.map(({ network, prefix, family, why }) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  return { list, why };
});

const METADATA_HOST_NAMES = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
]);

/** Why an IP address is refused, or undefined when it is allowed. */
export function forbiddenAddressReason(address: string): string | undefined {
  const family = isIP(address);
  if (family === 0) return undefined;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  return blockLists.find(({ list }) => list.check(address, type))?.why;
}

function hostOf(url: URL): string {
  // WHATWG URL keeps IPv6 literals bracketed and normalises IPv4 spellings (0xa9fea9fe,
  // 2852039166) to dotted quads, so checks below see one canonical form.
  return url.hostname
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '')
    .toLowerCase();
}

/**
 * The checks that need no DNS: shape, scheme, credentials, IP literals and metadata host names.
 * Returns the parsed URL. Throws UnsafeUrlError.
 */
export function assertApiServerUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UnsafeUrlError('InvalidUrl', 'the API server URL is not a valid URL');
  }
  if (parsed.protocol !== 'https:') {
    throw new UnsafeUrlError(
      'InsecureScheme',
      `the API server URL must use https (got ${parsed.protocol.replace(/:$/, '')})`,
    );
  }
  if (parsed.username || parsed.password) {
    throw new UnsafeUrlError(
      'CredentialsInUrl',
      'the API server URL must not carry a user name or password; give credentials separately',
    );
  }
  const host = hostOf(parsed);
  if (METADATA_HOST_NAMES.has(host)) {
    throw new UnsafeUrlError(
      'ForbiddenAddress',
      `the API server host ${host} is a cloud metadata endpoint`,
    );
  }
  const why = forbiddenAddressReason(host);
  if (why) {
    throw new UnsafeUrlError('ForbiddenAddress', `the API server address ${host} is ${why}`);
  }
  return parsed;
}

export type ResolveHost = (host: string) => Promise<LookupAddress[]>;

const resolveWithDns: ResolveHost = (host) =>
  new Promise((resolve, reject) => {
    dnsLookup(host, { all: true, verbatim: true }, (error, addresses) => {
      if (error) reject(error);
      else resolve(addresses);
    });
  });

/**
 * Checks an API server URL before Flotilla stores it: everything assertApiServerUrl checks,
 * plus every address the host name resolves to. A host that does not resolve (yet) is accepted:
 * the cluster then shows as Unreachable, and guardedLookup checks the answer on every connect.
 */
export async function checkApiServerUrl(
  url: string,
  { resolveHost = resolveWithDns }: { resolveHost?: ResolveHost } = {},
): Promise<void> {
  const host = hostOf(assertApiServerUrl(url));
  if (isIP(host) !== 0) return;
  let addresses: LookupAddress[];
  try {
    addresses = await resolveHost(host);
  } catch {
    return;
  }
  for (const { address } of addresses) {
    const why = forbiddenAddressReason(address);
    if (why) {
      throw new UnsafeUrlError(
        'ForbiddenAddress',
        `the API server host ${host} resolves to ${address}, ${why}`,
      );
    }
  }
}

/**
 * A `lookup` for sockets (an https.Agent option): resolves like Node does, and fails the
 * connection when any answer is a refused address. Node skips lookup for IP literals, which
 * assertApiServerUrl has already checked when the client was made.
 */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) {
      callback(error, '', 0);
      return;
    }
    const refused = addresses.find(({ address }) => forbiddenAddressReason(address) !== undefined);
    if (refused) {
      const why = forbiddenAddressReason(refused.address) ?? 'refused';
      callback(
        new UnsafeUrlError(
          'ForbiddenAddress',
          `${hostname} resolves to ${refused.address}, ${why}`,
        ),
        '',
        0,
      );
      return;
    }
    const [first] = addresses;
    if (options.all) {
      callback(null, addresses);
    } else if (first) {
      callback(null, first.address, first.family);
    } else {
      callback(
        Object.assign(new Error(`${hostname} has no addresses`), { code: 'ENOTFOUND' }),
        '',
        0,
      );
    }
  });
};

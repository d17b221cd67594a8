import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { currentAddressPolicy, type AddressPolicy } from './address-policy.ts';

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

/** Names of metadata services, refused before any DNS (they resolve only inside the cloud). */
const METADATA_HOST_NAMES = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
]);

/**
 * The host of a URL in one canonical form. WHATWG URL keeps IPv6 literals bracketed and
 * normalises IPv4 spellings (0xa9fea9fe, 2852039166, 0x7f.1, 0177.0.0.1) to dotted quads, so the
 * checks see what the socket would connect to, not what a string check would.
 */
export function hostOf(url: URL): string {
  return url.hostname
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '')
    .toLowerCase();
}

/** Why a host (name or IP literal) is refused before any DNS, or undefined. */
export function hostRefusal(
  host: string,
  policy: AddressPolicy = currentAddressPolicy(),
): string | undefined {
  if (METADATA_HOST_NAMES.has(host)) return 'a cloud metadata endpoint';
  return policy.refusal(host);
}

/** Why an IP address is refused by this process's policy, or undefined when it is allowed. */
export function forbiddenAddressReason(address: string): string | undefined {
  return currentAddressPolicy().refusal(address);
}

export interface CheckUrlOptions {
  /** What the URL is, for messages: "the API server", "the repository". */
  what: string;
  /** Accepted schemes without the colon. */
  schemes: readonly string[];
  policy?: AddressPolicy;
}

/**
 * The checks that need no DNS: shape, scheme, no userinfo, IP literals and metadata host names.
 * Returns the parsed URL; throws UnsafeUrlError. Messages never repeat the userinfo.
 */
export function assertOutboundUrl(
  url: string,
  { what, schemes, policy = currentAddressPolicy() }: CheckUrlOptions,
): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UnsafeUrlError('InvalidUrl', `${what} URL is not a valid URL`);
  }
  const scheme = parsed.protocol.replace(/:$/, '');
  if (!schemes.includes(scheme)) {
    throw new UnsafeUrlError(
      'InsecureScheme',
      `${what} URL must use ${schemes.join(' or ')} (got ${scheme})`,
    );
  }
  if (parsed.username || parsed.password) {
    throw new UnsafeUrlError(
      'CredentialsInUrl',
      `${what} URL must not carry a user name or password; give credentials separately`,
    );
  }
  const host = hostOf(parsed);
  const why = hostRefusal(host, policy);
  if (why) {
    throw new UnsafeUrlError(
      'ForbiddenAddress',
      isIP(host) === 0 ? `${what} host ${host} is ${why}` : `${what} address ${host} is ${why}`,
    );
  }
  return parsed;
}

export type ResolveHost = (host: string) => Promise<LookupAddress[]>;

export const resolveWithDns: ResolveHost = (host) =>
  new Promise((resolve, reject) => {
    dnsLookup(host, { all: true, verbatim: true }, (error, addresses) => {
      if (error) reject(error);
      else resolve(addresses);
    });
  });

export interface ResolveAllowedOptions {
  what: string;
  policy?: AddressPolicy;
  resolveHost?: ResolveHost;
}

/**
 * Every address `host` resolves to, each checked against the policy: one refused address
 * refuses the host (a name answering both a private and a metadata address is an attack, not a
 * fallback). An IP literal is checked and returned as is. DNS failures are thrown as they come.
 */
export async function resolveAllowedAddresses(
  host: string,
  { what, policy = currentAddressPolicy(), resolveHost = resolveWithDns }: ResolveAllowedOptions,
): Promise<LookupAddress[]> {
  const staticWhy = hostRefusal(host, policy);
  if (staticWhy) {
    throw new UnsafeUrlError(
      'ForbiddenAddress',
      isIP(host) === 0
        ? `${what} host ${host} is ${staticWhy}`
        : `${what} address ${host} is ${staticWhy}`,
    );
  }
  const version = isIP(host);
  if (version !== 0) return [{ address: host, family: version }];
  const addresses = await resolveHost(host);
  for (const { address } of addresses) {
    const why = policy.refusal(address);
    if (why) {
      throw new UnsafeUrlError(
        'ForbiddenAddress',
        `${what} host ${host} resolves to ${address}, ${why}`,
      );
    }
  }
  return addresses;
}

import { BlockList, isIP } from 'node:net';

/** A CIDR block, as the configuration parses FLOTILLA_TRUSTED_PROXIES. */
export interface TrustedNetwork {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/** Which peers may speak for a client through X-Forwarded-For. */
export class TrustedProxies {
  private readonly blocks = new BlockList();
  readonly isEmpty: boolean;

  constructor(networks: readonly TrustedNetwork[]) {
    for (const network of networks) {
      this.blocks.addSubnet(network.address, network.prefix, network.family);
    }
    this.isEmpty = networks.length === 0;
  }

  has(address: string): boolean {
    const family = isIP(address);
    if (family === 0) return false;
    return this.blocks.check(address, family === 4 ? 'ipv4' : 'ipv6');
  }
}

/**
 * An address as written in a header or reported by a dual-stack socket: `::ffff:10.0.0.1` is the
 * IPv4 client 10.0.0.1 (otherwise an IPv4 proxy list would never match a dual-stack socket),
 * `[::1]:443` and `10.0.0.1:80` lose their port. Anything else that is not an IP is undefined.
 */
export function normalizeAddress(raw: string | undefined | null): string | undefined {
  if (!raw) return undefined;
  let address = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) address = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(':'));
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) address = mapped[1]!;
  return isIP(address) === 0 ? undefined : address.toLowerCase();
}

/**
 * The client a request is attributed to (rate limits, audit trail). The socket's peer is the
 * only address nobody can forge; X-Forwarded-For is whatever the sender wrote, so it counts
 * only when the peer is one of our proxies. Each proxy appends the address it saw, so the list
 * is read from the right: the first address that is not a trusted proxy is the client, and
 * anything to its left was written by that client and proves nothing. A malformed entry stops
 * the walk at the last address a trusted proxy vouched for.
 */
export function resolveClientAddress({
  peerAddress,
  forwardedFor,
  trustedProxies,
}: {
  peerAddress: string | undefined;
  forwardedFor: string | null | undefined;
  trustedProxies: TrustedProxies;
}): string | undefined {
  const peer = normalizeAddress(peerAddress);
  if (!peer || !trustedProxies.has(peer) || !forwardedFor) return peer;
  let client = peer;
  const hops = forwardedFor.split(',').reverse();
  for (const hop of hops) {
    const address = normalizeAddress(hop);
    if (!address) return client;
    client = address;
    if (!trustedProxies.has(address)) return address;
  }
  return client;
}

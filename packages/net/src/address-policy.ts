import { BlockList, isIP } from 'node:net';
import { ALWAYS_DENIED_NETWORKS, LOOPBACK_NETWORKS, type Network } from './networks.ts';

export interface AddressPolicyOptions {
  /** Refused on top of ALWAYS_DENIED_NETWORKS (FLOTILLA_DENIED_NETWORKS). */
  denied?: readonly Network[];
  /** When non-empty, only these are reachable (FLOTILLA_ALLOWED_NETWORKS); never re-allows a denied one. */
  allowed?: readonly Network[];
}

export interface AddressPolicy {
  /** Why an IP address may not be connected to, or undefined when it may. Not an IP: undefined. */
  refusal: (address: string) => string | undefined;
  isLoopback: (address: string) => boolean;
}

function blockListOf(networks: readonly Network[]): BlockList {
  const list = new BlockList();
  for (const { address, prefix, family } of networks) list.addSubnet(address, prefix, family);
  return list;
}

// 64:ff9b::/96 (RFC 6052) is NAT64: a gateway turns 64:ff9b::a9fe:a9fe into 169.254.169.254.
const NAT64 = /^64:ff9b::(?:([0-9a-f]{1,4}):([0-9a-f]{1,4})|(\d+\.\d+\.\d+\.\d+))$/i;

/**
 * The IPv4 address an IPv6 address stands for, when it embeds one that a gateway would reach
 * (NAT64); the address itself otherwise. IPv4-mapped addresses (::ffff:a.b.c.d) need no help:
 * BlockList matches them against IPv4 ranges.
 */
function effectiveAddress(address: string): { address: string; type: 'ipv4' | 'ipv6' } {
  const version = isIP(address);
  if (version === 4) return { address, type: 'ipv4' };
  const nat64 = NAT64.exec(address);
  if (nat64) {
    if (nat64[3]) return { address: nat64[3], type: 'ipv4' };
    const high = Number.parseInt(nat64[1] ?? '0', 16);
    const low = Number.parseInt(nat64[2] ?? '0', 16);
    return {
      address: [high >> 8, high & 255, low >> 8, low & 255].join('.'),
      type: 'ipv4',
    };
  }
  return { address, type: 'ipv6' };
}

/**
 * One address policy for every outbound connection Flotilla makes on a user's behalf (API
 * servers, Git remotes, and later chart repositories and webhook targets). A deny list adds
 * refusals; an allow list narrows what is reachable; the always-denied ranges stay refused.
 */
export function createAddressPolicy({
  denied = [],
  allowed = [],
}: AddressPolicyOptions = {}): AddressPolicy {
  // One list per network keeps the message specific ("a link-local address", "in FLOTILLA_...").
  const deniedLists = [...ALWAYS_DENIED_NETWORKS, ...denied].map((network) => ({
    list: blockListOf([network]),
    why: network.why,
  }));
  const allowedList = allowed.length > 0 ? blockListOf(allowed) : undefined;
  const loopback = blockListOf(LOOPBACK_NETWORKS);

  return {
    refusal: (raw) => {
      if (isIP(raw) === 0) return undefined;
      const { address, type } = effectiveAddress(raw);
      const denial = deniedLists.find(({ list }) => list.check(address, type));
      if (denial) return denial.why;
      if (allowedList && !allowedList.check(address, type))
        return 'outside the networks allowed by FLOTILLA_ALLOWED_NETWORKS';
      return undefined;
    },
    isLoopback: (raw) => {
      if (isIP(raw) === 0) return false;
      const { address, type } = effectiveAddress(raw);
      return loopback.check(address, type);
    },
  };
}

let processPolicy: AddressPolicy = createAddressPolicy();

/**
 * Sets the policy of this process from its parsed configuration. Runtimes (web, worker) call it
 * once at start, before any outbound connection; until then the defaults apply. A process-wide
 * value rather than a parameter threaded through every client: the guarded lookup sits deep in
 * HTTP agents and the policy must be the same for all of them.
 */
export function configureAddressPolicy(options: AddressPolicyOptions): AddressPolicy {
  processPolicy = createAddressPolicy(options);
  return processPolicy;
}

export function currentAddressPolicy(): AddressPolicy {
  return processPolicy;
}

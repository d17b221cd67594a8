export {
  configureAddressPolicy,
  createAddressPolicy,
  currentAddressPolicy,
  type AddressPolicy,
  type AddressPolicyOptions,
} from './address-policy.ts';
export { createGuardedLookup, guardedLookup } from './guarded-lookup.ts';
export {
  ALWAYS_DENIED_NETWORKS,
  LOOPBACK_NETWORKS,
  parseNetworkList,
  type Network,
  type ParseNetworksResult,
} from './networks.ts';
export {
  assertOutboundUrl,
  forbiddenAddressReason,
  hostOf,
  hostRefusal,
  resolveAllowedAddresses,
  resolveWithDns,
  UnsafeUrlError,
  type CheckUrlOptions,
  type ResolveAllowedOptions,
  type ResolveHost,
  type UnsafeUrlReason,
} from './outbound-url.ts';

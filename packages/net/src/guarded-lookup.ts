import { lookup as dnsLookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { currentAddressPolicy, type AddressPolicy } from './address-policy.ts';
import { UnsafeUrlError } from './outbound-url.ts';

/**
 * A `lookup` for sockets (an http(s).Agent option): resolves like Node does, and fails the
 * connection when any answer is refused by the policy. Checking here, at connection time, is
 * what defeats DNS rebinding: a name that resolved to a private address when the URL was saved
 * and to 169.254.169.254 now is refused now. Node skips lookup for IP literals, which the URL
 * check has already refused or allowed.
 *
 * Without a policy it reads the process's policy on every call, so a client made before
 * configureAddressPolicy still follows the configured one.
 */
export function createGuardedLookup(policy?: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    const active = policy ?? currentAddressPolicy();
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) {
        callback(error, '', 0);
        return;
      }
      const refused = addresses.find(({ address }) => active.refusal(address) !== undefined);
      if (refused) {
        const why = active.refusal(refused.address) ?? 'refused';
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
}

export const guardedLookup: LookupFunction = createGuardedLookup();

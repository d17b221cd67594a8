import {
  assertOutboundUrl,
  hostOf,
  resolveAllowedAddresses,
  UnsafeUrlError,
  type ResolveHost,
} from '@flotilla/net';

/**
 * Which API server URLs Flotilla will talk to. The address policy (what is refused, the
 * FLOTILLA_DENIED_NETWORKS / FLOTILLA_ALLOWED_NETWORKS settings, the connection-time guarded
 * lookup) is @flotilla/net's, shared with Git and every other outbound URL. What is particular
 * to API servers:
 *
 * - https only, on every host. Plain http would send the bearer token in clear, and requiring a
 *   TLS handshake first means a URL aimed at a non-TLS service (Redis, Postgres, an internal
 *   admin page) gets nothing but a ClientHello it cannot parse. `kubectl proxy` style http
 *   endpoints are therefore not supported, not even on loopback.
 * - a host that does not resolve (yet) is accepted at registration: the cluster then shows as
 *   unreachable, and the guarded lookup checks the answer on every connect (DNS rebinding).
 */

export {
  forbiddenAddressReason,
  guardedLookup,
  UnsafeUrlError,
  type UnsafeUrlReason,
} from '@flotilla/net';

const WHAT = 'the API server';

/** The checks that need no DNS. Returns the parsed URL; throws UnsafeUrlError. */
export function assertApiServerUrl(url: string): URL {
  return assertOutboundUrl(url, { what: WHAT, schemes: ['https'] });
}

/**
 * Checks an API server URL before Flotilla stores it: everything assertApiServerUrl checks,
 * plus every address the host name resolves to.
 */
export async function checkApiServerUrl(
  url: string,
  { resolveHost }: { resolveHost?: ResolveHost } = {},
): Promise<void> {
  const host = hostOf(assertApiServerUrl(url));
  try {
    await resolveAllowedAddresses(host, { what: WHAT, ...(resolveHost ? { resolveHost } : {}) });
  } catch (error) {
    if (error instanceof UnsafeUrlError) throw error;
    // Not resolvable yet: accepted (see above).
  }
}

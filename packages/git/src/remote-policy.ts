import { isIP } from 'node:net';
import {
  assertOutboundUrl,
  currentAddressPolicy,
  hostOf,
  resolveAllowedAddresses,
  UnsafeUrlError,
  type AddressPolicy,
  type ResolveHost,
} from '@flotilla/net';
import { GitError } from './errors.ts';
import { parseRemoteUrl, redactUrl, type RemoteUrl } from './remote-url.ts';

/**
 * The outbound rules for Git remotes, on top of @flotilla/net's address policy (one policy for
 * API servers, Git, charts and webhooks):
 *
 * - https, or file:// where the installation allows it (FLOTILLA_ALLOW_FILE_GIT_URLS: tests and
 *   the demo; it reads the worker's disk). ssh:// and scp-like URLs are refused (no key
 *   handling yet), as are git's command-running transports (ext::, fd::).
 * - plain http only to a loopback address (a Git server beside the worker), or anywhere when
 *   FLOTILLA_ALLOW_INSECURE_GIT=1: without TLS whoever is on the path decides what is deployed
 *   to every cluster and reads the repository's credentials.
 * - the host's addresses are resolved and checked right before every git command that touches
 *   the network, and git is pinned to exactly those addresses (http.curloptResolve), so a DNS
 *   answer that changes between the check and the connection (rebinding) is never used.
 * - redirects are refused (http.followRedirects=false): a redirect is a second URL chosen by the
 *   server, which the checks above never saw.
 */
export interface RemotePolicyOptions {
  allowFileUrls?: boolean;
  allowInsecureHttp?: boolean;
  policy?: AddressPolicy;
}

const WHAT = 'the repository';

/**
 * The checks that need no DNS: the URL's shape and transport, credentials, IP literals, metadata
 * host names, and plain http to a host that is not loopback. Throws GitError('InvalidUrl').
 */
export function checkRemoteUrl(
  url: string,
  {
    allowFileUrls = false,
    allowInsecureHttp = false,
    policy = currentAddressPolicy(),
  }: RemotePolicyOptions = {},
): RemoteUrl {
  const remote = parseRemoteUrl(url, { allowFileUrls });
  if (remote.protocol === 'file') return remote;
  let parsed: URL;
  try {
    parsed = assertOutboundUrl(url, { what: WHAT, schemes: ['https', 'http'], policy });
  } catch (error) {
    if (error instanceof UnsafeUrlError) throw new GitError('InvalidUrl', error.message);
    throw error;
  }
  // A host name is judged by what it resolves to, at fetch time (pinRemote); an IP literal now.
  const host = hostOf(parsed);
  if (
    remote.protocol === 'http' &&
    !allowInsecureHttp &&
    isIP(host) !== 0 &&
    !policy.isLoopback(host)
  ) {
    throw new GitError(
      'InvalidUrl',
      `"${redactUrl(url)}" uses plain http: use https:// (http:// is allowed only to a loopback address, or everywhere with FLOTILLA_ALLOW_INSECURE_GIT=1)`,
    );
  }
  return remote;
}

export interface PinRemoteOptions {
  allowInsecureHttp?: boolean;
  policy?: AddressPolicy;
  resolveHost?: ResolveHost;
}

/**
 * Resolves the remote's host now, checks every address, and returns the `-c` options that make
 * git connect to those addresses only and follow no redirect. Called right before each git
 * command that reaches the network. file:// remotes need nothing.
 */
export async function pinRemote(
  remote: RemoteUrl,
  {
    allowInsecureHttp = false,
    policy = currentAddressPolicy(),
    resolveHost,
  }: PinRemoteOptions = {},
): Promise<string[]> {
  if (remote.protocol === 'file') return [];
  const url = new URL(remote.url);
  const host = hostOf(url);
  let addresses;
  try {
    addresses = await resolveAllowedAddresses(host, {
      what: WHAT,
      policy,
      ...(resolveHost ? { resolveHost } : {}),
    });
  } catch (error) {
    if (error instanceof UnsafeUrlError) throw new GitError('InvalidUrl', error.message);
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new GitError('Unreachable', `cannot resolve the repository host ${host} (${code})`);
  }
  if (
    remote.protocol === 'http' &&
    !allowInsecureHttp &&
    !addresses.every(({ address }) => policy.isLoopback(address))
  ) {
    throw new GitError(
      'InvalidUrl',
      `the repository host ${host} is not a loopback address, and plain http is allowed only there (use https://, or set FLOTILLA_ALLOW_INSECURE_GIT=1)`,
    );
  }
  const options = ['-c', 'http.followRedirects=false'];
  if (url.hostname.startsWith('[') || addresses.some(({ address }) => address === host)) {
    // An IP literal: there is no name to resolve, nothing to pin.
    return options;
  }
  const port = url.port || (remote.protocol === 'https' ? '443' : '80');
  const pinned = addresses
    .map(({ address, family }) => (family === 6 ? `[${address}]` : address))
    .join(',');
  return [...options, '-c', `http.curloptResolve=${url.hostname}:${port}:${pinned}`];
}

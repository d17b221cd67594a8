import * as oidc from 'openid-client';
import { AppError } from '../errors.ts';

/** Single sign-on as the installation configured it (FLOTILLA_OIDC_*). */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret?: string | undefined;
  /** Lower-case email domains allowed in; empty allows every user of the issuer. */
  allowedDomains: readonly string[];
  groupsClaim: string;
  roleMap: readonly { group: string; workspace: string; role: 'viewer' | 'operator' | 'admin' }[];
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const discovered = new Map<string, Promise<oidc.Configuration>>();

/**
 * The issuer's configuration (its discovery document and keys), fetched once per process.
 * Plain http is accepted only for a loopback issuer (tests, a local provider): openid-client
 * refuses it otherwise, and the configuration schema refuses any other http issuer.
 */
export function oidcIssuer(settings: OidcSettings): Promise<oidc.Configuration> {
  const key = `${settings.issuer} ${settings.clientId}`;
  let pending = discovered.get(key);
  if (!pending) {
    const url = new URL(settings.issuer);
    const isLoopbackHttp = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
    pending = oidc
      .discovery(
        url,
        settings.clientId,
        undefined,
        settings.clientSecret ? oidc.ClientSecretBasic(settings.clientSecret) : oidc.None(),
        isLoopbackHttp ? { execute: [oidc.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        // A later sign-in tries again: the issuer may just have been down.
        discovered.delete(key);
        throw new AppError(
          'Unavailable',
          `single sign-on is unavailable: the issuer ${settings.issuer} did not answer its discovery document (${(error as Error).message})`,
        );
      });
    discovered.set(key, pending);
  }
  return pending;
}

import 'server-only';
import type { NextRequest } from 'next/server';

/**
 * Carries only the id of a single sign-on in progress (its state, nonce and PKCE verifier stay
 * in Redis). Path-scoped to the callback, HttpOnly, and SameSite=Lax: the issuer's redirect
 * back is a top-level GET, which Lax cookies accompany.
 */
const FLOW_COOKIE = 'flotilla_oidc_flow';
const CALLBACK_PATH = '/api/v1/auth/oidc/callback';

export function readOidcFlowCookie(request: NextRequest): string | undefined {
  return request.cookies.get(FLOW_COOKIE)?.value || undefined;
}

export function oidcFlowCookieHeader(
  flowId: string,
  { maxAgeSeconds, isSecure }: { maxAgeSeconds: number; isSecure: boolean },
): string {
  return [
    `${FLOW_COOKIE}=${flowId}`,
    `Path=${CALLBACK_PATH}`,
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${maxAgeSeconds}`,
    ...(isSecure ? ['Secure'] : []),
  ].join('; ');
}

export function clearOidcFlowCookieHeader(isSecure: boolean): string {
  return oidcFlowCookieHeader('', { maxAgeSeconds: 0, isSecure });
}

/**
 * Where the issuer sends the browser back: on the public URL when one is configured, else on
 * the host the browser used (Next's nextUrl says "localhost" for 127.0.0.1, which the issuer
 * would not recognize). A forged Host only breaks the forger's own sign-in: the issuer accepts
 * registered redirect URIs only.
 */
export function oidcRedirectUri(
  request: NextRequest,
  { publicUrl, isSecure }: { publicUrl: string | undefined; isSecure: boolean },
): string {
  const host = request.headers.get('host');
  const base =
    publicUrl ?? (host ? `${isSecure ? 'https' : 'http'}://${host}` : request.nextUrl.origin);
  return new URL(CALLBACK_PATH, base).href;
}

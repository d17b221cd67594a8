import 'server-only';
import type { NextRequest } from 'next/server';

export const SESSION_COOKIE = 'flotilla_session';

export function readSessionCookie(request: NextRequest): string | undefined {
  return request.cookies.get(SESSION_COOKIE)?.value || undefined;
}

/**
 * Whether the browser reached us over HTTPS: directly, through a TLS-terminating proxy that
 * says so, or because the installation's public URL is https. A client faking the header only
 * makes its own cookie stricter.
 */
export function isSecureRequest(request: NextRequest, publicUrl: string | undefined): boolean {
  return (
    request.nextUrl.protocol === 'https:' ||
    request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https' ||
    Boolean(publicUrl?.startsWith('https:'))
  );
}

/**
 * HttpOnly so scripts cannot read it, SameSite=Lax so other sites' forms cannot post with it,
 * Secure whenever we are served over HTTPS.
 */
export function sessionCookieHeader(
  secret: string,
  { expiresAt, isSecure }: { expiresAt: Date; isSecure: boolean },
): string {
  return [
    `${SESSION_COOKIE}=${secret}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Expires=${expiresAt.toUTCString()}`,
    ...(isSecure ? ['Secure'] : []),
  ].join('; ');
}

export function clearSessionCookieHeader(isSecure: boolean): string {
  return [
    `${SESSION_COOKIE}=`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    'Max-Age=0',
    ...(isSecure ? ['Secure'] : []),
  ].join('; ');
}

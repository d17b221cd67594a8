import 'server-only';
import type { NextRequest } from 'next/server';

export const SESSION_COOKIE = 'flotilla_session';

export function readSessionCookie(request: NextRequest): string | undefined {
  return request.cookies.get(SESSION_COOKIE)?.value || undefined;
}

/**
 * HttpOnly so scripts cannot read it, SameSite=Lax so other sites' forms cannot post with it,
 * Secure whenever we are served over HTTPS.
 */
export function sessionCookieHeader(secret: string, { expiresAt, isSecure }: { expiresAt: Date; isSecure: boolean }): string {
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
  return [`${SESSION_COOKIE}=`, 'Path=/', 'HttpOnly', 'SameSite=Lax', 'Max-Age=0', ...(isSecure ? ['Secure'] : [])].join('; ');
}

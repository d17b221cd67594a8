import { signOut } from '@flotilla/core';
import { webContext } from '@/server/context.ts';
import { route } from '@/server/route.ts';
import {
  clearSessionCookieHeader,
  isSecureRequest,
  readSessionCookie,
} from '@/server/session-cookie.ts';

export const dynamic = 'force-dynamic';

/** 204: the session ends (its cookie no longer authenticates) and the cookie is cleared. */
export const POST = route({ auth: 'read' }, async ({ ctx, principal, origin, request }) => {
  const secret = readSessionCookie(request);
  if (secret) await signOut({ ctx, sessionSecret: secret, principal, origin });
  const isSecure = isSecureRequest(request, webContext().config.FLOTILLA_PUBLIC_URL);
  return new Response(null, {
    status: 204,
    headers: { 'set-cookie': clearSessionCookieHeader(isSecure) },
  });
});

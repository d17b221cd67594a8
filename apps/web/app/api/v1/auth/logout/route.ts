import { signOut } from '@flotilla/core';
import { route } from '@/server/route.ts';
import { clearSessionCookieHeader, readSessionCookie } from '@/server/session-cookie.ts';

export const dynamic = 'force-dynamic';

export const POST = route({ auth: 'read' }, async ({ ctx, request }) => {
  const secret = readSessionCookie(request);
  if (secret) await signOut({ ctx, sessionSecret: secret });
  return new Response(null, {
    status: 204,
    headers: { 'set-cookie': clearSessionCookieHeader(request.nextUrl.protocol === 'https:') },
  });
});

import { AppError, loginInput, signIn } from '@flotilla/core';
import { webContext } from '@/server/context.ts';
import { route } from '@/server/route.ts';
import { isSecureRequest, sessionCookieHeader } from '@/server/session-cookie.ts';

export const dynamic = 'force-dynamic';

/**
 * `{ email, password }` → 200 `{ user, workspaceId }` and the session cookie; 401 wrong email
 * or password; 429 with Retry-After while this client must wait after its failures; 403 when
 * password sign-in is turned off (FLOTILLA_LOCAL_LOGIN=0: single sign-on only).
 */
export const POST = route(
  { auth: 'public', body: loginInput },
  async ({ ctx, body, origin, request }) => {
    if (!webContext().config.FLOTILLA_LOCAL_LOGIN) {
      throw new AppError('Forbidden', 'password sign-in is turned off here: use single sign-on');
    }
    const signedIn = await signIn({ ctx, email: body.email, password: body.password, origin });
    const isSecure = isSecureRequest(request, webContext().config.FLOTILLA_PUBLIC_URL);
    return {
      body: { user: signedIn.user, workspaceId: signedIn.workspaceId },
      headers: {
        'set-cookie': sessionCookieHeader(signedIn.sessionSecret, {
          expiresAt: signedIn.expiresAt,
          isSecure,
        }),
      },
    };
  },
);

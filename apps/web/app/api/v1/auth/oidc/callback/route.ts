import { AppError, completeOidcLogin, isAppError } from '@flotilla/core';
import { webContext } from '@/server/context.ts';
import { clearOidcFlowCookieHeader, readOidcFlowCookie } from '@/server/oidc-flow-cookie.ts';
import { route } from '@/server/route.ts';
import { isSecureRequest, sessionCookieHeader } from '@/server/session-cookie.ts';

export const dynamic = 'force-dynamic';

/**
 * The issuer sends the browser back here. Signed in: 303 to the overview with the session
 * cookie. Refused (state mismatch, domain not allowed, no workspace for the groups): 303 to the
 * sign-in page, which shows why; no session is made.
 */
export const GET = route({ auth: 'public' }, async ({ ctx, request, origin }) => {
  const { oidc, config } = webContext();
  if (!oidc) throw new AppError('NotFound', 'single sign-on is not configured');
  const isSecure = isSecureRequest(request, config.FLOTILLA_PUBLIC_URL);
  const headers = new Headers({ 'cache-control': 'no-store' });
  headers.append('set-cookie', clearOidcFlowCookieHeader(isSecure));
  try {
    const signedIn = await completeOidcLogin({
      ctx,
      settings: oidc,
      flowId: readOidcFlowCookie(request),
      callbackUrl: request.nextUrl,
      origin,
    });
    headers.append(
      'set-cookie',
      sessionCookieHeader(signedIn.sessionSecret, { expiresAt: signedIn.expiresAt, isSecure }),
    );
    headers.set('location', '/');
  } catch (error) {
    if (!isAppError(error) || error.code === 'Unavailable') throw error;
    ctx.logger.info({ ip: origin.ip, reason: error.message }, 'single sign-on refused');
    headers.set('location', `/login?error=${encodeURIComponent(error.message)}`);
  }
  return new Response(null, { status: 303, headers });
});

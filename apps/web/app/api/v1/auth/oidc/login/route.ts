import { AppError, OIDC_FLOW_TTL_SECONDS, startOidcLogin } from '@flotilla/core';
import { webContext } from '@/server/context.ts';
import { oidcFlowCookieHeader, oidcRedirectUri } from '@/server/oidc-flow-cookie.ts';
import { route } from '@/server/route.ts';
import { isSecureRequest } from '@/server/session-cookie.ts';

export const dynamic = 'force-dynamic';

/** 302 to the issuer's sign-in (authorization code + PKCE); 404 when single sign-on is off. */
export const GET = route({ auth: 'public' }, async ({ ctx, request }) => {
  const { oidc, config } = webContext();
  if (!oidc) throw new AppError('NotFound', 'single sign-on is not configured');
  const isSecure = isSecureRequest(request, config.FLOTILLA_PUBLIC_URL);
  const { authorizationUrl, flowId } = await startOidcLogin({
    ctx,
    settings: oidc,
    redirectUri: oidcRedirectUri(request, { publicUrl: config.FLOTILLA_PUBLIC_URL, isSecure }),
  });
  return new Response(null, {
    status: 302,
    headers: {
      location: authorizationUrl,
      'set-cookie': oidcFlowCookieHeader(flowId, {
        maxAgeSeconds: OIDC_FLOW_TTL_SECONDS,
        isSecure,
      }),
      'cache-control': 'no-store',
    },
  });
});

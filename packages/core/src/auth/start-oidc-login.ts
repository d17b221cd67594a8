import * as oidc from 'openid-client';
import type { CoreContext } from '../context.ts';
import { oidcIssuer, type OidcSettings } from './oidc-issuer.ts';
import { generateSessionSecret } from './tokens.ts';

/** A sign-in at the issuer may take this long (typing a password, a second factor). */
export const OIDC_FLOW_TTL_SECONDS = 10 * 60;

export const oidcFlowKey = (flowId: string) => `flotilla:oidc-flow:${flowId}`;

export interface OidcFlow {
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
}

/**
 * Sends the browser to the issuer (authorization code with PKCE). The state, nonce and PKCE
 * verifier stay in Redis under a random flow id, and only that id goes to the browser (a
 * short-lived cookie): the callback must come back in the same browser, once, within 10 minutes.
 */
export async function startOidcLogin({
  ctx,
  settings,
  redirectUri,
}: {
  ctx: Pick<CoreContext, 'redis'>;
  settings: OidcSettings;
  redirectUri: string;
}): Promise<{ authorizationUrl: string; flowId: string }> {
  const issuer = await oidcIssuer(settings);
  const flow: OidcFlow = {
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
    codeVerifier: oidc.randomPKCECodeVerifier(),
    redirectUri,
  };
  const flowId = generateSessionSecret();
  await ctx.redis.set(oidcFlowKey(flowId), JSON.stringify(flow), 'EX', OIDC_FLOW_TTL_SECONDS);
  // Many issuers (Okta, Dex, ...) put the groups claim behind a scope of the same name.
  const hasGroupsScope = issuer.serverMetadata().scopes_supported?.includes(settings.groupsClaim);
  const authorizationUrl = oidc.buildAuthorizationUrl(issuer, {
    redirect_uri: redirectUri,
    scope: ['openid', 'email', 'profile', ...(hasGroupsScope ? [settings.groupsClaim] : [])].join(
      ' ',
    ),
    response_type: 'code',
    state: flow.state,
    nonce: flow.nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(flow.codeVerifier),
    code_challenge_method: 'S256',
  });
  return { authorizationUrl: authorizationUrl.href, flowId };
}

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Provider from 'oidc-provider';
import { freePort } from './ports.ts';

/** A user of the test issuer: signs in at its login form with `login`, any password. */
export interface OidcTestAccount {
  login: string;
  email: string;
  emailVerified?: boolean;
  groups?: string[];
}

export interface OidcTestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The client's redirect URI (the platform's port is known only once it has started). */
  setRedirectUri: (uri: string) => void;
  stop: () => Promise<void>;
}

/**
 * A standards-complete OpenID Connect issuer on loopback http (panva's oidc-provider, the
 * certified implementation): discovery, JWKS, authorization code with PKCE required, signed ID
 * tokens, UserInfo, and its development login form, where any password signs in the account
 * named in the login field. The groups claim is behind a `groups` scope, as at Okta or Dex.
 */
export async function startOidcProvider({
  accounts,
}: {
  accounts: readonly OidcTestAccount[];
}): Promise<OidcTestProvider> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = 'flotilla-test';
  const clientSecret = 'flotilla-test-secret-0123456789abcdef';
  const byLogin = new Map(accounts.map((account) => [account.login, account]));

  // Rebuilt when the redirect URI is set: oidc-provider takes its static clients at construction.
  const build = (redirectUri: string) =>
    new Provider(issuer, {
      clients: [
        {
          client_id: clientId,
          client_secret: clientSecret,
          redirect_uris: [redirectUri],
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
      claims: {
        openid: ['sub'],
        email: ['email', 'email_verified'],
        profile: ['name'],
        groups: ['groups'],
      },
      pkce: { required: () => true },
      cookies: { keys: ['flotilla-test-cookie-key'] },
      features: { devInteractions: { enabled: true } },
      findAccount: (_context, id) => {
        const account = byLogin.get(id);
        if (!account) return undefined;
        return {
          accountId: id,
          claims: () => ({
            sub: id,
            email: account.email,
            email_verified: account.emailVerified ?? true,
            name: account.login,
            groups: account.groups ?? [],
          }),
        };
      },
    });

  let provider = build(`${issuer}/unset`);
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    void provider.callback()(request, response);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    issuer,
    clientId,
    clientSecret,
    setRedirectUri: (uri) => {
      provider = build(uri);
    },
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

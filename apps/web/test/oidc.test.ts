import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './testkit.ts';

interface OidcTestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  setRedirectUri: (uri: string) => void;
  stop: () => Promise<void>;
}

// Loaded at run time for the reason testkit.ts gives (Next's build type-checks this folder).
const TESTKIT: string = '@flotilla/testkit';
const { startOidcProvider } = (await import(TESTKIT)) as {
  startOidcProvider: (options: {
    accounts: { login: string; email: string; emailVerified?: boolean; groups?: string[] }[];
  }) => Promise<OidcTestProvider>;
};

/** Cookies per origin, as a browser keeps them (enough for these two servers). */
class CookieJar {
  private readonly jars = new Map<string, Map<string, string>>();

  store(url: URL, response: Response): void {
    const jar = this.jars.get(url.origin) ?? new Map<string, string>();
    this.jars.set(url.origin, jar);
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      const isExpired = /max-age=0\b/i.test(line) || /expires=thu, 01 jan 1970/i.test(line);
      if (isExpired || value === '') jar.delete(name);
      else jar.set(name, value);
    }
  }

  header(url: URL): string {
    const jar = this.jars.get(url.origin);
    return jar ? [...jar].map(([name, value]) => `${name}=${value}`).join('; ') : '';
  }

  get(origin: string, name: string): string | undefined {
    return this.jars.get(origin)?.get(name);
  }
}

interface Landing {
  url: URL;
  response: Response;
}

/**
 * A browser's single sign-on: from Flotilla's "Sign in with SSO" through the issuer's login
 * form (and consent) to the first URL on Flotilla after the callback, or, with `stopAtCallback`,
 * to the callback URL itself before it is requested.
 */
async function signInWithSso(
  platform: Platform,
  login: string,
  { jar = new CookieJar(), stopAtCallback = false } = {},
): Promise<Landing & { jar: CookieJar }> {
  let url = new URL('/api/v1/auth/oidc/login', platform.url);
  let init: RequestInit = {};
  for (let step = 0; step < 20; step += 1) {
    if (stopAtCallback && url.pathname === '/api/v1/auth/oidc/callback') {
      return { url, response: new Response(null), jar };
    }
    const headers = new Headers(init.headers);
    const cookie = jar.header(url);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    jar.store(url, response);
    init = {};
    const location = response.headers.get('location');
    if (location) {
      const next = new URL(location, url);
      if (next.origin === platform.url && url.pathname === '/api/v1/auth/oidc/callback') {
        return { url: next, response, jar };
      }
      url = next;
      continue;
    }
    const html = await response.text();
    // The issuer's development interaction: a login form, then a consent form.
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
    if (!action || !prompt) throw new Error(`unexpected page at ${url}: ${html.slice(0, 300)}`);
    url = new URL(action, url);
    init = {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(
        prompt === 'login' ? { prompt, login, password: 'any' } : { prompt },
      ).toString(),
    };
  }
  throw new Error('single sign-on did not finish in 20 steps');
}

describe('single sign-on (OpenID Connect) against a real issuer', () => {
  let provider: OidcTestProvider;
  let platform: Platform;

  const sessionOf = async (jar: CookieJar) => {
    const response = await fetch(`${platform.url}/api/v1/auth/session`, {
      headers: { cookie: `flotilla_session=${jar.get(platform.url, 'flotilla_session') ?? ''}` },
    });
    return {
      status: response.status,
      body: (await response.json()) as {
        user?: { email: string };
        role?: string;
        workspaces?: { name: string; role: string }[];
      },
    };
  };

  beforeAll(async () => {
    provider = await startOidcProvider({
      accounts: [
        { login: 'olive', email: 'olive@corp.example', groups: ['platform-admins', 'everyone'] },
        { login: 'victor', email: 'Victor@corp.example', groups: ['everyone'] },
        { login: 'mallory', email: 'mallory@elsewhere.example', groups: ['platform-admins'] },
        { login: 'nemo', email: 'nemo@corp.example', groups: ['contractors'] },
      ],
    });
    platform = await startPlatform({
      isWorkerStarted: false,
      env: {
        FLOTILLA_OIDC_ISSUER: provider.issuer,
        FLOTILLA_OIDC_CLIENT_ID: provider.clientId,
        FLOTILLA_OIDC_CLIENT_SECRET: provider.clientSecret,
        FLOTILLA_OIDC_ALLOWED_DOMAINS: 'corp.example',
        FLOTILLA_OIDC_ROLE_MAP: 'platform-admins:default:admin,everyone:default:viewer',
        FLOTILLA_LOCAL_LOGIN: '0',
      },
    });
    provider.setRedirectUri(`${platform.url}/api/v1/auth/oidc/callback`);
  });
  afterAll(async () => {
    await platform?.stop();
    await provider?.stop();
  });

  it('shows "Sign in with SSO" and no password form on the sign-in page', async () => {
    const html = await (await fetch(`${platform.url}/login`)).text();
    expect(html).toContain('Sign in with SSO');
    expect(html).not.toContain('type="password"');
  });

  it('signs in through the code flow with PKCE; the groups give the roles', async () => {
    const admin = await signInWithSso(platform, 'olive');
    expect(admin.response.status).toBe(303);
    expect(admin.url.pathname).toBe('/');
    const adminSession = await sessionOf(admin.jar);
    expect(adminSession.status).toBe(200);
    expect(adminSession.body.user?.email).toBe('olive@corp.example');
    // In both groups: the higher role wins.
    expect(adminSession.body.role).toBe('admin');

    const viewer = await signInWithSso(platform, 'victor');
    const viewerSession = await sessionOf(viewer.jar);
    expect(viewerSession.body.user?.email).toBe('victor@corp.example');
    expect(viewerSession.body.role).toBe('viewer');

    const audit = (await (
      await platform.api('/api/v1/audit?action=auth.login&limit=100')
    ).json()) as { items: { actor: { label: string }; ip: string | null; details: unknown }[] };
    const olive = audit.items.find((item) => item.actor.label === 'olive@corp.example');
    expect(olive?.details).toEqual({ method: 'oidc' });
    expect(olive?.ip).toBe('127.0.0.1');
  });

  it('refuses an email domain that is not allowed, and makes no session', async () => {
    const refused = await signInWithSso(platform, 'mallory');
    expect(refused.url.pathname).toBe('/login');
    expect(refused.url.searchParams.get('error')).toBe(
      'single sign-on refused: accounts of elsewhere.example may not sign in here',
    );
    expect(refused.jar.get(platform.url, 'flotilla_session')).toBeUndefined();
  });

  it('refuses a user whose groups map to no workspace', async () => {
    const refused = await signInWithSso(platform, 'nemo');
    expect(refused.url.searchParams.get('error')).toMatch(/none of your groups/);
    expect(refused.jar.get(platform.url, 'flotilla_session')).toBeUndefined();
  });

  it('refuses a callback whose state does not match the one this browser started', async () => {
    const started = await signInWithSso(platform, 'olive', { stopAtCallback: true });
    const tampered = new URL(started.url);
    tampered.searchParams.set('state', 'forged-state');
    const response = await fetch(tampered, {
      headers: { cookie: started.jar.header(tampered) },
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!, platform.url);
    expect(location.pathname).toBe('/login');
    expect(location.searchParams.get('error')).toMatch(/^single sign-on failed: .*state/);
    expect(response.headers.getSetCookie().join('\n')).not.toContain('flotilla_session=');

    // A callback from a browser that started no sign-in (no flow cookie) is refused too.
    const foreign = await fetch(started.url, { redirect: 'manual' });
    const foreignLocation = new URL(foreign.headers.get('location')!, platform.url);
    expect(foreignLocation.searchParams.get('error')).toMatch(/not started in this browser/);
  });

  it('refuses password sign-in when FLOTILLA_LOCAL_LOGIN=0, even with the right password', async () => {
    const response = await fetch(`${platform.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: platform.adminEmail, password: platform.adminPassword }),
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { detail: string }).detail).toBe(
      'password sign-in is turned off here: use single sign-on',
    );
  });
});

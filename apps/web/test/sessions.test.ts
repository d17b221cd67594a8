import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMember,
  browser,
  createToken,
  json,
  signIn,
  uniqueName,
  type Session,
} from './access-helpers.ts';
import { startPlatform, type Platform } from './testkit.ts';

interface SessionBody {
  role: string;
  workspace: { id: string; name: string };
  workspaces: { id: string; name: string; role: string }[];
}

describe('sessions', () => {
  let platform: Platform;
  let admin: Session;

  const login = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${platform.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: platform.url, ...headers },
      body: JSON.stringify(body),
    });
  const sessionOf = (session: Session) => browser(platform, session, '/auth/session');

  beforeAll(async () => {
    platform = await startPlatform({ isWorkerStarted: false });
    admin = await signIn(platform, platform.adminEmail, platform.adminPassword);
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('sets an HttpOnly, SameSite=Lax cookie, Secure when the browser came over HTTPS', async () => {
    const plain = await login({ email: platform.adminEmail, password: platform.adminPassword });
    expect(plain.status).toBe(200);
    const cookie = plain.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^flotilla_session=[A-Za-z0-9_-]{43}; /);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure');
    const viaTls = await login(
      { email: platform.adminEmail, password: platform.adminPassword },
      { 'x-forwarded-proto': 'https' },
    );
    expect(viaTls.headers.get('set-cookie')).toContain('; Secure');
  });

  it('ends on logout: the cookie is cleared and no longer signs anyone in', async () => {
    const member = await addMember(platform, platform.bootstrapToken, 'operator');
    const session = await signIn(platform, member.email, member.password);
    expect((await sessionOf(session)).status).toBe(200);
    const logout = await browser(platform, session, '/auth/logout', { method: 'POST' });
    expect(logout.status).toBe(204);
    expect(logout.headers.get('set-cookie')).toMatch(/^flotilla_session=; .*Max-Age=0/);
    expect((await sessionOf(session)).status).toBe(401);
    const audit = await json<{ items: { action: string; actor: { label: string } }[] }>(
      await platform.api('/api/v1/audit?action=auth.logout'),
    );
    expect(audit.items.map((entry) => entry.actor.label)).toContain(member.email);
  });

  it('ends when the user gets another role, and the next sign-in has the new role', async () => {
    const member = await addMember(platform, platform.bootstrapToken, 'operator');
    const session = await signIn(platform, member.email, member.password);
    expect((await json<SessionBody>(await sessionOf(session))).role).toBe('operator');
    const changed = await platform.api(`/api/v1/members/${member.id}`, {
      method: 'PATCH',
      json: { role: 'viewer' },
    });
    expect(changed.status).toBe(200);
    expect((await sessionOf(session)).status).toBe(401);
    const again = await signIn(platform, member.email, member.password);
    expect((await json<SessionBody>(await sessionOf(again))).role).toBe('viewer');
    expect(
      (await browser(platform, again, '/clusters', { method: 'POST', json: { name: 'x' } })).status,
    ).toBe(403);
  });

  it('ends when the user is removed, and the tokens they made there stop working', async () => {
    const member = await addMember(platform, platform.bootstrapToken, 'admin');
    const session = await signIn(platform, member.email, member.password);
    const token = await createToken(platform, session, 'admin');
    expect((await platform.api('/api/v1/clusters', { token: token.token })).status).toBe(200);
    expect((await platform.api(`/api/v1/members/${member.id}`, { method: 'DELETE' })).status).toBe(
      204,
    );
    expect((await sessionOf(session)).status).toBe(401);
    expect((await platform.api('/api/v1/clusters', { token: token.token })).status).toBe(401);
    expect((await login({ email: member.email, password: member.password })).status).toBe(403);
  });

  it('revokes, on a demotion, the tokens stronger than the new role and keeps the others', async () => {
    const member = await addMember(platform, platform.bootstrapToken, 'admin');
    const session = await signIn(platform, member.email, member.password);
    const [adminToken, viewerToken] = [
      await createToken(platform, session, 'admin'),
      await createToken(platform, session, 'viewer'),
    ];
    await json(
      await platform.api(`/api/v1/members/${member.id}`, {
        method: 'PATCH',
        json: { role: 'operator' },
      }),
    );
    expect((await platform.api('/api/v1/clusters', { token: adminToken.token })).status).toBe(401);
    expect((await platform.api('/api/v1/clusters', { token: viewerToken.token })).status).toBe(200);
  });

  it('switches to another workspace of the user, and to no other', async () => {
    const created = await json<{ id: string; name: string; role: string }>(
      await browser(platform, admin, '/workspaces', {
        method: 'POST',
        json: { name: uniqueName('team') },
      }),
    );
    expect(created.role).toBe('admin');
    await json(
      await platform.api('/api/v1/clusters', {
        json: { name: 'only-in-default', apiServerUrl: 'https://127.0.0.1:1', token: 'unused' },
      }),
    );
    const switched = await json<SessionBody>(
      await browser(platform, admin, '/auth/workspace', {
        method: 'POST',
        json: { workspaceId: created.id },
      }),
    );
    expect(switched.workspace).toEqual({ id: created.id, name: created.name });
    expect((await json<SessionBody>(await sessionOf(admin))).workspace.id).toBe(created.id);
    expect(
      (await json<{ items: unknown[] }>(await browser(platform, admin, '/clusters'))).items,
    ).toEqual([]);
    const mine = await json<{ items: { id: string; isCurrent: boolean }[] }>(
      await browser(platform, admin, '/workspaces'),
    );
    expect(mine.items.find((workspace) => workspace.id === created.id)?.isCurrent).toBe(true);

    // A workspace the admin is no member of answers like one that does not exist.
    const outsider = await addMember(platform, platform.bootstrapToken, 'admin');
    const outsiderSession = await signIn(platform, outsider.email, outsider.password);
    const theirs = await json<{ id: string }>(
      await browser(platform, outsiderSession, '/workspaces', {
        method: 'POST',
        json: { name: uniqueName('theirs') },
      }),
    );
    for (const workspaceId of [theirs.id, 'no-such-workspace']) {
      const refused = await browser(platform, admin, '/auth/workspace', {
        method: 'POST',
        json: { workspaceId },
      });
      expect(refused.status).toBe(404);
    }
    await json(
      await browser(platform, admin, '/auth/workspace', {
        method: 'POST',
        json: {
          workspaceId: switched.workspaces.find((workspace) => workspace.name === 'default')!.id,
        },
      }),
    );
  });

  it('keeps the last admin of a workspace (409), by demotion or removal', async () => {
    const owner = await addMember(platform, platform.bootstrapToken, 'admin');
    const session = await signIn(platform, owner.email, owner.password);
    const workspace = await json<{ id: string }>(
      await browser(platform, session, '/workspaces', {
        method: 'POST',
        json: { name: uniqueName('solo') },
      }),
    );
    await json(
      await browser(platform, session, '/auth/workspace', {
        method: 'POST',
        json: { workspaceId: workspace.id },
      }),
    );
    const members = await json<{ items: { id: string; email: string; role: string }[] }>(
      await browser(platform, session, '/members'),
    );
    expect(members.items).toEqual([expect.objectContaining({ email: owner.email, role: 'admin' })]);
    const self = members.items[0]!.id;
    const demote = await browser(platform, session, `/members/${self}`, {
      method: 'PATCH',
      json: { role: 'operator' },
    });
    expect(demote.status).toBe(409);
    expect((await demote.json()).detail).toContain('at least one admin');
    expect(
      (await browser(platform, session, `/members/${self}`, { method: 'DELETE' })).status,
    ).toBe(409);
  });
});

describe('cross-site requests', () => {
  let platform: Platform;
  let admin: Session;
  const cluster = () => ({
    name: uniqueName('csrf'),
    apiServerUrl: 'https://127.0.0.1:1',
    token: 'unused',
  });
  const clusterNames = async () =>
    (await json<{ items: { name: string }[] }>(await platform.api('/api/v1/clusters'))).items.map(
      (item) => item.name,
    );

  beforeAll(async () => {
    platform = await startPlatform({ isWorkerStarted: false });
    admin = await signIn(platform, platform.adminEmail, platform.adminPassword);
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('refuses a write with the session cookie from another site, and changes nothing', async () => {
    const body = cluster();
    const response = await browser(platform, admin, '/clusters', {
      method: 'POST',
      json: body,
      origin: 'https://attacker.example',
    });
    expect(response.status).toBe(403);
    expect((await response.json()).detail).toContain('cross-site');
    expect(await clusterNames()).not.toContain(body.name);
  });

  it('refuses a cookie write without Origin unless the browser says it is same-origin', async () => {
    expect(
      (
        await browser(platform, admin, '/clusters', {
          method: 'POST',
          json: cluster(),
          origin: null,
        })
      ).status,
    ).toBe(403);
    const sameOrigin = await fetch(`${platform.url}/api/v1/clusters`, {
      method: 'POST',
      headers: {
        cookie: admin.cookie,
        'sec-fetch-site': 'same-origin',
        'content-type': 'application/json',
      },
      body: JSON.stringify(cluster()),
    });
    expect(sameOrigin.status).toBe(201);
  });

  it('accepts the same write from our own pages, and from a Bearer token without any Origin', async () => {
    expect(
      (await browser(platform, admin, '/clusters', { method: 'POST', json: cluster() })).status,
    ).toBe(201);
    expect((await platform.api('/api/v1/clusters', { json: cluster() })).status).toBe(201);
  });

  it('refuses a login form posted from another site (login CSRF), accepts one without Origin', async () => {
    const credentials = JSON.stringify({
      email: platform.adminEmail,
      password: platform.adminPassword,
    });
    const foreign = await fetch(`${platform.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://attacker.example' },
      body: credentials,
    });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('set-cookie')).toBeNull();
    const script = await fetch(`${platform.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: credentials,
    });
    expect(script.status).toBe(200);
  });
});

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

interface Problem {
  status: number;
  errors?: { path: string; message: string }[];
  detail: string;
}
interface AuditItem {
  at: string;
  action: string;
  objectType: string;
  objectId: string | null;
  ip: string | null;
  actor: { type: string; id: string | null; label: string };
  details: Record<string, unknown>;
}

describe('members, tokens and the audit trail', () => {
  let platform: Platform;
  let admin: Session;

  const members = (body: unknown) => platform.api('/api/v1/members', { json: body });
  const audit = async (query: string) =>
    await json<{ items: AuditItem[]; nextCursor: string | null }>(
      await platform.api(`/api/v1/audit?${query}`),
    );

  beforeAll(async () => {
    // The test process plays a reverse proxy, so the X-Forwarded-For it sends is the client the
    // audit trail records (from an untrusted peer it would be ignored: brute-force.test.ts).
    platform = await startPlatform({
      isWorkerStarted: false,
      env: { FLOTILLA_TRUSTED_PROXIES: '127.0.0.1/32' },
    });
    admin = await signIn(platform, platform.adminEmail, platform.adminPassword);
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it.each([
    [{ email: 'new-person@example.com', role: 'viewer' }, 'password', 'is required for a new user'],
    [
      { email: 'new-person@example.com', role: 'viewer', password: 'short' },
      'password',
      'at least 12 characters',
    ],
    [
      { email: 'not-an-email', role: 'viewer', password: 'long enough password' },
      'email',
      'email address',
    ],
    [
      { email: 'new-person@example.com', role: 'owner', password: 'long enough password' },
      'role',
      'admin, operator, viewer',
    ],
  ])('refuses a member %j naming the field', async (body, path, message) => {
    const response = await members(body);
    expect(response.status).toBe(422);
    const problem = (await response.json()) as Problem;
    expect(problem.errors).toEqual([
      expect.objectContaining({ path, message: expect.stringContaining(message) }),
    ]);
  });

  it('adds an existing account without touching its password, and refuses a second membership', async () => {
    const elsewhere = await addMember(platform, platform.bootstrapToken, 'viewer');
    const session = await signIn(platform, elsewhere.email, elsewhere.password);
    expect((await members({ email: elsewhere.email, role: 'viewer' })).status).toBe(409);

    const owner = await addMember(platform, platform.bootstrapToken, 'admin');
    const ownerSession = await signIn(platform, owner.email, owner.password);
    const workspace = await json<{ id: string }>(
      await browser(platform, ownerSession, '/workspaces', {
        method: 'POST',
        json: { name: uniqueName('w') },
      }),
    );
    await json(
      await browser(platform, ownerSession, '/auth/workspace', {
        method: 'POST',
        json: { workspaceId: workspace.id },
      }),
    );
    const added = await json<{ email: string; role: string; isNewUser: boolean }>(
      await browser(platform, ownerSession, '/members', {
        method: 'POST',
        json: {
          email: elsewhere.email.toUpperCase(),
          role: 'operator',
          password: 'an attempt to take over',
        },
      }),
    );
    expect(added).toMatchObject({ email: elsewhere.email, role: 'operator', isNewUser: false });
    await signIn(platform, elsewhere.email, elsewhere.password);
    expect((await browser(platform, session, '/auth/session')).status).toBe(200);
  });

  it('shows a token secret once, lists it by prefix, and refuses it once revoked', async () => {
    const created = await createToken(platform, admin, 'operator', 'ci-deployer');
    expect(created.token).toMatch(/^flt_[A-Za-z0-9]{40}$/);
    expect(created.token.startsWith(created.prefix)).toBe(true);
    const listText = await (await browser(platform, admin, '/tokens')).text();
    expect(listText).not.toContain(created.token);
    const listed = (JSON.parse(listText) as { items: Record<string, unknown>[] }).items.find(
      (item) => item.id === created.id,
    )!;
    expect(Object.keys(listed).sort()).toEqual([
      'createdAt',
      'id',
      'lastUsedAt',
      'name',
      'prefix',
      'revokedAt',
      'role',
    ]);
    expect(listed).toMatchObject({
      name: 'ci-deployer',
      role: 'operator',
      prefix: created.prefix,
      lastUsedAt: null,
      revokedAt: null,
    });

    expect((await platform.api('/api/v1/clusters', { token: created.token })).status).toBe(200);
    expect((await platform.api('/api/v1/clusters', { token: created.token })).status).toBe(200);
    expect(
      (await browser(platform, admin, `/tokens/${created.id}`, { method: 'DELETE' })).status,
    ).toBe(204);
    expect((await platform.api('/api/v1/clusters', { token: created.token })).status).toBe(401);
    const after = (
      await json<{ items: { id: string; lastUsedAt: string | null; revokedAt: string | null }[] }>(
        await browser(platform, admin, '/tokens'),
      )
    ).items.find((item) => item.id === created.id)!;
    expect(after.lastUsedAt).not.toBeNull();
    expect(after.revokedAt).not.toBeNull();

    const trail = await audit(`objectType=token&limit=100`);
    const forToken = trail.items
      .filter((item) => item.objectId === created.id)
      .map((item) => item.action);
    // Newest first; two uses within a minute are one entry.
    expect(forToken).toEqual(['token.revoke', 'token.use', 'token.create']);
  });

  it('gives an expiring token its expiry, validated in whole days', async () => {
    const response = await browser(platform, admin, '/tokens', {
      method: 'POST',
      json: { name: 'temp', role: 'viewer', expiresInDays: 7 },
    });
    const created = await json<{ token: string; expiresAt: string }>(response);
    const days = (new Date(created.expiresAt).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
    expect((await platform.api('/api/v1/clusters', { token: created.token })).status).toBe(200);
    const bad = await browser(platform, admin, '/tokens', {
      method: 'POST',
      json: { name: 'temp', role: 'viewer', expiresInDays: 0.5 },
    });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as Problem).errors?.[0]?.path).toBe('expiresInDays');
  });

  it('records who did what to which object, from where, newest first, page by page', async () => {
    const cluster = await json<{ id: string }>(
      await platform.api('/api/v1/clusters', {
        json: { name: 'audited', apiServerUrl: 'https://127.0.0.1:1', token: 'unused' },
        headers: { 'x-forwarded-for': '192.0.2.44' },
      }),
    );
    const [entry] = (await audit('action=cluster.create')).items;
    expect(entry).toMatchObject({
      action: 'cluster.create',
      objectType: 'cluster',
      objectId: cluster.id,
      ip: '192.0.2.44',
      actor: { type: 'bootstrap', label: 'bootstrap token' },
    });

    const first = await audit('limit=2');
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = await audit(`limit=2&cursor=${first.nextCursor}`);
    const all = await audit('limit=4');
    expect([...first.items, ...second.items]).toEqual(all.items);
    const times = all.items.map((item) => item.at);
    expect([...times].sort().reverse()).toEqual(times);

    const logins = await audit('action=auth.login');
    expect(logins.items).toContainEqual(
      expect.objectContaining({
        actor: expect.objectContaining({ type: 'user', label: platform.adminEmail }),
        ip: '198.51.100.1',
      }),
    );
  });

  it("keeps another workspace's members and tokens out of reach (404)", async () => {
    const owner = await addMember(platform, platform.bootstrapToken, 'admin');
    const session = await signIn(platform, owner.email, owner.password);
    const workspace = await json<{ id: string }>(
      await browser(platform, session, '/workspaces', {
        method: 'POST',
        json: { name: uniqueName('iso') },
      }),
    );
    await json(
      await browser(platform, session, '/auth/workspace', {
        method: 'POST',
        json: { workspaceId: workspace.id },
      }),
    );
    const foreignToken = await createToken(platform, session, 'viewer');
    const foreignMember = (
      await json<{ items: { id: string }[] }>(await browser(platform, session, '/members'))
    ).items[0]!;
    expect(
      (await platform.api(`/api/v1/tokens/${foreignToken.id}`, { method: 'DELETE' })).status,
    ).toBe(404);
    expect(
      (
        await platform.api(`/api/v1/members/${foreignMember.id}`, {
          method: 'PATCH',
          json: { role: 'viewer' },
        })
      ).status,
    ).toBe(404);
    expect(
      (await platform.api(`/api/v1/members/${foreignMember.id}`, { method: 'DELETE' })).status,
    ).toBe(404);
    const ours = await json<{ items: { id: string }[] }>(await platform.api('/api/v1/tokens'));
    expect(ours.items.map((item) => item.id)).not.toContain(foreignToken.id);
    expect((await platform.api('/api/v1/clusters', { token: foreignToken.token })).status).toBe(
      200,
    );
  });
});

import { createBareRepo, startPlatform, type BareRepo, type Platform } from './testkit.ts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { discoverMutatingRoutes } from './api-routes.ts';
import {
  CALLERS,
  expectedStatus,
  FOREIGN_ORIGIN,
  routeTable,
  type Call,
  type Caller,
  type ProtectedRoute,
  type PublicRoute,
  type Role,
} from './route-table.ts';
import { browser, createToken, json, signIn, uniqueName, type Session } from './access-helpers.ts';

describe('who may call each mutating endpoint', () => {
  let platform: Platform;
  let repo: BareRepo;
  let adminSession: Session;
  const tokens = {} as Record<Role | 'revoked' | 'foreign', string>;
  const ids = {} as Record<
    'workspace' | 'cluster' | 'group' | 'gitRepo' | 'bundle' | 'deployment',
    string
  >;

  /** Fixtures are made with the admin token of workspace A, like a user would. */
  const admin = (pathname: string, body: unknown) =>
    platform.api(`/api/v1${pathname}`, { token: tokens.admin, json: body });
  const newCluster = async (labels: Record<string, string> = {}) =>
    (
      await json<{ id: string }>(
        await admin('/clusters', {
          name: uniqueName('c'),
          labels,
          apiServerUrl: 'https://127.0.0.1:1',
          token: 'unused',
        }),
      )
    ).id;
  const newGroup = async () =>
    (
      await json<{ id: string }>(
        await admin('/cluster-groups', { name: uniqueName('g'), selector: 'team=a' }),
      )
    ).id;
  const newGitRepo = async (targets: unknown[] = []) =>
    (
      await json<{ id: string }>(
        await admin('/gitrepos', { name: uniqueName('r'), url: repo.url, targets }),
      )
    ).id;

  const ROUTES = routeTable({
    get platform() {
      return platform;
    },
    ids,
    get adminToken() {
      return tokens.admin;
    },
    get repoUrl() {
      return repo.url;
    },
    get adminSession() {
      return adminSession;
    },
    newCluster: () => newCluster(),
    newGroup,
    newGitRepo: () => newGitRepo(),
  });

  const send = (caller: Caller, method: string, call: Call): Promise<Response> => {
    const headers: Record<string, string> = {};
    const bearer: Partial<Record<Caller, string>> = {
      'revoked token': tokens.revoked,
      viewer: tokens.viewer,
      operator: tokens.operator,
      admin: tokens.admin,
      'other workspace': tokens.foreign,
    };
    if (bearer[caller]) headers.authorization = `Bearer ${bearer[caller]}`;
    if (caller === 'cross-site session') {
      headers.cookie = adminSession.cookie;
      headers.origin = FOREIGN_ORIGIN;
    }
    if (call.json !== undefined) headers['content-type'] = 'application/json';
    return fetch(`${platform.url}/api/v1${call.path}`, {
      method,
      headers,
      ...(call.json !== undefined ? { body: JSON.stringify(call.json) } : {}),
    });
  };

  beforeAll(async () => {
    [platform, repo] = await Promise.all([
      startPlatform({ env: { FLOTILLA_TICK_SECONDS: '1', FLOTILLA_SWEEP_INTERVAL_SECONDS: '2' } }),
      createBareRepo({
        'app/fleet.yaml': 'defaultNamespace: access-test\n',
        'app/config.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: test\n',
      }),
    ]);
    adminSession = await signIn(platform, platform.adminEmail, platform.adminPassword);
    ids.workspace = adminSession.workspaceId;
    for (const role of ['admin', 'operator', 'viewer'] as const)
      tokens[role] = (await createToken(platform, adminSession, role)).token;
    const revoked = await createToken(platform, adminSession, 'admin');
    expect(
      (await browser(platform, adminSession, `/tokens/${revoked.id}`, { method: 'DELETE' })).status,
    ).toBe(204);
    tokens.revoked = revoked.token;

    // Workspace B with its own admin, who is no member of A.
    const other = await json<{ id: string }>(
      await browser(platform, adminSession, '/workspaces', {
        method: 'POST',
        json: { name: 'other' },
      }),
    );
    await json(
      await browser(platform, adminSession, '/auth/workspace', {
        method: 'POST',
        json: { workspaceId: other.id },
      }),
    );
    const bob = { email: 'bob@example.com', password: 'bobs long password' };
    await json(
      await browser(platform, adminSession, '/members', {
        method: 'POST',
        json: { ...bob, role: 'admin' },
      }),
    );
    await json(
      await browser(platform, adminSession, '/auth/workspace', {
        method: 'POST',
        json: { workspaceId: ids.workspace },
      }),
    );
    const bobSession = await signIn(platform, bob.email, bob.password);
    expect(bobSession.workspaceId).toBe(other.id);
    tokens.foreign = (await createToken(platform, bobSession, 'admin')).token;

    ids.cluster = await newCluster({ team: 'a' });
    ids.group = await newGroup();
    ids.gitRepo = await newGitRepo([
      { name: 'team-a', clusterSelector: { matchLabels: { team: 'a' } } },
    ]);
    ids.bundle = await vi.waitFor(
      async () => {
        const gitRepo = await json<{ bundles: { id: string }[]; state: string; message: string }>(
          await platform.api(`/api/v1/gitrepos/${ids.gitRepo}`, { token: tokens.admin }),
        );
        if (!gitRepo.bundles[0])
          throw new Error(`no bundle yet (${gitRepo.state}: ${gitRepo.message})`);
        return gitRepo.bundles[0].id;
      },
      { timeout: 90_000, interval: 500 },
    );
    ids.deployment = await vi.waitFor(
      async () => {
        const deployments = await json<{ items: { id: string }[] }>(
          await platform.api(`/api/v1/bundles/${ids.bundle}/deployments`, { token: tokens.admin }),
        );
        if (!deployments.items[0]) throw new Error('no deployment yet');
        return deployments.items[0].id;
      },
      { timeout: 90_000, interval: 500 },
    );
  });

  afterAll(async () => {
    await platform?.stop();
    await repo?.remove();
  });

  it('has a row for every mutating route the API serves, and none for a route that is gone', () => {
    const served = discoverMutatingRoutes();
    expect(
      served.filter((route) => !(route in ROUTES)),
      'routes missing from the table',
    ).toEqual([]);
    expect(
      Object.keys(ROUTES).filter((route) => !served.includes(route)),
      'rows for routes that no longer exist',
    ).toEqual([]);
  });

  it.each(
    Object.keys(ROUTES).filter((key) => !['public', 'catch-all'].includes(ROUTES[key]!.access)),
  )('%s answers each caller as its role allows', async (key) => {
    const row = ROUTES[key] as ProtectedRoute;
    const method = key.split(' ')[0]!;
    const actual: Record<string, number> = {};
    const expected: Record<string, number> = {};
    for (const caller of CALLERS) {
      const call = await row.prepare();
      const response = await send(caller, method, call);
      actual[caller] = response.status;
      expected[caller] = expectedStatus(row, caller);
      // The body says why, when the status is not what the table expects.
      if (response.status !== expected[caller])
        console.warn(`${key} as ${caller}: ${response.status} ${await response.text()}`);
    }
    expect(actual).toEqual(expected);
  });

  it.each(Object.keys(ROUTES).filter((key) => ROUTES[key]!.access === 'public'))(
    '%s is public, answers a caller without a token as documented, and refuses another site',
    async (key) => {
      const row = ROUTES[key] as PublicRoute;
      const method = key.split(' ')[0]!;
      expect((await send('anonymous', method, row.anonymous.prepare())).status).toBe(
        row.anonymous.status,
      );
      expect((await send('cross-site session', method, row.anonymous.prepare())).status).toBe(403);
    },
  );

  it.each(Object.keys(ROUTES).filter((key) => ROUTES[key]!.access === 'catch-all'))(
    '%s on an unknown path is 404',
    async (key) => {
      const method = key.split(' ')[0]!;
      expect((await send('admin', method, { path: '/no-such-endpoint', json: {} })).status).toBe(
        404,
      );
    },
  );
});

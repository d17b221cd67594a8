import { createBareRepo, startPlatform, type BareRepo, type Platform } from './testkit.ts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateApiToken, hashSecret } from '@flotilla/core';
import { discoverMutatingRoutes, discoverReadRoutes } from './api-routes.ts';
import { expectedReadStatus, readRouteTable, type ReadRoute } from './read-route-table.ts';
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
    | 'workspace'
    | 'cluster'
    | 'group'
    | 'gitRepo'
    | 'bundle'
    | 'deployment'
    | 'notificationRule'
    | 'pullRequestPreview',
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

  const send = (
    caller: Caller,
    method: string,
    call: Call,
    signal?: AbortSignal,
  ): Promise<Response> => {
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
      ...(signal ? { signal } : {}),
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
    ids.notificationRule = (
      await json<{ id: string }>(
        await admin('/notifications/rules', {
          name: uniqueName('n'),
          events: ['deployment.Offline'],
          destination: { kind: 'webhook', url: 'http://127.0.0.1:9/hook', secret: 'y'.repeat(32) },
        }),
      )
    ).id;
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
    // A preview is made by the worker from a signed pull_request webhook; the fixture is its row.
    ids.pullRequestPreview = (
      await platform.database.db.pullRequestPreview.create({
        data: {
          workspaceId: ids.workspace,
          gitRepoId: ids.gitRepo,
          number: 7,
          title: 'fixture',
          headSha: 'a'.repeat(40),
          baseSha: 'b'.repeat(40),
        },
      })
    ).id;
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

  describe('every GET route: roles, workspaces and what a list reveals', () => {
    const READS = readRouteTable();

    it('has a row for every GET route the API serves, and none for a route that is gone', () => {
      const served = discoverReadRoutes();
      expect(served.filter((route) => !(route in READS))).toEqual([]);
      expect(Object.keys(READS).filter((route) => !served.includes(route))).toEqual([]);
    });

    /** What a caller gets: the status, and the body (an event stream: its first bytes only). */
    const read = async (caller: Caller, row: ReadRoute) => {
      const controller = new AbortController();
      const call = { path: row.path(ids) };
      const response = await send(caller, 'GET', call, controller.signal);
      if (!row.isStream || response.status !== 200) {
        return { response, text: await response.text() };
      }
      const reader = response.body!.getReader();
      const first = await reader.read();
      controller.abort();
      await reader.cancel().catch(() => undefined);
      return { response, text: new TextDecoder().decode(first.value) };
    };

    it.each(Object.keys(READS).filter((key) => READS[key]!.access !== 'catch-all'))(
      '%s answers each caller as its role and workspace allow, and shows B nothing of A',
      async (key) => {
        const row = READS[key] as ReadRoute;
        const actual: Record<string, number> = {};
        const expected: Record<string, number> = {};
        const leaks: string[] = [];
        for (const caller of CALLERS) {
          const { response, text } = await read(caller, row);
          actual[caller] = response.status;
          expected[caller] = expectedReadStatus(row, caller);
          if (response.status !== expected[caller])
            console.warn(`${key} as ${caller}: ${response.status} ${text.slice(0, 300)}`);
          if (row.isStream && response.status === 200) {
            expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
            expect(text).toMatch(/^retry: \d+\n: connected\n\n/);
          }
          if (caller === 'other workspace' && row.access !== 'public') {
            for (const [name, id] of Object.entries(ids))
              if (text.includes(id)) leaks.push(`${name} ${id}`);
          }
        }
        expect(actual).toEqual(expected);
        expect(leaks, `workspace A's ids in what workspace B got from ${key}`).toEqual([]);
      },
    );

    it('GET on an unknown path is 404', async () => {
      expect((await send('admin', 'GET', { path: '/no-such-endpoint' })).status).toBe(404);
    });

    it('refuses an expired API token (401), while the same kind of token before its expiry works', async () => {
      const { db } = platform.database;
      const issue = async (expiresAt: Date) => {
        const { token, prefix } = generateApiToken({ expiresAt });
        await db.apiToken.create({
          data: {
            workspaceId: ids.workspace,
            name: uniqueName('expiry'),
            prefix,
            tokenHash: hashSecret(token),
            role: 'admin',
          },
        });
        return token;
      };
      const expired = await issue(new Date(Date.now() - 60_000));
      const current = await issue(new Date(Date.now() + 3_600_000));
      const call = (token: string) => platform.api('/api/v1/clusters', { token });

      const refused = await call(expired);
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ status: 401 });
      expect((await call(current)).status).toBe(200);
      // The expiry is part of the hashed token: moving it forward makes a token that does not exist.
      const extended = expired.replace(
        /_[0-9a-z]+$/,
        `_${Math.floor((Date.now() + 3_600_000) / 1000).toString(36)}`,
      );
      expect(extended).not.toBe(expired);
      expect((await call(extended)).status).toBe(401);
    });
  });
});

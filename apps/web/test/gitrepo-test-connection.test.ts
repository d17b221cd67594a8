import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, json, signIn, uniqueName } from './access-helpers.ts';
import {
  createBareRepo,
  serveGitHttp,
  startPlatform,
  type BareRepo,
  type GitHttpServer,
  type Platform,
} from './testkit.ts';

interface TestResult {
  ok: boolean;
  commit?: string | null;
  reason?: string;
  message: string;
}

const USERNAME = 'deployer';
const PASSWORD = `pw-${randomBytes(9).toString('hex')}`;

/**
 * Issue 16: "Test connection" on the connect-repo and repo edit forms. POST
 * /api/v1/gitrepos/test-connection runs `git ls-remote` in the worker against a real smart-HTTP
 * server behind basic auth, saving nothing and never answering with a credential.
 */
describe('POST /gitrepos/test-connection', () => {
  let platform: Platform;
  let repo: BareRepo;
  let server: GitHttpServer;
  let url: string;
  let viewerToken: string;
  let operatorToken: string;

  const test = (body: unknown, token: string = operatorToken) =>
    platform.api('/api/v1/gitrepos/test-connection', { json: body, token });

  beforeAll(async () => {
    [platform, repo] = await Promise.all([
      startPlatform(),
      createBareRepo({ 'app/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\n' }),
    ]);
    server = await serveGitHttp({
      root: repo.root,
      auth: { username: USERNAME, password: PASSWORD },
    });
    url = server.url(repo.name);
    const admin = await signIn(platform, platform.adminEmail, platform.adminPassword);
    [viewerToken, operatorToken] = await Promise.all([
      createToken(platform, admin, 'viewer').then((created) => created.token),
      createToken(platform, admin, 'operator').then((created) => created.token),
    ]);
  });

  afterAll(async () => {
    await server?.stop();
    await platform?.stop();
    await repo?.remove();
  });

  it("with good credentials: reachable, with the branch's head commit", async () => {
    const response = await test({
      url,
      branch: 'main',
      auth: { username: USERNAME, password: PASSWORD },
    });
    expect(response.status).toBe(200);
    const result = await json<TestResult>(response);
    expect(result).toMatchObject({ ok: true, commit: await repo.head('main') });
    expect(result.message).toContain('branch "main"');

    // The typed password reached the worker without riding in the job: the job (kept two
    // minutes) names only a reference, and the sealed copy it referred to is gone from Redis.
    const redis = new Redis(platform.redisUrl);
    try {
      const jobKeys = (await redis.keys('*gitrepo-connection-test:*')).filter((key) =>
        /:\d+$/.test(key),
      );
      expect(jobKeys.length).toBeGreaterThan(0);
      for (const key of jobKeys) {
        const data = await redis.hget(key, 'data');
        expect(data).toMatch(/"authRef":/);
        expect(data).not.toContain(PASSWORD);
        expect(data).not.toMatch(/sealed/i);
      }
      expect(await redis.keys('flotilla:gitrepo-test-auth:*')).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });

  it('with a wrong password: "authentication failed", and the password is not in the answer', async () => {
    const wrong = `wrong-${randomBytes(9).toString('hex')}`;
    const response = await test({
      url,
      branch: 'main',
      auth: { username: USERNAME, password: wrong },
    });
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(JSON.parse(text)).toMatchObject({ ok: false, reason: 'AuthenticationFailed' });
    expect(text).toContain('authentication failed');
    expect(text).not.toContain(wrong);
    expect(platform.workerLog()).not.toContain(wrong);
    expect(platform.webLog()).not.toContain(wrong);
  });

  it('names a branch that does not exist', async () => {
    const result = await json<TestResult>(
      await test({ url, branch: 'nope', auth: { username: USERNAME, password: PASSWORD } }),
    );
    expect(result).toMatchObject({ ok: false, reason: 'RefNotFound' });
    expect(result.message).toContain('branch "nope" not found');
  });

  it('tests a stored repo with its stored credentials (opened in the worker) and a changed branch', async () => {
    const created = await json<{ id: string }>(
      await platform.api('/api/v1/gitrepos', {
        token: operatorToken,
        json: { name: uniqueName('r'), url, auth: { username: USERNAME, password: PASSWORD } },
      }),
    );
    const good = await json<TestResult>(await test({ gitRepoId: created.id }));
    expect(good).toMatchObject({ ok: true, commit: await repo.head('main') });
    const missing = await json<TestResult>(await test({ gitRepoId: created.id, branch: 'gone' }));
    expect(missing).toMatchObject({ ok: false, reason: 'RefNotFound' });
    const withoutAuth = await test({ gitRepoId: created.id, auth: null });
    const text = await withoutAuth.text();
    expect(JSON.parse(text)).toMatchObject({ ok: false, reason: 'AuthenticationFailed' });
    expect(text).not.toContain(PASSWORD);
    expect(platform.workerLog()).not.toContain(PASSWORD);
  });

  it('answers 404 for a repo id that is not in the workspace', async () => {
    const response = await test({ gitRepoId: 'no-such-repo' });
    expect(response.status).toBe(404);
  });

  it('names a bad field in words', async () => {
    const response = await test({ url, brnach: 'main' });
    expect(response.status).toBe(422);
    const problem = (await response.json()) as { errors: { path: string; message: string }[] };
    expect(problem.errors).toContainEqual({
      path: 'brnach',
      message: 'is not a field this accepts (check its spelling)',
    });
  });

  it('is for operators: a viewer gets 403', async () => {
    const response = await test({ url }, viewerToken);
    expect(response.status).toBe(403);
  });
});

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { freePort, REPO_ROOT, startPlatform, type Platform } from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors: { path: string; message: string }[];
}

const read = async <T = Problem>(response: Response) => (await response.json()) as T;

describe('the API edge', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await startPlatform({ isWorkerStarted: false });
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('answers health with postgres and redis really queried', async () => {
    const response = await platform.api('/api/v1/health', { token: null });
    expect(response.status).toBe(200);
    expect(await read<Record<string, string>>(response)).toEqual({
      status: 'ok',
      postgres: 'ok',
      redis: 'ok',
    });
  });

  it('answers an unknown route with problem+json 404', async () => {
    const response = await platform.api('/api/v1/no-such-thing');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = await read(response);
    expect(problem).toMatchObject({ status: 404, title: 'Not found' });
    expect(problem.detail).toContain('/api/v1/no-such-thing');
  });

  it('answers a malformed JSON body with problem+json 400 and no stack trace', async () => {
    const response = await platform.api('/api/v1/clusters', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name": "a",',
    });
    expect(response.status).toBe(400);
    const problem = await read(response);
    expect(problem.detail).toMatch(/not valid JSON/);
    expect(JSON.stringify(problem)).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it('answers a body that is not what the endpoint takes with 422 naming each field', async () => {
    const response = await platform.api('/api/v1/clusters', {
      json: { name: '', labels: { 'bad key!': 'x' }, apiServerUrl: 'https://127.0.0.1:1' },
    });
    expect(response.status).toBe(422);
    const problem = await read(response);
    const paths = problem.errors.map((error) => error.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'labels.bad key!']));
    const withoutToken = await platform.api('/api/v1/clusters', {
      json: { name: 'a', apiServerUrl: 'https://127.0.0.1:1' },
    });
    expect(withoutToken.status).toBe(422);
    expect((await read(withoutToken)).errors).toEqual([
      { path: 'token', message: 'is required (or give a kubeconfig)' },
    ]);
  });

  it('refuses a bulk fleet action it cannot read with 422 naming the field', async () => {
    const problemOf = async (json: unknown) => {
      const response = await platform.api('/api/v1/fleet/actions', { json });
      expect(response.status).toBe(422);
      return (await read(response)).errors;
    };
    expect(await problemOf({ action: 'delete', deployments: [] })).toEqual([
      { path: 'action', message: 'action must be one of correct-drift, retry, pause, resume' },
    ]);
    const errors = await problemOf({
      action: 'correct-drift',
      deployments: [{ bundleId: 'b', clusterId: '' }],
    });
    expect(errors).toEqual([
      { path: 'deployments[0].clusterId', message: 'a cluster id is required' },
    ]);
    const tooMany = Array.from({ length: 1001 }, (_, index) => ({
      bundleId: 'b',
      clusterId: `c${index}`,
    }));
    expect(await problemOf({ action: 'retry', deployments: tooMany })).toEqual([
      { path: 'deployments', message: 'at most 1000 deployments at a time' },
    ]);
  });

  it('requires a token (401) and names the wrong role (403 comes from the access tests)', async () => {
    expect((await platform.api('/api/v1/clusters', { token: null })).status).toBe(401);
    expect(
      (
        await platform.api('/api/v1/clusters', {
          token: 'flt_notarealtoken000000000000000000000000',
        })
      ).status,
    ).toBe(401);
  });

  it('serves an OpenAPI description of the API', async () => {
    const response = await platform.api('/api/v1/openapi.json', { token: null });
    expect(response.status).toBe(200);
    const document = await read<{ openapi: string; paths: Record<string, unknown> }>(response);
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/v1/health', '/api/v1/clusters', '/api/v1/fleet/matrix']),
    );
  });
});

describe('health with a service down', () => {
  it('answers 503 naming Redis when Redis is not there', async () => {
    const closedPort = await freePort();
    const platform = await startPlatform({
      isWorkerStarted: false,
      redisUrl: `redis://127.0.0.1:${closedPort}/0`,
      isHealthRequired: false,
    });
    try {
      const response = await platform.api('/api/v1/health', { token: null });
      expect(response.status).toBe(503);
      const body = await read<{ postgres: string; redis: string; detail: string }>(response);
      expect(body).toMatchObject({ postgres: 'ok', redis: 'down' });
      expect(body.detail).toMatch(/redis/);
    } finally {
      await platform.stop();
    }
  });
});

describe('configuration errors', () => {
  const run = (env: Record<string, string>) =>
    spawnSync(
      path.join(REPO_ROOT, 'node_modules/.bin/tsx'),
      [path.join(REPO_ROOT, 'apps/worker/src/main.ts')],
      {
        env: { PATH: process.env.PATH ?? '', ...env },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
  const good = {
    DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/postgres',
    REDIS_URL: 'redis://127.0.0.1:6379/0',
    FLOTILLA_SECRET_KEY: Buffer.alloc(32, 1).toString('base64'),
  };

  it('stops the worker with one line naming a malformed variable', () => {
    const result = run({ ...good, REDIS_URL: 'http://nope' });
    expect(result.status).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('REDIS_URL must be a redis:// URL');
  });

  it('stops the worker with one line when the database cannot be reached', async () => {
    const port = await freePort();
    const result = run({
      ...good,
      DATABASE_URL: `postgresql://postgres:secret-pw@127.0.0.1:${port}/flotilla`,
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('DATABASE_URL: cannot use PostgreSQL');
    expect(result.stderr).not.toContain('secret-pw');
  });
});

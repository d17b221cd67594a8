import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import {
  startPlatform,
  startTestClusters,
  type Platform,
  type TestClusters,
} from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

/** Every value in the platform's Redis database: keys, strings, hashes, lists, sets, streams. */
async function dumpRedis(url: string): Promise<string> {
  const redis = new Redis(url);
  const parts: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', '1000');
    cursor = next;
    for (const key of keys) {
      parts.push(key);
      const type = await redis.type(key);
      if (type === 'string') parts.push((await redis.get(key)) ?? '');
      if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
      if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
      if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
      if (type === 'zset') parts.push(JSON.stringify(await redis.zrange(key, '0', '-1')));
      if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
    }
  } while (cursor !== '0');
  await redis.quit();
  return parts.join('\n');
}

describe('cluster credentials stay secret', () => {
  let envtest: TestClusters;
  let platform: Platform;
  const canary = `canary-${randomBytes(12).toString('hex')}`;

  beforeAll(async () => {
    [envtest, platform] = await Promise.all([
      startTestClusters(1),
      startPlatform({
        env: {
          FLOTILLA_PROBE_INTERVAL_SECONDS: '1',
          FLOTILLA_TICK_SECONDS: '1',
          FLOTILLA_LOG_LEVEL: 'debug',
        },
      }),
    ]);
  });

  afterAll(async () => {
    await platform?.stop();
    await envtest?.stopAll();
  });

  it('keeps a canary token out of responses, logs, Redis, jobs, events and audit entries', async () => {
    const cluster = envtest.clusters[0]!;
    // A real cluster that rejects the canary: the probe uses it and fails, which is the path most
    // likely to echo a credential into a message.
    const responses: string[] = [];
    const record = async (response: Response) => {
      const text = await response.text();
      responses.push(text);
      return text;
    };
    const created = JSON.parse(
      await record(
        await platform.api('/api/v1/clusters', {
          json: {
            name: 'canary',
            labels: { env: 'dev' },
            apiServerUrl: cluster.url,
            caData: cluster.caData,
            token: canary,
          },
        }),
      ),
    ) as { id: string };
    await vi.waitFor(
      async () => {
        const found = JSON.parse(
          await record(await platform.api(`/api/v1/clusters/${created.id}`)),
        ) as { connectivity: { state: string; message: string } };
        expect(found.connectivity.state).toBe('Offline');
        expect(found.connectivity.message).toMatch(/credentials rejected/);
      },
      { timeout: 60_000, interval: 500 },
    );
    // A kubeconfig carrying it too.
    const kubeconfig = [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{ name: c, cluster: { server: "https://127.0.0.1:1" } }]',
      `users: [{ name: u, user: { token: "${canary}-kc" } }]`,
      'contexts: [{ name: x, context: { cluster: c, user: u } }]',
      'current-context: x',
    ].join('\n');
    await record(
      await platform.api('/api/v1/clusters', { json: { name: 'canary-kubeconfig', kubeconfig } }),
    );
    for (const path of [
      '/api/v1/clusters',
      '/api/v1/fleet/matrix',
      '/api/v1/events?limit=1000',
      '/api/v1/openapi.json',
    ]) {
      await record(await platform.api(path));
    }
    await new Promise((resolve) => setTimeout(resolve, 3000));

    const { db } = platform.database;
    const [events, audit, clusters] = await Promise.all([
      db.event.findMany(),
      db.auditEntry.findMany(),
      db.cluster.findMany(),
    ]);
    const places: Record<string, string> = {
      responses: responses.join('\n'),
      'web log': platform.webLog(),
      'worker log': platform.workerLog(),
      redis: await dumpRedis(platform.redisUrl),
      events: JSON.stringify(events),
      audit: JSON.stringify(audit),
      'stored credentials': clusters
        .map((row) => Buffer.from(row.credentials ?? []).toString('latin1'))
        .join('\n'),
    };
    expect(places['worker log']).toContain('connectivity changed');
    for (const [place, text] of Object.entries(places))
      expect(text.includes(canary), `the canary is in the ${place}`).toBe(false);
  });

  it('refuses a kubeconfig whose exec would run a command, naming the field, and runs nothing', async () => {
    const marker = `/tmp/flotilla-exec-${randomBytes(6).toString('hex')}`;
    const kubeconfig = [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{ name: c, cluster: { server: "https://127.0.0.1:6443" } }]',
      `users: [{ name: u, user: { exec: { apiVersion: client.authentication.k8s.io/v1beta1, command: touch, args: ["${marker}"] } } }]`,
      'contexts: [{ name: x, context: { cluster: c, user: u } }]',
      'current-context: x',
    ].join('\n');
    const response = await platform.api('/api/v1/clusters', { json: { name: 'exec', kubeconfig } });
    expect(response.status).toBe(422);
    const problem = (await response.json()) as {
      detail: string;
      errors: { path: string; message: string }[];
    };
    expect(problem.errors.map((error) => error.path)).toContain('kubeconfig.users[0].user.exec');
    expect(problem.detail).toContain('users[0].user.exec');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(existsSync(marker)).toBe(false);
    const list = (await (await platform.api('/api/v1/clusters')).json()) as {
      items: { name: string }[];
    };
    expect(list.items.map((item) => item.name)).not.toContain('exec');
  });

  it('refuses API server URLs on link-local and metadata addresses', async () => {
    for (const apiServerUrl of [
      'https://169.254.169.254',
      'https://[fe80::1]:6443',
      'https://metadata.google.internal',
    ]) {
      const response = await platform.api('/api/v1/clusters', {
        json: { name: `bad-${apiServerUrl.length}`, apiServerUrl, token: 't' },
      });
      expect(response.status, apiServerUrl).toBe(422);
      const problem = (await response.json()) as { errors: { path: string }[] };
      expect(problem.errors[0]?.path).toBe('apiServerUrl');
    }
  });

  it('answers a duplicate name with 409 and a malformed selector with 422 naming the position', async () => {
    const duplicate = await platform.api('/api/v1/clusters', {
      json: { name: 'canary', apiServerUrl: 'https://127.0.0.1:1', token: 't' },
    });
    expect(duplicate.status).toBe(409);
    const malformed = await platform.api(
      `/api/v1/clusters?selector=${encodeURIComponent('env in (prod')}`,
    );
    expect(malformed.status).toBe(422);
    const problem = (await malformed.json()) as { detail: string };
    expect(problem.detail).toMatch(/position \d+/);
  });
});

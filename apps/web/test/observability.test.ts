import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './testkit.ts';

/** A port nothing listens on: bound, read, released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the web: /metrics, liveness and readiness', () => {
  let platform: Platform;
  const metricsToken = randomBytes(16).toString('hex');

  beforeAll(async () => {
    platform = await startPlatform({
      isWorkerStarted: false,
      env: { FLOTILLA_METRICS_TOKEN: metricsToken },
    });
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('serves the Prometheus text format to a scrape with FLOTILLA_METRICS_TOKEN, and only to it', async () => {
    expect((await fetch(`${platform.url}/metrics`)).status).toBe(401);
    const response = await fetch(`${platform.url}/metrics`, {
      headers: { authorization: `Bearer ${metricsToken}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const text = await response.text();
    expect(text).toContain('flotilla_deployments{state="Ready"} 0');
    expect(text).toContain('flotilla_clusters{connectivity="Online"} 0');
    expect(text).toMatch(/^flotilla_queue_jobs\{queue="deploy",state="waiting"\} \d+$/m);
    expect(text).toMatch(/^flotilla_queue_oldest_waiting_age_seconds\{queue="git-sync"\} /m);
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
  });

  it('is live and ready, and keeps /api/v1/health as it was', async () => {
    const live = await fetch(`${platform.url}/api/v1/health/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${platform.url}/api/v1/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok', postgres: 'ok', redis: 'ok' });
    const health = await fetch(`${platform.url}/api/v1/health`);
    expect(await health.json()).toEqual({ status: 'ok', postgres: 'ok', redis: 'ok' });
  });

  it('stays live but is not ready, naming Redis, when Redis cannot be reached', async () => {
    const cut = await startPlatform({
      isWorkerStarted: false,
      isHealthRequired: false,
      redisUrl: `redis://127.0.0.1:${await closedPort()}/0`,
    });
    try {
      expect((await fetch(`${cut.url}/api/v1/health/live`)).status).toBe(200);
      const ready = await fetch(`${cut.url}/api/v1/health/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({
        status: 'unavailable',
        postgres: 'ok',
        redis: 'down',
        detail: expect.stringMatching(/^down: redis: /),
      });
      // A scrape still answers, without queue figures it could not read.
      const metrics = await (await fetch(`${cut.url}/metrics`)).text();
      expect(metrics).toMatch(/^process_cpu_user_seconds_total \d/m);
      expect(metrics).not.toMatch(/^flotilla_queue_jobs\{/m);
    } finally {
      await cut.stop();
    }
  });
});

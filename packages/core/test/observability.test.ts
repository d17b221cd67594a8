import { createLogger } from '@flotilla/config';
import { createRedis, JobQueues } from '@flotilla/jobs';
import {
  createTestDatabase,
  createTestRedis,
  freePort,
  type TestDatabase,
  type TestRedis,
} from '@flotilla/testkit';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkHealth,
  countFleetStates,
  createMetricsRegistry,
  readQueueStats,
} from '../src/index.ts';

const logger = createLogger({ name: 'test', level: 'silent' });

describe('readiness and the metrics read at scrape time', () => {
  let database: TestDatabase;
  let testRedis: TestRedis;
  let redis: Redis;
  let queues: JobQueues;
  // Scrapes see a clock a minute ahead of the jobs' timestamps: the age is computed from it.
  const now = () => new Date(Date.now() + 60_000);

  beforeAll(async () => {
    [database, testRedis] = await Promise.all([createTestDatabase(), createTestRedis()]);
    redis = createRedis(testRedis.url);
    queues = new JobQueues(redis);
  });

  afterAll(async () => {
    await queues?.close();
    await redis?.quit();
    await testRedis?.cleanup();
    await database?.drop();
  });

  it('is ready when PostgreSQL and Redis answer', async () => {
    expect(await checkHealth({ ctx: { db: database.db, redis } })).toEqual({
      status: 'ok',
      postgres: 'ok',
      redis: 'ok',
      problems: [],
    });
  });

  it('is not ready, naming Redis, when Redis does not answer (a closed port)', async () => {
    const closed = createRedis(`redis://127.0.0.1:${await freePort()}/0`);
    closed.on('error', () => {}); // refused connections are the point of this test
    try {
      const report = await checkHealth({ ctx: { db: database.db, redis: closed }, timeoutMs: 500 });
      expect(report.status).toBe('degraded');
      expect(report.postgres).toBe('ok');
      expect(report.redis).toBe('down');
      expect(report.problems).toHaveLength(1);
      expect(report.problems[0]).toMatch(/^redis: /);
    } finally {
      closed.disconnect();
    }
  });

  it('reads queue depths and the age of the oldest waiting job from Redis', async () => {
    await queues.enqueueGitSyncs([
      { gitRepoId: 'repo-1', reason: 'poll' },
      { gitRepoId: 'repo-2', reason: 'poll' },
      { gitRepoId: 'repo-3', reason: 'poll' },
    ]);
    const stats = await readQueueStats({ ctx: { queues, now } });
    const gitSync = stats.find((entry) => entry.queue === 'git-sync');
    expect(gitSync?.counts.waiting).toBe(3);
    expect(gitSync?.counts.active).toBe(0);
    expect(gitSync?.oldestWaitingAgeSeconds).toBeGreaterThanOrEqual(60);
    const deploy = stats.find((entry) => entry.queue === 'deploy');
    expect(deploy).toMatchObject({ counts: { waiting: 0 }, oldestWaitingAgeSeconds: 0 });
    expect(stats.map((entry) => entry.queue)).toEqual([
      'git-sync',
      'render',
      'plan',
      'deploy',
      'monitor',
      'probe',
      'tick',
      'notification-collect',
      'notification-deliver',
      'github-status',
      'pull-request-preview',
      'live-read',
      'connection-test',
      'gitrepo-connection-test',
    ]);
  });

  it('counts every deployment state and connectivity, zero included', async () => {
    const counts = await countFleetStates({ ctx: { db: database.db } });
    expect(Object.keys(counts.deploymentsByState)).toHaveLength(8);
    expect(Object.values(counts.deploymentsByState).every((count) => count === 0)).toBe(true);
    expect(counts.clustersByConnectivity).toEqual({ Online: 0, Offline: 0, Unknown: 0 });
  });

  it('serves those figures and the process metrics in the Prometheus text format', async () => {
    const registry = createMetricsRegistry({ ctx: { db: database.db, queues, now, logger } });
    const text = await registry.metrics();
    expect(text).toContain('flotilla_queue_jobs{queue="git-sync",state="waiting"} 3');
    expect(text).toContain('flotilla_deployments{state="Ready"} 0');
    expect(text).toContain('flotilla_clusters{connectivity="Online"} 0');
    expect(text).toMatch(/^flotilla_queue_oldest_waiting_age_seconds\{queue="git-sync"\} \d/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
  });

  it('still answers when Redis is down, leaving out the queue figures rather than stale ones', async () => {
    const closed = createRedis(`redis://127.0.0.1:${await freePort()}/0`);
    closed.on('error', () => {});
    const deadQueues = new JobQueues(closed);
    for (const name of [
      'git-sync',
      'render',
      'plan',
      'deploy',
      'monitor',
      'probe',
      'tick',
      'notification-collect',
      'notification-deliver',
      'github-status',
      'pull-request-preview',
      'live-read',
      'connection-test',
      'gitrepo-connection-test',
    ] as const)
      deadQueues.queue(name).on('error', () => {});
    try {
      const registry = createMetricsRegistry({
        ctx: { db: database.db, queues: deadQueues, now, logger },
      });
      const text = await registry.metrics();
      expect(text).not.toMatch(/^flotilla_queue_jobs\{/m);
      expect(text).toContain('flotilla_deployments{state="Ready"} 0');
      expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    } finally {
      closed.disconnect();
      await deadQueues.close().catch(() => undefined);
    }
  });
});

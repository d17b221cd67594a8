import { createRedis, JobQueues } from '@flotilla/jobs';
import {
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
} from '@flotilla/testkit';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REPLAN_EVERY_MS,
  REPLAN_SPREAD_MS,
  sweepPendingWork,
} from '../src/scheduling/sweep-pending-work.ts';

/*
 * The sweeper re-plans every bundle once per period, a safety net for a missed trigger. At 50
 * bundles on 1000 clusters that is 50,000 rows to plan: queued at once, a commit arriving then
 * would wait behind all of them. The plans start one after another over most of the period.
 */
describe("the sweeper's periodic re-plan", () => {
  let database: TestDatabase;
  let testRedis: TestRedis;
  let redis: Redis;
  let queues: JobQueues;

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

  it('queues a plan of every bundle, spread over the period, and none when not due', async () => {
    const { db } = database;
    const workspace = await db.workspace.create({ data: { name: 'sweep' } });
    const repo = await db.gitRepo.create({
      data: { workspaceId: workspace.id, name: 'apps', url: 'https://git.example/apps.git' },
    });
    const names = Array.from({ length: 10 }, (_, index) => `b${index}`);
    for (const name of names)
      await db.bundle.create({
        data: { workspaceId: workspace.id, gitRepoId: repo.id, name, path: name },
      });
    const ctx = { db, queues, now: () => new Date() };

    const notDue = await sweepPendingWork({ ctx, shouldReplan: async () => false });
    expect(notDue.plans).toBe(0);
    expect(await queues.queue('plan').count()).toBe(0);

    const due = await sweepPendingWork({ ctx, shouldReplan: async () => true });
    expect(due.plans).toBe(10);
    const jobs = await queues.queue('plan').getJobs(['waiting', 'delayed']);
    const bundles = await db.bundle.findMany({ select: { id: true } });
    expect(new Set(jobs.map((job) => (job.data as { bundleId: string }).bundleId))).toEqual(
      new Set(bundles.map((bundle) => bundle.id)),
    );
    // One starts now; the others wait their turn, a tenth of the spread apart, all within it.
    const delays = jobs.map((job) => job.opts.delay ?? 0).sort((a, b) => a - b);
    expect(delays).toEqual(names.map((_, index) => (index * REPLAN_SPREAD_MS) / 10));
    expect(await queues.queue('plan').getWaitingCount()).toBe(1);
    expect(REPLAN_SPREAD_MS).toBeLessThan(REPLAN_EVERY_MS);
  });
});

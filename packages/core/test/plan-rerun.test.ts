import { createLogger } from '@flotilla/config';
import { createRedis, JOB_CONTRACTS, JobQueues } from '@flotilla/jobs';
import {
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
} from '@flotilla/testkit';
import { Redis } from 'ioredis';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planBundle } from '../src/bundles/plan-bundle.ts';
import type { WorkerContext } from '../src/worker-context.ts';
import { HASH, oneBundleFleet } from './one-bundle-fleet.ts';

/** A port nothing listens on: bound, then released. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const logger = createLogger({ name: 'test', level: 'silent' });

/*
 * A plan writes its rows (WaitApplied at the new revision), then queues their deploys. A plan
 * cut short between the two (its worker was killed, or Redis failed) runs again: that run finds
 * rows that already say WaitApplied at the wanted revision, and must still queue their deploys,
 * or the deployments wait for the sweeper (a flaky many-workers test showed it in CI).
 */
describe('a plan run again after an interrupted run queues the deploys it may have missed', () => {
  let database: TestDatabase;
  let testRedis: TestRedis;
  let redis: Redis;
  let queues: JobQueues;
  let broken: Redis;
  let brokenQueues: JobQueues;

  beforeAll(async () => {
    [database, testRedis] = await Promise.all([createTestDatabase(), createTestRedis()]);
    redis = createRedis(testRedis.url);
    queues = new JobQueues(redis);
    // A real Redis client with nobody at the other end (a port just freed): it never connects.
    broken = new Redis({
      host: '127.0.0.1',
      port: await freePort(),
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    broken.on('error', () => undefined);
    brokenQueues = new JobQueues(broken);
    // Its queues report the refused connection as errors: expected here, not printed.
    for (const { name } of JOB_CONTRACTS) brokenQueues.queue(name).on('error', () => undefined);
  });

  afterAll(async () => {
    await queues?.close();
    await brokenQueues?.close().catch(() => undefined);
    broken?.disconnect();
    await redis?.quit();
    await testRedis?.cleanup();
    await database?.drop();
  });

  /** The worker's context; its queues may be ones whose Redis is gone. */
  const context = (jobQueues: JobQueues) =>
    ({
      db: database.db,
      redis,
      queues: jobQueues,
      logger,
      now: () => new Date(),
    }) as unknown as WorkerContext;

  const queuedDeploys = async () =>
    (await queues.queue('deploy').getJobs(['waiting', 'delayed', 'prioritized'])).map(
      (job) => job.data as { deploymentId: string; desiredHash: string },
    );

  it('queues nothing twice in a plain run, and queues the deploy on a rerun', async () => {
    const { db } = database;
    const { clusterId, bundleId } = await oneBundleFleet(db, 'rerun');

    // The first run writes its rows and fails queueing the deploy.
    await expect(planBundle({ ctx: context(brokenQueues), bundleId: bundleId })).rejects.toThrow();
    const row = await db.bundleDeployment.findFirstOrThrow({ where: { bundleId: bundleId } });
    expect(row).toMatchObject({ clusterId: clusterId, desiredHash: HASH, state: 'WaitApplied' });
    expect(await queuedDeploys()).toEqual([]);

    // Another plan of the bundle (a first run) trusts the row: a deploy is queued, it thinks.
    await planBundle({ ctx: context(queues), bundleId: bundleId });
    expect(await queuedDeploys()).toEqual([]);

    // The interrupted plan's own retry queues it.
    const outcome = await planBundle({
      ctx: context(queues),
      bundleId: bundleId,
      isRerun: true,
    });
    expect(outcome.deploys).toBe(1);
    expect(await queuedDeploys()).toEqual([
      expect.objectContaining({ deploymentId: row.id, desiredHash: HASH }),
    ]);
  });
});

import { createLogger } from '@flotilla/config';
import { createRedis, JobQueues } from '@flotilla/jobs';
import {
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
} from '@flotilla/testkit';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordProbeResult } from '../src/connectivity/record-probe-result.ts';
import type { WorkerSettings } from '../src/worker-context.ts';

const logger = createLogger({ name: 'test', level: 'silent' });
const hash = (digit: string) => digit.repeat(64);
const settings: WorkerSettings = {
  probeIntervalMs: 10_000,
  probeBackoffCapMs: 60_000,
  offlineAfterFailures: 3,
  monitorIntervalMs: 30_000,
  // Far away: only the way back Online may queue anything in this test.
  requeueAfterMs: 600_000,
  maxBundleBytes: 1_000_000,
  allowFileGitUrls: false,
};

describe('a cluster back Online gets the deploys it missed at once', () => {
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

  /** A workspace with one cluster in `connectivity` and three deployments on it. */
  let fleets = 0;
  async function fleet(connectivity: 'Offline' | 'Online') {
    const { db } = database;
    fleets += 1;
    const workspace = await db.workspace.create({
      data: { name: `w-${connectivity}-${fleets}` },
    });
    const workspaceId = workspace.id;
    const cluster = await db.cluster.create({
      data: {
        workspaceId,
        name: 'edge',
        apiServerUrl: 'https://10.0.0.1',
        credentials: Buffer.from('sealed'),
        credentialKind: 'token',
        connectivity,
        probeFailures: connectivity === 'Offline' ? 3 : 0,
      },
    });
    const repo = await db.gitRepo.create({
      data: { workspaceId, name: 'apps', url: 'https://git.example/apps.git' },
    });
    const deployment = async (name: string, data: Record<string, unknown>) => {
      const bundle = await db.bundle.create({
        data: { workspaceId, gitRepoId: repo.id, name, path: name },
      });
      return db.bundleDeployment.create({
        data: {
          workspaceId,
          bundleId: bundle.id,
          clusterId: cluster.id,
          // Queued a moment ago: the sweeper would leave them alone for requeueAfterMs.
          lastEnqueuedAt: new Date(),
          ...data,
        },
      });
    };
    const behind = await deployment('behind', {
      desiredHash: hash('b'),
      appliedHash: hash('a'),
      state: 'Offline',
    });
    const removed = await deployment('removed', {
      desiredHash: hash('c'),
      appliedHash: hash('c'),
      isOrphaned: true,
      state: 'Offline',
    });
    const upToDate = await deployment('up-to-date', {
      desiredHash: hash('d'),
      appliedHash: hash('d'),
      state: 'Offline',
    });
    return { cluster, behind, removed, upToDate };
  }

  const queuedDeploys = async () => {
    const jobs = await queues.queue('deploy').getJobs(['waiting', 'delayed', 'prioritized']);
    return jobs.map((job) => job.data as { deploymentId: string; desiredHash: string });
  };

  it('queues the revision not applied and the prune, not the deployment already applied', async () => {
    const { cluster, behind, removed } = await fleet('Offline');
    const ctx = { db: database.db, redis, logger, now: () => new Date(), queues, settings };

    const state = await recordProbeResult({
      ctx,
      cluster,
      result: { ok: true, kubernetesVersion: 'v1.20.2' },
    });

    expect(state).toBe('Online');
    const deploys = await queuedDeploys();
    expect(
      deploys
        .map(({ deploymentId, desiredHash }) => ({ deploymentId, desiredHash }))
        .sort((left, right) => left.deploymentId.localeCompare(right.deploymentId)),
    ).toEqual(
      [
        { deploymentId: behind.id, desiredHash: hash('b') },
        { deploymentId: removed.id, desiredHash: 'prune' },
      ].sort((left, right) => left.deploymentId.localeCompare(right.deploymentId)),
    );
    await queues.queue('deploy').drain(true);
  });

  it('queues the deploy again even while a job of that revision is still queued or running', async () => {
    const { cluster, behind } = await fleet('Offline');
    const ctx = { db: database.db, redis, logger, now: () => new Date(), queues, settings };
    // The job that ran while the cluster was Offline: it read it Offline and is about to end as
    // skipped. A job with its id still exists, so a de-duplicated one would never be added.
    await queues.enqueueDeploys([{ deploymentId: behind.id, desiredHash: hash('b') }]);

    await recordProbeResult({ ctx, cluster, result: { ok: true, kubernetesVersion: 'v1.20.2' } });

    const forBehind = (await queuedDeploys()).filter((deploy) => deploy.deploymentId === behind.id);
    expect(forBehind).toEqual([
      expect.objectContaining({ desiredHash: hash('b') }),
      expect.objectContaining({ desiredHash: hash('b') }),
    ]);
    await queues.queue('deploy').drain(true);
  });

  it('queues nothing when a probe finds an Online cluster still Online', async () => {
    const { cluster } = await fleet('Online');
    const ctx = { db: database.db, redis, logger, now: () => new Date(), queues, settings };

    await recordProbeResult({ ctx, cluster, result: { ok: true, kubernetesVersion: 'v1.20.2' } });

    expect(await queuedDeploys()).toEqual([]);
  });
});

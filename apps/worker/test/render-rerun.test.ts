import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '@flotilla/config';
import { renderBundleRevisions, SecretBox, type WorkerContext } from '@flotilla/core';
import { createGitCache } from '@flotilla/git';
import { createRedis, JOB_CONTRACTS, JobQueues } from '@flotilla/jobs';
import {
  createBareRepo,
  createTestDatabase,
  createTestRedis,
  type BareRepo,
  type TestDatabase,
  type TestRedis,
} from '@flotilla/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** A port nothing listens on: bound, then released. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/*
 * A render stores the bundle's new commit, then queues the bundle's plan. A render cut short
 * between the two (its worker was killed, or Redis failed) runs again and finds everything
 * rendered and the commit stored: it must still queue the plan, or the bundle's deployments
 * wait for the sweeper's periodic re-plan.
 */
describe('a render run again after an interrupted run queues the plan it may have missed', () => {
  let database: TestDatabase;
  let testRedis: TestRedis;
  let repo: BareRepo;
  let redis: Redis;
  let queues: JobQueues;
  let broken: Redis;
  let brokenQueues: JobQueues;
  const dir = mkdtempSync(path.join(tmpdir(), 'flotilla-render-rerun-'));
  const logger = createLogger({ name: 'test', level: 'silent' });

  beforeAll(async () => {
    [database, testRedis, repo] = await Promise.all([
      createTestDatabase(),
      createTestRedis(),
      createBareRepo({
        'app/config.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { a: "1" }\n',
      }),
    ]);
    redis = createRedis(testRedis.url);
    queues = new JobQueues(redis);
    // A real Redis client with nobody at the other end: it never connects.
    broken = new Redis({
      host: '127.0.0.1',
      port: await freePort(),
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    broken.on('error', () => undefined);
    brokenQueues = new JobQueues(broken);
    for (const { name } of JOB_CONTRACTS) brokenQueues.queue(name).on('error', () => undefined);
  });

  afterAll(async () => {
    await queues?.close();
    await brokenQueues?.close().catch(() => undefined);
    broken?.disconnect();
    await redis?.quit();
    await testRedis?.cleanup();
    await database?.drop();
    await repo?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The worker's context; its queues may be ones whose Redis is gone. */
  const context = (jobQueues: JobQueues) =>
    ({
      db: database.db,
      redis,
      queues: jobQueues,
      logger,
      now: () => new Date(),
      secrets: new SecretBox(Buffer.alloc(32, 7).toString('base64')),
      git: createGitCache({ dir, allowFileUrls: true, logger }),
      settings: { maxBundleBytes: 10_000_000, allowFileGitUrls: true },
    }) as unknown as WorkerContext;

  const queuedPlans = async () =>
    (await queues.queue('plan').getJobs(['waiting', 'delayed', 'prioritized'])).map(
      (job) => (job.data as { bundleId: string }).bundleId,
    );

  it('queues no plan in a plain run of a finished render, and queues it on a rerun', async () => {
    const { db } = database;
    const workspace = await db.workspace.create({ data: { name: 'render-rerun' } });
    const gitRepo = await db.gitRepo.create({
      data: { workspaceId: workspace.id, name: 'apps', url: repo.url },
    });
    const { commit } = await createGitCache({ dir, allowFileUrls: true, logger }).fetch({
      repoId: gitRepo.id,
      url: repo.url,
      branch: repo.branch,
    });
    await db.gitRepo.update({ where: { id: gitRepo.id }, data: { commit } });
    const bundle = await db.bundle.create({
      data: { workspaceId: workspace.id, gitRepoId: gitRepo.id, name: 'app', path: 'app' },
    });

    // The first run renders, stores the commit, and fails queueing the plan.
    await expect(
      renderBundleRevisions({ ctx: context(brokenQueues), bundleId: bundle.id, commit }),
    ).rejects.toThrow();
    expect((await db.bundle.findUniqueOrThrow({ where: { id: bundle.id } })).commit).toBe(commit);
    expect(await db.bundleRender.count({ where: { bundleId: bundle.id, commit } })).toBe(1);

    // A first run of the same render finds nothing new to do.
    await renderBundleRevisions({ ctx: context(queues), bundleId: bundle.id, commit });
    expect(await queuedPlans()).toEqual([]);

    // The interrupted render's own retry queues the plan.
    await renderBundleRevisions({
      ctx: context(queues),
      bundleId: bundle.id,
      commit,
      isRerun: true,
    });
    expect(await queuedPlans()).toEqual([bundle.id]);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '@flotilla/config';
import { SecretBox, syncGitRepo, type WorkerContext } from '@flotilla/core';
import { createGitCache } from '@flotilla/git';
import { createRedis, JobQueues } from '@flotilla/jobs';
import {
  createBareRepo,
  createTestDatabase,
  createTestRedis,
  type BareRepo,
  type TestDatabase,
  type TestRedis,
} from '@flotilla/testkit';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const configMap = (name: string, value: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name} }\ndata: { a: "${value}" }\n`;

/*
 * A commit gives every bundle of its repository the new commit, and each is rendered again.
 * The bundles the commit changed go first, so their plans and deploys do not wait behind the
 * renders of bundles that come out the same.
 */
describe('a new commit renders the bundles it changed first', () => {
  let database: TestDatabase;
  let testRedis: TestRedis;
  let repo: BareRepo;
  let redis: Redis;
  let queues: JobQueues;
  const dir = mkdtempSync(path.join(tmpdir(), 'flotilla-render-order-'));
  const logger = createLogger({ name: 'test', level: 'silent' });
  const names = ['alpha', 'bravo', 'charlie', 'delta'];

  beforeAll(async () => {
    [database, testRedis, repo] = await Promise.all([
      createTestDatabase(),
      createTestRedis(),
      createBareRepo(
        Object.fromEntries(
          names.flatMap((name) => [
            [`${name}/fleet.yaml`, `defaultNamespace: ${name}\n`],
            [`${name}/config.yaml`, configMap(name, '1')],
          ]),
        ),
      ),
    ]);
    redis = createRedis(testRedis.url);
    queues = new JobQueues(redis);
  });

  afterAll(async () => {
    await queues?.close();
    await redis?.quit();
    await testRedis?.cleanup();
    await database?.drop();
    await repo?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  const ctx = () =>
    ({
      db: database.db,
      redis,
      queues,
      logger,
      now: () => new Date(),
      secrets: new SecretBox(Buffer.alloc(32, 7).toString('base64')),
      git: createGitCache({ dir, allowFileUrls: true, logger }),
      settings: { maxBundleBytes: 10_000_000, allowFileGitUrls: true },
    }) as unknown as WorkerContext;

  /** The bundles whose render is queued, in the order the render worker takes them. */
  const queuedRenders = async () => {
    const jobs = await queues.queue('render').getWaiting();
    const bundles = await database.db.bundle.findMany({ select: { id: true, name: true } });
    const nameOf = new Map(bundles.map((bundle) => [bundle.id, bundle.name]));
    // Oldest first, as the render worker takes them.
    return jobs.map((job) => nameOf.get((job.data as { bundleId: string }).bundleId));
  };

  it('queues the changed bundles first, then the others in their order', async () => {
    const { db } = database;
    const workspace = await db.workspace.create({ data: { name: 'render-order' } });
    const gitRepo = await db.gitRepo.create({
      data: { workspaceId: workspace.id, name: 'apps', url: repo.url },
    });
    const first = await syncGitRepo({ ctx: ctx(), gitRepoId: gitRepo.id });
    expect(first.renders).toBe(4);
    const initial = await queuedRenders();
    expect([...initial].sort()).toEqual(names);
    // As if rendered: each bundle at the first commit.
    await db.bundle.updateMany({
      where: { gitRepoId: gitRepo.id },
      data: { commit: first.commit },
    });
    await queues.queue('render').drain();

    // Whatever order the bundles were listed in, the ones this commit touches come first.
    const [last, third] = [initial.at(-1)!, initial.at(-2)!];
    await repo.commit(
      {
        [`${last}/config.yaml`]: configMap(last, '2'),
        [`${third}/extra.yaml`]: configMap('x', '1'),
      },
      { message: `change ${third} and ${last}` },
    );
    const second = await syncGitRepo({ ctx: ctx(), gitRepoId: gitRepo.id });
    expect(second.renders).toBe(4);
    const order = await queuedRenders();
    expect(order.slice(0, 2)).toEqual([third, last]);
    expect(order.slice(2)).toEqual(initial.filter((name) => name !== third && name !== last));
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '@flotilla/config';
import {
  planBundle,
  renderBundleRevisions,
  SecretBox,
  syncGitRepo,
  type WorkerContext,
} from '@flotilla/core';
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
 * A commit that changes one bundle of a repository leaves the others as they were: their
 * renders come out the same revisions, so their deployments move to the new commit without a
 * plan (no thousand-row plan per untouched bundle) and nothing is deployed. What counts is the
 * rendered revision, not the paths the commit touched: a comment edited in a bundle's manifest
 * changes no object, and the bundle is carried like one the commit did not touch.
 */
describe('a commit that leaves a bundle unchanged does not plan it', () => {
  let database: TestDatabase;
  let testRedis: TestRedis;
  let repo: BareRepo;
  let redis: Redis;
  let queues: JobQueues;
  const dir = mkdtempSync(path.join(tmpdir(), 'flotilla-carry-'));
  const logger = createLogger({ name: 'test', level: 'silent' });

  beforeAll(async () => {
    [database, testRedis, repo] = await Promise.all([
      createTestDatabase(),
      createTestRedis(),
      createBareRepo({
        'alpha/fleet.yaml': 'defaultNamespace: alpha\n',
        'alpha/config.yaml': configMap('alpha', '1'),
        'bravo/fleet.yaml': 'defaultNamespace: bravo\n',
        'bravo/config.yaml': configMap('bravo', '1'),
        'charlie/fleet.yaml': 'defaultNamespace: charlie\n',
        'charlie/config.yaml': configMap('charlie', '1'),
      }),
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

  /** Takes the queued jobs of one queue off it: their data. */
  const take = async <Data>(name: 'render' | 'plan' | 'deploy'): Promise<Data[]> => {
    const jobs = await queues.queue(name).getJobs(['waiting', 'delayed', 'prioritized']);
    await queues.queue(name).drain(true);
    return jobs.map((job) => job.data as Data);
  };

  /** What the worker would do with the queued renders: render each, then plan what they queue. */
  const renderAndPlan = async () => {
    for (const job of await take<{ bundleId: string; commit: string }>('render'))
      await renderBundleRevisions({ ctx: ctx(), ...job });
    const planned = await take<{ bundleId: string }>('plan');
    for (const job of planned) await planBundle({ ctx: ctx(), bundleId: job.bundleId });
    return planned.map((job) => job.bundleId);
  };

  it('moves the untouched bundle to the new commit, and plans the changed ones', async () => {
    const { db } = database;
    const workspace = await db.workspace.create({ data: { name: 'carry' } });
    for (const name of ['edge-1', 'edge-2'])
      await db.cluster.create({
        data: {
          workspaceId: workspace.id,
          name,
          apiServerUrl: 'https://10.0.0.1',
          credentials: Buffer.from('sealed'),
          credentialKind: 'token',
          connectivity: 'Online',
        },
      });
    const gitRepo = await db.gitRepo.create({
      data: {
        workspaceId: workspace.id,
        name: 'apps',
        url: repo.url,
        targets: [{ clusterSelector: {} }],
      },
    });
    const first = await syncGitRepo({ ctx: ctx(), gitRepoId: gitRepo.id });
    await renderAndPlan();
    const bundles = await db.bundle.findMany({ where: { gitRepoId: gitRepo.id } });
    const idOf = Object.fromEntries(bundles.map((bundle) => [bundle.name, bundle.id]));
    expect(Object.keys(idOf).sort()).toEqual(['alpha', 'bravo', 'charlie']);
    // As if every deploy went through and the clusters report Ready.
    const deployments = await db.bundleDeployment.findMany({
      where: { workspaceId: workspace.id },
    });
    expect(deployments).toHaveLength(6);
    expect(new Set(deployments.map((deployment) => deployment.targetCommit))).toEqual(
      new Set([first.commit]),
    );
    for (const deployment of deployments)
      await db.bundleDeployment.update({
        where: { id: deployment.id },
        data: { appliedHash: deployment.desiredHash, state: 'Ready', message: '' },
      });
    await take('deploy');
    const bravoBefore = await db.bundleDeployment.findMany({
      where: { bundleId: idOf['bravo'] },
      orderBy: { id: 'asc' },
    });
    const eventsBefore = await db.event.count({ where: { bundleId: idOf['bravo'] } });

    // alpha's ConfigMap changes; bravo's file gets a comment (no object changes); charlie's
    // files are not touched.
    await repo.commit(
      {
        'alpha/config.yaml': configMap('alpha', '2'),
        'bravo/config.yaml': `# owned by the bravo team\n${configMap('bravo', '1')}`,
      },
      { message: 'change alpha, comment bravo' },
    );
    const second = await syncGitRepo({ ctx: ctx(), gitRepoId: gitRepo.id });
    expect(second.renders).toBe(3);
    expect(await renderAndPlan()).toEqual([idOf['alpha']]);

    // bravo and charlie: on the new commit, the same revision and state, no event.
    const carried = await db.bundleDeployment.findMany({
      where: { bundleId: { in: [idOf['bravo']!, idOf['charlie']!] } },
      orderBy: { id: 'asc' },
    });
    expect(carried.map((row) => [row.targetCommit, row.desiredCommit, row.state])).toEqual(
      carried.map(() => [second.commit, second.commit, 'Ready']),
    );
    const bravoAfter = carried.filter((row) => row.bundleId === idOf['bravo']);
    expect(bravoAfter.map((row) => [row.id, row.desiredHash])).toEqual(
      bravoBefore.map((row) => [row.id, row.desiredHash]),
    );
    expect(await db.event.count({ where: { bundleId: idOf['bravo'] } })).toBe(eventsBefore);
    expect((await db.bundle.findUniqueOrThrow({ where: { id: idOf['bravo'] } })).commit).toBe(
      second.commit,
    );
    // alpha: a new revision, deploying on both clusters (and nothing else is deployed).
    const changed = await db.bundleDeployment.findMany({ where: { bundleId: idOf['alpha'] } });
    expect(changed.map((row) => [row.targetCommit, row.state])).toEqual(
      changed.map(() => [second.commit, 'WaitApplied']),
    );
    const deploys = await take<{ deploymentId: string }>('deploy');
    expect(new Set(deploys.map((deploy) => deploy.deploymentId))).toEqual(
      new Set(changed.map((row) => row.id)),
    );
  });

  it('plans an unchanged bundle whose deployments are not settled on the earlier commit', async () => {
    const { db } = database;
    const bravo = await db.bundle.findFirstOrThrow({ where: { name: 'bravo' } });
    // One of bravo's clusters is still applying its revision (a deploy retrying, say).
    const [retrying] = await db.bundleDeployment.findMany({ where: { bundleId: bravo.id } });
    await db.bundleDeployment.update({
      where: { id: retrying!.id },
      data: { state: 'WaitApplied', appliedHash: null },
    });
    await repo.commit({ 'README.md': 'nothing a bundle reads\n' }, { message: 'docs' });
    const third = await syncGitRepo({ ctx: ctx(), gitRepoId: bravo.gitRepoId });
    const planned = await renderAndPlan();
    expect(planned).toContain(bravo.id);
    const rows = await db.bundleDeployment.findMany({ where: { bundleId: bravo.id } });
    expect(rows.map((row) => row.targetCommit)).toEqual([third.commit, third.commit]);
  });
});

import { randomBytes } from 'node:crypto';
import { createLogger } from '@flotilla/config';
import type { Db } from '@flotilla/db';
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
  FLEET_ACTION_MAX_ITEMS,
  fleetActionInput,
  getCompactFleetMatrix,
  runFleetAction,
  SecretBox,
  type CoreContext,
  type Principal,
} from '../src/index.ts';

const hash = (digit: string) => digit.repeat(64);

/**
 * The overview's bulk actions (POST /api/v1/fleet/actions) against a real database and Redis:
 * each item gets its own answer, a refused or unknown item never stops the others, what is done
 * is queued and audited, and another workspace's deployments are not found.
 */
describe('runFleetAction: one action over many deployments or bundles', () => {
  let database: TestDatabase;
  let testRedis: TestRedis;
  let redis: Redis;
  let queues: JobQueues;
  let ctx: CoreContext;

  beforeAll(async () => {
    [database, testRedis] = await Promise.all([createTestDatabase(), createTestRedis()]);
    redis = createRedis(testRedis.url);
    queues = new JobQueues(redis);
    ctx = {
      db: database.db,
      redis,
      queues,
      secrets: new SecretBox(randomBytes(32).toString('base64')),
      logger: createLogger({ name: 'test', level: 'silent' }),
      now: () => new Date(),
      allowFileGitUrls: false,
    };
  });

  afterAll(async () => {
    await queues?.close();
    await redis?.quit();
    await testRedis?.cleanup();
    await database?.drop();
  });

  let fleets = 0;
  /** Two direct clusters and an agent cluster, two bundles, deployments in chosen states. */
  async function fleet(db: Db) {
    fleets += 1;
    const workspace = await db.workspace.create({ data: { name: `bulk-${fleets}` } });
    const workspaceId = workspace.id;
    const cluster = (name: string, connectionKind: 'direct' | 'agent' = 'direct') =>
      db.cluster.create({
        data: {
          workspaceId,
          name,
          connectionKind,
          apiServerUrl: 'https://10.0.0.1',
          credentials: Buffer.from('sealed'),
          credentialKind: 'token',
        },
      });
    const [edge1, edge2, remote] = await Promise.all([
      cluster('edge-1'),
      cluster('edge-2'),
      cluster('remote', 'agent'),
    ]);
    const repo = await db.gitRepo.create({
      data: { workspaceId, name: 'apps', url: 'https://git.example/apps.git' },
    });
    const [shop, web] = await Promise.all(
      ['shop', 'web'].map((name) =>
        db.bundle.create({ data: { workspaceId, gitRepoId: repo.id, name, path: name } }),
      ),
    );
    const deployment = (
      bundleId: string,
      clusterId: string,
      state: 'Modified' | 'ErrApplied' | 'Ready',
    ) =>
      db.bundleDeployment.create({
        data: {
          workspaceId,
          bundleId,
          clusterId,
          state,
          desiredHash: hash('b'),
          appliedHash: state === 'ErrApplied' ? hash('a') : hash('b'),
        },
      });
    const deployments = {
      shopOnEdge1: await deployment(shop!.id, edge1.id, 'Modified'),
      shopOnEdge2: await deployment(shop!.id, edge2.id, 'Modified'),
      shopOnRemote: await deployment(shop!.id, remote.id, 'Modified'),
      webOnEdge1: await deployment(web!.id, edge1.id, 'ErrApplied'),
      webOnEdge2: await deployment(web!.id, edge2.id, 'Ready'),
    };
    const principal: Principal = {
      kind: 'user',
      id: `operator-${fleets}`,
      label: `operator${fleets}@example.test`,
      workspaceId,
      role: 'operator',
    };
    return { principal, shop: shop!, web: web!, edge1, edge2, remote, deployments };
  }

  const queuedDeploys = async () => {
    const jobs = await queues.queue('deploy').getJobs(['waiting', 'delayed', 'prioritized']);
    return jobs.map(
      (job) => job.data as { deploymentId: string; desiredHash: string; isCorrection?: boolean },
    );
  };

  it('corrects drift on the deployments it may, and says why not for the others', async () => {
    const f = await fleet(database.db);
    const other = await fleet(database.db);
    const pair = (bundleId: string, clusterId: string) => ({ bundleId, clusterId });

    const result = await runFleetAction({
      ctx,
      principal: f.principal,
      input: {
        action: 'correct-drift',
        deployments: [
          pair(f.shop.id, f.edge1.id),
          pair(f.shop.id, f.edge2.id),
          pair(f.shop.id, f.remote.id),
          pair(f.shop.id, 'no-such-cluster'),
          // Another workspace's deployment: not found, as an id of theirs always is.
          pair(other.shop.id, other.edge1.id),
        ],
      },
    });

    expect(result).toMatchObject({ action: 'correct-drift', requested: 5, done: 2, failed: 3 });
    expect(result.items).toEqual([
      { ...pair(f.shop.id, f.edge1.id), isDone: true, deploymentId: f.deployments.shopOnEdge1.id },
      { ...pair(f.shop.id, f.edge2.id), isDone: true, deploymentId: f.deployments.shopOnEdge2.id },
      {
        ...pair(f.shop.id, f.remote.id),
        isDone: false,
        error: { code: 'Conflict', message: expect.stringContaining('through its agent') },
      },
      {
        ...pair(f.shop.id, 'no-such-cluster'),
        isDone: false,
        error: { code: 'NotFound', message: expect.stringContaining('deployment') },
      },
      {
        ...pair(other.shop.id, other.edge1.id),
        isDone: false,
        error: { code: 'NotFound', message: expect.stringContaining('deployment') },
      },
    ]);
    const corrections = (await queuedDeploys()).filter((job) => job.isCorrection);
    expect(corrections.map((job) => job.deploymentId).sort()).toEqual(
      [f.deployments.shopOnEdge1.id, f.deployments.shopOnEdge2.id].sort(),
    );
    const audit = await database.db.auditEntry.findMany({
      where: { workspaceId: f.principal.workspaceId },
      orderBy: { at: 'asc' },
    });
    expect(audit.map((entry) => [entry.action, entry.objectId]).sort()).toEqual(
      [
        ['deployment.correct-drift', f.deployments.shopOnEdge1.id],
        ['deployment.correct-drift', f.deployments.shopOnEdge2.id],
        ['fleet.correct-drift', null],
      ].sort(),
    );
    expect(audit.find((entry) => entry.action === 'fleet.correct-drift')?.details).toEqual({
      requested: 5,
      done: 2,
      failed: 3,
    });
    // Nothing reached the other workspace.
    expect(
      await database.db.auditEntry.count({ where: { workspaceId: other.principal.workspaceId } }),
    ).toBe(0);
    await queues.queue('deploy').drain(true);
  });

  it('retries failed applies only', async () => {
    const f = await fleet(database.db);
    const result = await runFleetAction({
      ctx,
      principal: f.principal,
      input: {
        action: 'retry',
        deployments: [
          { bundleId: f.web.id, clusterId: f.edge1.id },
          { bundleId: f.web.id, clusterId: f.edge2.id },
        ],
      },
    });
    expect(result).toMatchObject({ requested: 2, done: 1, failed: 1 });
    expect(result.items[1]).toMatchObject({
      isDone: false,
      error: { code: 'Conflict', message: 'its last apply did not fail (it is Ready)' },
    });
    expect(await queuedDeploys()).toEqual([
      expect.objectContaining({
        deploymentId: f.deployments.webOnEdge1.id,
        desiredHash: hash('b'),
      }),
    ]);
    await queues.queue('deploy').drain(true);
  });

  it("refuses to retry a deployment whose error is its bundle's, not an apply's", async () => {
    const f = await fleet(database.db);
    // The bundle no longer renders: the plan marks the deployment ErrApplied, and the cluster
    // keeps the revision it runs.
    await database.db.bundleDeployment.update({
      where: { id: f.deployments.webOnEdge1.id },
      data: { appliedHash: hash('b'), message: 'render failed: kustomization.yaml: bad YAML' },
    });
    const result = await runFleetAction({
      ctx,
      principal: f.principal,
      input: { action: 'retry', deployments: [{ bundleId: f.web.id, clusterId: f.edge1.id }] },
    });
    expect(result).toMatchObject({ requested: 1, done: 0, failed: 1 });
    expect(result.items[0]).toMatchObject({
      isDone: false,
      error: {
        code: 'Conflict',
        message:
          "nothing failed to apply: the cluster runs the desired revision, and the error is the bundle's (fix it in Git)",
      },
    });
    expect(await queuedDeploys()).toEqual([]);
  });

  it('pauses and resumes bundles, an unknown bundle failing alone; the matrix columns say so', async () => {
    const f = await fleet(database.db);
    const matrix = async () => {
      const result = await getCompactFleetMatrix({ ctx, principal: f.principal });
      if (result.notModified) throw new Error('asked without a tag');
      return result;
    };
    const before = await matrix();
    const paused = await runFleetAction({
      ctx,
      principal: f.principal,
      input: { action: 'pause', bundleIds: [f.shop.id, 'no-such-bundle', f.web.id] },
    });
    expect(paused.items.map((item) => [item.bundleId, item.isDone])).toEqual([
      [f.shop.id, true],
      ['no-such-bundle', false],
      [f.web.id, true],
    ]);
    const isPaused = async () =>
      (
        await database.db.bundle.findMany({
          where: { id: { in: [f.shop.id, f.web.id] } },
          select: { paused: true },
        })
      ).map((bundle) => bundle.paused);
    expect(await isPaused()).toEqual([true, true]);
    // The overview's column headers say so: the compact matrix carries it, under a new ETag.
    const after = await matrix();
    expect(after.matrix.bundles.map((bundle) => [bundle.name, bundle.isPaused])).toEqual([
      ['shop', true],
      ['web', true],
    ]);
    expect(after.etag).not.toBe(before.etag);
    // A render error is shown there too, and moves the tag as well.
    await database.db.bundle.update({
      where: { id: f.web.id },
      data: { renderError: 'web/values.yaml: line 3: mapping values are not allowed here' },
    });
    const broken = await matrix();
    expect(broken.matrix.bundles.map((bundle) => bundle.renderError)).toEqual([
      '',
      'web/values.yaml: line 3: mapping values are not allowed here',
    ]);
    expect(broken.etag).not.toBe(after.etag);

    const resumed = await runFleetAction({
      ctx,
      principal: f.principal,
      input: { action: 'resume', bundleIds: [f.shop.id, f.web.id] },
    });
    expect(resumed).toMatchObject({ done: 2, failed: 0 });
    expect(await isPaused()).toEqual([false, false]);
    await queues.queue('plan').drain(true);
  });

  it('refuses a request it cannot read, naming the field', () => {
    const problems = (input: unknown) => {
      const parsed = fleetActionInput.safeParse(input);
      return parsed.success
        ? []
        : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    };
    expect(problems({ action: 'delete', deployments: [] })).toEqual([
      'action: action must be one of correct-drift, retry, pause, resume',
    ]);
    expect(problems({ action: 'correct-drift', deployments: [] })).toEqual([
      'deployments: choose at least one deployment',
    ]);
    expect(problems({ action: 'retry', deployments: [{ bundleId: 'b', clusterId: '' }] })).toEqual([
      'deployments.0.clusterId: a cluster id is required',
    ]);
    const many = Array.from({ length: FLEET_ACTION_MAX_ITEMS + 1 }, (_, index) => ({
      bundleId: 'b',
      clusterId: `c${index}`,
    }));
    expect(problems({ action: 'correct-drift', deployments: many })).toEqual([
      `deployments: at most ${FLEET_ACTION_MAX_ITEMS} deployments at a time`,
    ]);
    expect(problems({ action: 'pause', bundleIds: ['a'] })).toEqual([]);
  });
});

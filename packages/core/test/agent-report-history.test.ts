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
import { reportAgentState } from '../src/agents/report-agent-state.ts';

const logger = createLogger({ name: 'test', level: 'silent' });
const V1 = { commit: '1'.repeat(40), hash: 'a'.repeat(64) };
const V2 = { commit: '2'.repeat(40), hash: 'b'.repeat(64) };

describe("an agent's reports in the deployment history", () => {
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

  it('records a new apply once, and a failure once however often the agent reports it', async () => {
    const { db } = database;
    const workspace = await db.workspace.create({ data: { name: 'shops' } });
    const cluster = await db.cluster.create({
      data: {
        workspaceId: workspace.id,
        name: 'shop-7',
        connectionKind: 'agent',
        credentialKind: 'none',
        connectivity: 'Online',
      },
    });
    const gitRepo = await db.gitRepo.create({
      data: { workspaceId: workspace.id, name: 'r', url: 'https://git.example/r.git' },
    });
    const bundle = await db.bundle.create({
      data: { workspaceId: workspace.id, gitRepoId: gitRepo.id, name: 'app', path: 'app' },
    });
    const deployment = await db.bundleDeployment.create({
      data: {
        workspaceId: workspace.id,
        bundleId: bundle.id,
        clusterId: cluster.id,
        ...{ targetHash: V1.hash, targetCommit: V1.commit },
        ...{ desiredHash: V1.hash, desiredCommit: V1.commit },
      },
    });
    const ctx = { db, redis, logger, now: () => new Date(), queues, historyPerDeployment: 5 };
    const report = (appliedHash: string, error: string | null) =>
      reportAgentState({
        ctx,
        agent: {
          kind: 'agent',
          credentialId: 'credential',
          clusterId: cluster.id,
          clusterName: cluster.name,
          workspaceId: workspace.id,
        },
        report: {
          deployments: [{ id: deployment.id, appliedHash, error, resources: [], inventory: [] }],
          pruned: [],
        },
      });
    const history = async () =>
      (
        await db.deploymentHistory.findMany({
          where: { deploymentId: deployment.id },
          orderBy: { at: 'desc' },
        })
      ).map((row) => [row.commit, row.revisionHash, row.result, row.error, row.trigger]);

    await report(V1.hash, null);
    await report(V1.hash, null);
    expect(await history()).toEqual([[V1.commit, V1.hash, 'applied', '', 'commit']]);

    // v2 fails on the cluster, and the agent says so pass after pass.
    await db.bundleDeployment.update({
      where: { id: deployment.id },
      data: {
        ...{ targetHash: V2.hash, targetCommit: V2.commit },
        ...{ desiredHash: V2.hash, desiredCommit: V2.commit },
      },
    });
    await report(V1.hash, 'ConfigMap shop/settings: forbidden');
    await report(V1.hash, 'ConfigMap shop/settings: forbidden');
    expect(await history()).toEqual([
      [V2.commit, V2.hash, 'failed', 'ConfigMap shop/settings: forbidden', 'commit'],
      [V1.commit, V1.hash, 'applied', '', 'commit'],
    ]);
  });
});

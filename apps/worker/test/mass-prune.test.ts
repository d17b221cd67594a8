import { confirmDeploymentPrune, confirmGitRepoRemoval, type Principal } from '@flotilla/core';
import { createRedis, JobQueues } from '@flotilla/jobs';
import {
  createBareRepo,
  startPlatform,
  startTestClusters,
  type BareRepo,
  type Platform,
  type TestCluster,
  type TestClusters,
} from '@flotilla/testkit';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { json, objectExists, registerCluster } from './clusters-api.ts';

const configMap = (name: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  key: value\n`;
const ref = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name });

// The built web app predates the confirm routes: the test calls the use cases they call.
const operatorIn = (workspaceId: string): Principal => ({
  kind: 'bootstrap',
  id: 'bootstrap',
  label: 'operator@flotilla.test',
  workspaceId,
  role: 'operator',
});

interface ApiDeployment {
  id: string;
  state: string;
  message: string;
}

describe('no accidental mass prune: a revision with no objects waits for a confirmation', () => {
  let envtest: TestClusters;
  let cluster: TestCluster;
  let platform: Platform;
  let repo: BareRepo;
  let redis: Redis;
  let queues: JobQueues;
  let gitRepoId: string;
  const bundleIds = new Map<string, string>();

  const deploymentOf = async (path: string) => {
    const { items } = await json<{ items: ApiDeployment[] }>(
      await platform.api(`/api/v1/bundles/${bundleIds.get(path)}/deployments`),
    );
    if (!items[0]) throw new Error(`no deployment of ${path} yet`);
    return items[0];
  };
  const waitForExists = (name: string, exists: boolean) =>
    vi.waitFor(async () => expect(await objectExists(cluster, ref(name)), name).toBe(exists), {
      timeout: 90_000,
      interval: 500,
    });

  beforeAll(async () => {
    [envtest, platform] = await Promise.all([
      startTestClusters(1, { names: ['dev'] }),
      startPlatform({
        env: {
          FLOTILLA_MONITOR_INTERVAL_SECONDS: '2',
          FLOTILLA_PROBE_INTERVAL_SECONDS: '2',
          FLOTILLA_TICK_SECONDS: '1',
          FLOTILLA_SWEEP_INTERVAL_SECONDS: '2',
        },
      }),
    ]);
    cluster = envtest.clusters[0]!;
    redis = createRedis(platform.redisUrl);
    queues = new JobQueues(redis);
    repo = await createBareRepo({
      'held/fleet.yaml': 'defaultNamespace: default\n',
      'held/configmaps.yaml': `${configMap('held-a')}---\n${configMap('held-b')}`,
      'open/fleet.yaml': 'defaultNamespace: default\nallowEmpty: true\n',
      'open/configmaps.yaml': configMap('open-c'),
    });
    await registerCluster(platform, cluster, { env: 'dev' });
  });

  afterAll(async () => {
    if (process.env.FLOTILLA_TEST_DEBUG)
      console.log(`WORKER\n${platform?.workerLog().slice(-12000)}`);
    await queues?.close();
    redis?.disconnect();
    await platform?.stop();
    await envtest?.stopAll();
    await repo?.remove();
  });

  it('deploys both bundles', async () => {
    gitRepoId = (
      await json<{ id: string }>(
        await platform.api('/api/v1/gitrepos', {
          json: { name: 'apps', url: repo.url, targets: [{ clusterSelector: 'env=dev' }] },
        }),
      )
    ).id;
    await vi.waitFor(
      async () => {
        const { bundles } = await json<{ bundles: { id: string; path: string }[] }>(
          await platform.api(`/api/v1/gitrepos/${gitRepoId}`),
        );
        expect(bundles.map((bundle) => bundle.path).sort()).toEqual(['held', 'open']);
        for (const bundle of bundles) bundleIds.set(bundle.path, bundle.id);
      },
      { timeout: 60_000, interval: 300 },
    );
    for (const name of ['held-a', 'held-b', 'open-c']) await waitForExists(name, true);
  });

  it('holds the commit that empties a bundle, and prunes at once the one with allowEmpty: true', async () => {
    await repo.commit(
      {},
      {
        message: 'manifests deleted, fleet.yaml kept',
        remove: ['held/configmaps.yaml', 'open/configmaps.yaml'],
      },
    );
    await platform.api(`/api/v1/gitrepos/${gitRepoId}/sync`, { method: 'POST' });

    const held = await vi.waitFor(
      async () => {
        const deployment = await deploymentOf('held');
        expect(deployment.state).toBe('Pending');
        return deployment;
      },
      { timeout: 90_000, interval: 500 },
    );
    expect(held.message).toBe('Pending: would delete all 2 objects; confirm');
    // The monitor checks the cluster again (a later lastCheckedAt) and keeps the hold.
    const checked = await platform.database.db.bundleDeployment.findUniqueOrThrow({
      where: { id: held.id },
    });
    await vi.waitFor(
      async () => {
        const row = await platform.database.db.bundleDeployment.findUniqueOrThrow({
          where: { id: held.id },
        });
        expect(row.lastCheckedAt?.getTime() ?? 0).toBeGreaterThan(
          checked.lastCheckedAt?.getTime() ?? 0,
        );
      },
      { timeout: 30_000, interval: 300 },
    );
    // The opted-in bundle went through the same sync: its object is gone, the held ones stay.
    await waitForExists('open-c', false);
    expect(await objectExists(cluster, ref('held-a'))).toBe(true);
    expect(await objectExists(cluster, ref('held-b'))).toBe(true);
    expect((await deploymentOf('held')).state).toBe('Pending');
  });

  it('prunes the held objects once an operator confirms, and audits the confirmation', async () => {
    const held = await deploymentOf('held');
    const row = await platform.database.db.bundleDeployment.findUniqueOrThrow({
      where: { id: held.id },
    });
    await confirmDeploymentPrune({
      ctx: { db: platform.database.db, queues },
      principal: operatorIn(row.workspaceId),
      deploymentId: held.id,
    });
    await waitForExists('held-a', false);
    await waitForExists('held-b', false);
    const audit = await platform.database.db.auditEntry.findMany({
      where: { action: 'deployment.confirm-prune', objectId: held.id },
    });
    expect(audit).toHaveLength(1);
    await vi.waitFor(async () => expect((await deploymentOf('held')).state).not.toBe('Pending'), {
      timeout: 60_000,
      interval: 500,
    });
  });
  it('holds a commit that removes 3 of 4 bundles, keeping their objects, until confirmed', async () => {
    const many = await createBareRepo(
      Object.fromEntries(
        ['w', 'x', 'y', 'z'].flatMap((name) => [
          [`many/${name}/fleet.yaml`, 'defaultNamespace: default\n'],
          [`many/${name}/configmap.yaml`, configMap(`many-${name}`)],
        ]),
      ),
    );
    try {
      const created = await json<{ id: string }>(
        await platform.api('/api/v1/gitrepos', {
          json: { name: 'many', url: many.url, targets: [{ clusterSelector: 'env=dev' }] },
        }),
      );
      for (const name of ['w', 'x', 'y', 'z']) await waitForExists(`many-${name}`, true);
      const commit = await many.commit(
        {},
        {
          message: 'three folders deleted',
          remove: ['x', 'y', 'z'].flatMap((name) => [
            `many/${name}/fleet.yaml`,
            `many/${name}/configmap.yaml`,
          ]),
        },
      );
      await platform.api(`/api/v1/gitrepos/${created.id}/sync`, { method: 'POST' });
      const held = await vi.waitFor(
        async () => {
          const repo = await json<{ commit: string; state: string; message: string }>(
            await platform.api(`/api/v1/gitrepos/${created.id}`),
          );
          expect(repo.commit).toBe(commit);
          return repo;
        },
        { timeout: 60_000, interval: 300 },
      );
      expect(held.state).toBe('Error');
      expect(held.message).toBe(
        `commit ${commit.slice(0, 12)} would remove 3 of 4 bundles; confirm`,
      );
      // Give a prune, were one queued, the time to happen: the objects must still be there.
      await vi.waitFor(
        async () => {
          const rows = await platform.database.db.bundle.findMany({
            where: { gitRepoId: created.id },
          });
          expect(rows.filter((row) => row.isPresent)).toHaveLength(4);
        },
        { timeout: 10_000, interval: 300 },
      );
      for (const name of ['x', 'y', 'z'])
        expect(await objectExists(cluster, ref(`many-${name}`)), name).toBe(true);

      const workspaceId = (
        await platform.database.db.gitRepo.findUniqueOrThrow({ where: { id: created.id } })
      ).workspaceId;
      await confirmGitRepoRemoval({
        ctx: { db: platform.database.db, queues },
        principal: operatorIn(workspaceId),
        gitRepoId: created.id,
      });
      for (const name of ['x', 'y', 'z']) await waitForExists(`many-${name}`, false);
      expect(await objectExists(cluster, ref('many-w'))).toBe(true);
      const repo = await json<{ state: string; message: string }>(
        await platform.api(`/api/v1/gitrepos/${created.id}`),
      );
      expect(repo.state).toBe('Ready');
      expect(
        await platform.database.db.auditEntry.count({
          where: { action: 'gitrepo.confirm-removal', objectId: created.id },
        }),
      ).toBe(1);
    } finally {
      await many.remove();
    }
  });
});

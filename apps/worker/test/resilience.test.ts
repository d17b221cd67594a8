import { Redis } from 'ioredis';
import {
  createBareRepo,
  markDeploymentAvailable,
  startPlatform,
  startRedisServer,
  startTestClusters,
  type BareRepo,
  type OwnRedisServer,
  type Platform,
  type TestClusters,
} from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  json,
  objectExists,
  registerCluster,
  waitForConnectivity,
  type ApiCluster,
} from './clusters-api.ts';

const NAMESPACE = 'apps';

/** A bundle of `count` ConfigMaps and one Deployment, so a deploy takes several requests. */
function bundleFiles(version: number, count = 20): Record<string, string> {
  const files: Record<string, string> = {
    'app/flotilla.yaml': `defaultNamespace: ${NAMESPACE}\n`,
    'app/deployment.yaml': [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: { name: web }',
      'spec:',
      '  replicas: 1',
      '  selector: { matchLabels: { app: web } }',
      '  template:',
      '    metadata: { labels: { app: web } }',
      `    spec: { containers: [{ name: web, image: "nginx:1.${version}" }] }`,
    ].join('\n'),
  };
  for (let index = 0; index < count; index += 1) {
    files[`app/config-${index}.yaml`] =
      `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: config-${index} }\ndata: { version: "${version}" }\n`;
  }
  return files;
}

interface Deployment {
  clusterName: string;
  state: string;
  message: string;
  appliedCommit: string | null;
}

describe('resilience: offline clusters, a killed worker and a flushed Redis', () => {
  let envtest: TestClusters;
  let redis: OwnRedisServer;
  let platform: Platform;
  let repo: BareRepo;
  const clusters: ApiCluster[] = [];
  let gitRepoId: string;

  const deployments = async () => {
    const { items: bundles } = await json<{ items: { id: string }[] }>(
      await platform.api('/api/v1/bundles'),
    );
    if (bundles.length === 0) return [];
    return (
      await json<{ items: Deployment[] }>(
        await platform.api(`/api/v1/bundles/${bundles[0]!.id}/deployments`),
      )
    ).items;
  };
  const states = async () =>
    Object.fromEntries(
      (await deployments()).map((deployment) => [deployment.clusterName, deployment.state]),
    );
  const markAvailable = async (names: string[]) => {
    for (const cluster of envtest.clusters.filter((candidate) => names.includes(candidate.name))) {
      await vi.waitFor(() => markDeploymentAvailable(cluster, NAMESPACE, 'web'), {
        timeout: 30_000,
        interval: 500,
      });
    }
  };
  const convergedOn = async (commit: string) => {
    await vi.waitFor(
      async () => {
        const all = await deployments();
        expect(all).toHaveLength(3);
        for (const deployment of all)
          expect(deployment.appliedCommit, deployment.clusterName).toBe(commit);
      },
      { timeout: 120_000, interval: 500 },
    );
    await markAvailable(['one', 'two', 'three']);
    await vi.waitFor(
      async () => expect(Object.values(await states())).toEqual(['Ready', 'Ready', 'Ready']),
      { timeout: 60_000, interval: 500 },
    );
  };
  const syncNow = () => platform.api(`/api/v1/gitrepos/${gitRepoId}/sync`, { method: 'POST' });

  beforeAll(async () => {
    [envtest, redis] = await Promise.all([
      startTestClusters(3, { names: ['one', 'two', 'three'] }),
      startRedisServer(),
    ]);
    platform = await startPlatform({
      redisUrl: redis.url,
      env: {
        FLOTILLA_MONITOR_INTERVAL_SECONDS: '2',
        FLOTILLA_PROBE_INTERVAL_SECONDS: '1',
        FLOTILLA_PROBE_BACKOFF_CAP_SECONDS: '2',
        FLOTILLA_TICK_SECONDS: '1',
        FLOTILLA_SWEEP_INTERVAL_SECONDS: '2',
        FLOTILLA_REQUEUE_AFTER_SECONDS: '5',
      },
    });
    repo = await createBareRepo(bundleFiles(1));
    for (const cluster of envtest.clusters)
      clusters.push(await registerCluster(platform, cluster, { fleet: 'all' }));
    for (const cluster of clusters) await waitForConnectivity(platform, cluster.id, 'Online');
    ({ id: gitRepoId } = await json<{ id: string }>(
      await platform.api('/api/v1/gitrepos', {
        json: {
          name: 'app',
          url: repo.url,
          targets: [{ clusterSelector: { matchLabels: { fleet: 'all' } } }],
        },
      }),
    ));
    await convergedOn(await repo.head());
  });

  afterAll(async () => {
    await platform?.stop();
    await redis?.stop();
    await envtest?.stopAll();
    await repo?.remove();
  });

  it('shows a stopped cluster Offline with its last-seen time, the others Ready; converges when it is back', async () => {
    const three = envtest.clusters[2]!;
    await three.stop();
    const commit = await repo.commit(bundleFiles(2), { message: 'v2' });
    await syncNow();
    const offline = await waitForConnectivity(platform, clusters[2]!.id, 'Offline', 60_000);
    expect(offline.connectivity.lastSeenAt).not.toBeNull();
    expect(offline.connectivity.message).toMatch(/refused|unreachable/i);
    await vi.waitFor(
      async () => {
        const all = await deployments();
        expect(all.find((deployment) => deployment.clusterName === 'three')?.state).toBe('Offline');
        for (const name of ['one', 'two'])
          expect(all.find((deployment) => deployment.clusterName === name)?.appliedCommit).toBe(
            commit,
          );
      },
      { timeout: 90_000, interval: 500 },
    );
    await markAvailable(['one', 'two']);
    await vi.waitFor(
      async () =>
        expect(await states()).toMatchObject({ one: 'Ready', two: 'Ready', three: 'Offline' }),
      { timeout: 60_000, interval: 500 },
    );

    await three.start();
    await waitForConnectivity(platform, clusters[2]!.id, 'Online', 60_000);
    await convergedOn(commit);
  });

  it('converges after the worker is killed mid-deploy and Redis is flushed', async () => {
    const commit = await repo.commit(bundleFiles(3, 60), { message: 'v3, bigger' });
    await syncNow();
    // Wait until the deploy is under way on some cluster, then kill the worker without warning.
    await vi.waitFor(async () => expect(Object.values(await states())).toContain('WaitApplied'), {
      timeout: 60_000,
      interval: 100,
    });
    await platform.stopWorker('SIGKILL');
    const client = new Redis(redis.url);
    await client.flushall();
    await client.quit();
    await platform.startWorker();
    await convergedOn(commit);
    for (const cluster of envtest.clusters) {
      expect(
        await objectExists(cluster, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          namespace: NAMESPACE,
          name: 'config-59',
        }),
      ).toBe(true);
    }
  });

  it('on SIGTERM stops taking jobs, finishes the active ones and exits', async () => {
    const commit = await repo.commit(bundleFiles(4, 60), { message: 'v4' });
    await syncNow();
    await vi.waitFor(async () => expect(Object.values(await states())).toContain('WaitApplied'), {
      timeout: 60_000,
      interval: 100,
    });
    await platform.stopWorker('SIGTERM');
    expect(platform.workerLog()).toMatch(/shutting down: no new jobs; finishing the active ones/);
    expect(platform.workerLog()).toMatch(/INFO: stopped/);
    // The in-flight case is proven with a slowed API server in shutdown.test.ts.
    expect(platform.workerLog()).not.toMatch(/did not finish/);
    await platform.startWorker();
    await convergedOn(commit);
  });
});

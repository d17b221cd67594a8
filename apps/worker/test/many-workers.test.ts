import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import {
  createBareRepo,
  startCountingProxy,
  startPlatform,
  startRedisServer,
  startTestClusters,
  type BareRepo,
  type CountingProxy,
  type OwnRedisServer,
  type Platform,
  type TestClusters,
} from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it, onTestFailed, vi } from 'vitest';
import { json, objectExists, registerCluster, waitForConnectivity } from './clusters-api.ts';

const WORKERS = 3;
const BUNDLES = 4;
const CLUSTER_NAMES = ['one', 'two', 'three'];

/** BUNDLES bundles of `count` ConfigMaps each, one namespace per bundle. */
function repoFiles(version: number, count: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let bundle = 1; bundle <= BUNDLES; bundle += 1) {
    files[`app-${bundle}/flotilla.yaml`] = `defaultNamespace: multi-${bundle}\n`;
    for (let index = 0; index < count; index += 1) {
      files[`app-${bundle}/config-${index}.yaml`] =
        `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: config-${index} }\ndata: { version: "${version}" }\n`;
    }
  }
  return files;
}

interface Deployment {
  clusterName: string;
  state: string;
  message: string;
  appliedCommit: string | null;
}

/** The name each worker process gives BullMQ (job.processedBy), from its "worker ready" line. */
function workerNameIn(log: string): string {
  for (const line of log.split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { msg?: string; worker?: string };
    if (entry.msg === 'worker ready' && entry.worker) return entry.worker;
  }
  throw new Error(`no "worker ready" line with a worker name in:\n${log.slice(-4000)}`);
}

/** Deploy jobs a worker finished (its debug "job done" lines), put-backs not counted. */
function deploysDoneIn(log: string): number {
  return log
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg?: string; job?: string })
    .filter((entry) => entry.msg === 'job done' && entry.job === 'deploy').length;
}

describe('many workers, one fleet: three worker processes share the queues', () => {
  let envtest: TestClusters;
  let redis: OwnRedisServer;
  let proxies: CountingProxy[];
  let platform: Platform;
  let repo: BareRepo;
  let gitRepoId: string;

  const deployments = async (): Promise<Deployment[]> => {
    const { items: bundles } = await json<{ items: { id: string }[] }>(
      await platform.api('/api/v1/bundles'),
    );
    const all: Deployment[] = [];
    for (const bundle of bundles) {
      const { items } = await json<{ items: Deployment[] }>(
        await platform.api(`/api/v1/bundles/${bundle.id}/deployments`),
      );
      all.push(...items);
    }
    return all;
  };
  const convergedOn = (commit: string) =>
    vi.waitFor(
      async () => {
        const all = await deployments();
        expect(all).toHaveLength(BUNDLES * CLUSTER_NAMES.length);
        for (const deployment of all) {
          const where = `${deployment.clusterName}: ${deployment.state} ${deployment.message}`;
          expect(deployment.appliedCommit, where).toBe(commit);
          expect(deployment.state, where).toBe('Ready');
        }
      },
      { timeout: 100_000, interval: 500 },
    );
  /** Server-side applies of ConfigMaps per object path, from each API server's audit log. */
  const appliesPerObject = (cluster: TestClusters['clusters'][number]) => {
    const counts = new Map<string, number>();
    for (const request of cluster.mutatingRequests()) {
      if (request.verb !== 'patch' || !request.requestURI.includes('/configmaps/')) continue;
      const object = request.requestURI.split('?')[0]!;
      counts.set(object, (counts.get(object) ?? 0) + 1);
    }
    return counts;
  };

  beforeAll(async () => {
    [envtest, redis] = await Promise.all([
      startTestClusters(CLUSTER_NAMES.length, { names: CLUSTER_NAMES }),
      startRedisServer(),
    ]);
    proxies = await Promise.all(envtest.clusters.map((cluster) => startCountingProxy(cluster)));
    platform = await startPlatform({
      redisUrl: redis.url,
      workers: WORKERS,
      env: {
        // One request in flight per cluster, for the three processes together.
        FLOTILLA_CLUSTER_CONCURRENCY: '1',
        // Few deploy slots each, so every process takes a share of the deploy jobs.
        FLOTILLA_WORKER_CONCURRENCY: '4',
        FLOTILLA_CLUSTER_REQUEST_TIMEOUT_SECONDS: '5',
        // A dead worker's jobs are taken up again after its job locks lapse (4 s).
        FLOTILLA_JOB_LOCK_SECONDS: '4',
        // A killed worker's jobs are taken up by BullMQ's stalled check (4 s locks). The sweeper
        // stays the last resort it is in production (60 s there), later than that.
        FLOTILLA_REQUEUE_AFTER_SECONDS: '45',
        FLOTILLA_MONITOR_INTERVAL_SECONDS: '2',
        FLOTILLA_PROBE_INTERVAL_SECONDS: '2',
        FLOTILLA_TICK_SECONDS: '1',
        FLOTILLA_SWEEP_INTERVAL_SECONDS: '2',
        FLOTILLA_LOG_LEVEL: 'debug',
        FLOTILLA_LOG_FORMAT: 'json',
      },
    });
    for (const proxy of proxies) {
      const cluster = await registerCluster(platform, proxy.cluster, { fleet: 'all' });
      await waitForConnectivity(platform, cluster.id, 'Online');
    }
    repo = await createBareRepo(repoFiles(1, 12));
    ({ id: gitRepoId } = await json<{ id: string }>(
      await platform.api('/api/v1/gitrepos', {
        json: {
          name: 'apps',
          url: repo.url,
          targets: [{ clusterSelector: { matchLabels: { fleet: 'all' } } }],
        },
      }),
    ));
  });

  afterAll(async () => {
    await platform?.stop();
    await Promise.all((proxies ?? []).map((proxy) => proxy.close()));
    await redis?.stop();
    await envtest?.stopAll();
    await repo?.remove();
  });

  const showLogsOnFailure = () =>
    onTestFailed(() => {
      for (let index = 0; index < WORKERS; index += 1)
        console.log(`WORKER ${index}\n${platform?.workerLog(index).slice(-6000)}`);
    });

  it('converge with each object applied once, and one request in flight per cluster', async () => {
    showLogsOnFailure();
    await convergedOn(await repo.head());

    for (const cluster of envtest.clusters) {
      const applies = appliesPerObject(cluster);
      expect(applies.size, cluster.name).toBe(BUNDLES * 12);
      const twice = [...applies].filter(([, count]) => count > 1);
      expect(twice, `${cluster.name}: objects applied more than once`).toEqual([]);
    }
    for (const [index, proxy] of proxies.entries()) {
      // The proxies carried the work (probes, applies, monitor LISTs), never two at once.
      expect(proxy.requests().length, CLUSTER_NAMES[index]).toBeGreaterThan(BUNDLES * 12);
      expect(proxy.maxInFlight(), CLUSTER_NAMES[index]).toBe(1);
    }
    // The deploy jobs were shared: more than one process ran some.
    const busy = Array.from({ length: WORKERS }, (_, index) =>
      deploysDoneIn(platform.workerLog(index)),
    ).filter((count) => count > 0);
    expect(busy.length).toBeGreaterThan(1);
  });

  it('loses nothing when a worker is killed (SIGKILL) in the middle of a rollout', async () => {
    showLogsOnFailure();
    const victim = workerNameIn(platform.workerLog(0));
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const deployQueue = new Queue('deploy', { connection, prefix: 'flotilla' });
    try {
      const commit = await repo.commit(repoFiles(2, 20), { message: 'v2, more objects' });
      await platform.api(`/api/v1/gitrepos/${gitRepoId}/sync`, { method: 'POST' });
      // Kill worker 0 while it holds a deploy job of this rollout.
      await vi.waitFor(
        async () => {
          const active = await deployQueue.getJobs(['active']);
          expect(active.map((job) => job.processedBy)).toContain(victim);
        },
        { timeout: 120_000, interval: 50 },
      );
      await platform.stopWorker('SIGKILL', 0);

      await convergedOn(commit);
      for (const cluster of envtest.clusters) {
        for (let bundle = 1; bundle <= BUNDLES; bundle += 1) {
          expect(
            await objectExists(cluster, {
              apiVersion: 'v1',
              kind: 'ConfigMap',
              namespace: `multi-${bundle}`,
              name: 'config-19',
            }),
            `${cluster.name} multi-${bundle}`,
          ).toBe(true);
        }
      }
      for (const proxy of proxies) expect(proxy.maxInFlight()).toBe(1);
    } finally {
      await deployQueue.close();
      await connection.quit();
    }
  });
});

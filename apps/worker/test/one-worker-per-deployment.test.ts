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
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { json, registerCluster, waitForConnectivity } from './clusters-api.ts';

/** Enough objects that applying one revision through a slow API server takes a while. */
const CONFIG_MAPS = 200;

function bundleFiles(version: number): Record<string, string> {
  const files: Record<string, string> = { 'app/flotilla.yaml': 'defaultNamespace: serial\n' };
  for (let index = 0; index < CONFIG_MAPS; index += 1) {
    files[`app/config-${index}.yaml`] =
      `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: config-${index} }\ndata: { version: "${version}" }\n`;
  }
  return files;
}

/** The revision a ConfigMap apply carried (its data.version), from the request body. */
function versionOf(body: string | undefined): string | undefined {
  try {
    return (JSON.parse(body ?? '') as { data?: { version?: string } }).data?.version;
  } catch {
    return undefined;
  }
}

/*
 * Three worker processes; a new commit lands while the previous revision is still being
 * applied. Its deploy job has another id (deployment + hash), so without a lease per deployment
 * a second worker would start applying it beside the first, their writes interleaved.
 */
describe('one worker at a time per (bundle, cluster), across worker processes', () => {
  let envtest: TestClusters;
  let redis: OwnRedisServer;
  let proxy: CountingProxy;
  let platform: Platform;
  let repo: BareRepo;
  let gitRepoId: string;

  const appliedCommit = async () => {
    const { items: bundles } = await json<{ items: { id: string }[] }>(
      await platform.api('/api/v1/bundles'),
    );
    if (bundles.length === 0) return undefined;
    const { items } = await json<{ items: { appliedCommit: string | null; state: string }[] }>(
      await platform.api(`/api/v1/bundles/${bundles[0]!.id}/deployments`),
    );
    return items[0]?.state === 'Ready' ? items[0].appliedCommit : undefined;
  };
  const convergedOn = (commit: string) =>
    vi.waitFor(async () => expect(await appliedCommit()).toBe(commit), {
      timeout: 180_000,
      interval: 300,
    });
  const configMapApplies = () =>
    proxy
      .requests()
      .filter((request) => request.method === 'PATCH' && request.url.includes('/configmaps/'))
      .map((request) => versionOf(request.body));
  const syncNow = () => platform.api(`/api/v1/gitrepos/${gitRepoId}/sync`, { method: 'POST' });

  beforeAll(async () => {
    [envtest, redis] = await Promise.all([
      startTestClusters(1, { names: ['only'] }),
      startRedisServer(),
    ]);
    // Each request waits 50 ms: a revision of 200 objects takes seconds to apply.
    proxy = await startCountingProxy(envtest.clusters[0]!, { delayMs: 50 });
    platform = await startPlatform({
      redisUrl: redis.url,
      workers: 3,
      env: {
        FLOTILLA_CLUSTER_CONCURRENCY: '4',
        FLOTILLA_WORKER_CONCURRENCY: '4',
        FLOTILLA_MONITOR_INTERVAL_SECONDS: '30',
        FLOTILLA_PROBE_INTERVAL_SECONDS: '5',
        FLOTILLA_TICK_SECONDS: '1',
        FLOTILLA_SWEEP_INTERVAL_SECONDS: '2',
        FLOTILLA_REQUEUE_AFTER_SECONDS: '600',
      },
    });
    const cluster = await registerCluster(platform, proxy.cluster, { fleet: 'all' });
    await waitForConnectivity(platform, cluster.id, 'Online');
    repo = await createBareRepo(bundleFiles(1));
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
    await proxy?.close();
    await redis?.stop();
    await envtest?.stopAll();
    await repo?.remove();
  });

  it('applies a newer revision only after the older one is done', async () => {
    await repo.commit(bundleFiles(2), { message: 'v2' });
    await syncNow();
    // v2 is being applied: commit v3 now, so its deploy job is queued while v2's runs.
    await vi.waitFor(() => expect(configMapApplies()).toContain('2'), {
      timeout: 60_000,
      interval: 20,
    });
    const v3 = await repo.commit(bundleFiles(3), { message: 'v3' });
    await syncNow();
    await convergedOn(v3);

    const versions = configMapApplies();
    const firstV3 = versions.indexOf('3');
    expect(firstV3).toBeGreaterThan(-1);
    const v2Writes = versions.filter((version) => version === '2').length;
    const v2AfterV3 = versions.slice(firstV3).filter((version) => version === '2').length;
    // v2 was either applied whole or abandoned before v3 began, never written beside it.
    expect({ v2Writes, v2AfterV3 }).toEqual({ v2Writes, v2AfterV3: 0 });
    expect(versions.slice(firstV3).filter((version) => version === '3')).toHaveLength(CONFIG_MAPS);
  });
});

import net from 'node:net';
import {
  createBareRepo,
  startPlatform,
  startTestClusters,
  type BareRepo,
  type Platform,
  type TestClusters,
} from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { json, readObject, waitForConnectivity, type ApiCluster } from './clusters-api.ts';

const NAMESPACE = 'slow';
const CONFIG_MAPS = 40;

function bundleFiles(version: number): Record<string, string> {
  const files: Record<string, string> = {
    'app/flotilla.yaml': `defaultNamespace: ${NAMESPACE}\n`,
  };
  for (let index = 0; index < CONFIG_MAPS; index += 1) {
    files[`app/config-${index}.yaml`] =
      `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: config-${index} }\ndata: { version: "${version}" }\n`;
  }
  return files;
}

/**
 * A TCP relay in front of an API server that holds every chunk the server sends for `delayMs`
 * once slowed: TLS passes through untouched, and each request takes that much longer, so a
 * deploy of many objects is still in flight when the worker is told to stop.
 */
async function startSlowRelay(targetPort: number): Promise<{
  port: number;
  slowDown: (delayMs: number) => void;
  stop: () => Promise<void>;
}> {
  let delayMs = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      const forward = () => {
        if (!client.destroyed) client.write(chunk);
      };
      if (delayMs === 0) forward();
      else setTimeout(forward, delayMs);
    });
    upstream.on('end', () => setTimeout(() => client.end(), delayMs));
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', () => setTimeout(close, delayMs));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    slowDown: (ms) => {
      delayMs = ms;
    },
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface Deployment {
  appliedCommit: string | null;
  state: string;
}

describe('worker SIGTERM with a deploy in flight', () => {
  let envtest: TestClusters;
  let platform: Platform;
  let repo: BareRepo;
  let relay: Awaited<ReturnType<typeof startSlowRelay>>;
  let gitRepoId: string;

  const deployments = async (): Promise<Deployment[]> => {
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
  const appliedCommit = async () => (await deployments())[0]?.appliedCommit ?? null;

  beforeAll(async () => {
    envtest = await startTestClusters(1, { names: ['slow'] });
    const cluster = envtest.clusters[0]!;
    relay = await startSlowRelay(cluster.port);
    platform = await startPlatform({
      env: {
        FLOTILLA_TICK_SECONDS: '1',
        FLOTILLA_SWEEP_INTERVAL_SECONDS: '2',
        FLOTILLA_PROBE_INTERVAL_SECONDS: '5',
        // The monitor reads the cluster too; keep it from competing with the deploy.
        FLOTILLA_MONITOR_INTERVAL_SECONDS: '600',
      },
    });
    repo = await createBareRepo(bundleFiles(1));
    const registered = await json<ApiCluster>(
      await platform.api('/api/v1/clusters', {
        json: {
          name: cluster.name,
          labels: { fleet: 'slow' },
          // Through the relay: same host, so the serving certificate still matches.
          apiServerUrl: `https://127.0.0.1:${relay.port}`,
          caData: cluster.caData,
          token: cluster.token,
        },
      }),
    );
    await waitForConnectivity(platform, registered.id, 'Online');
    ({ id: gitRepoId } = await json<{ id: string }>(
      await platform.api('/api/v1/gitrepos', {
        json: {
          name: 'slow-app',
          url: repo.url,
          targets: [{ clusterSelector: { matchLabels: { fleet: 'slow' } } }],
        },
      }),
    ));
    const first = await repo.head();
    await vi.waitFor(async () => expect(await appliedCommit()).toBe(first), {
      timeout: 120_000,
      interval: 500,
    });
  });

  afterAll(async () => {
    await platform?.stop();
    await relay?.stop();
    await envtest?.stopAll();
    await repo?.remove();
  });

  it('finishes the deploy it is running before it exits: every object applied, the revision recorded, nothing released', async () => {
    const cluster = envtest.clusters[0]!;
    relay.slowDown(150);
    const commit = await repo.commit(bundleFiles(2), { message: 'v2' });
    const writesBefore = cluster.countMutatingRequests();
    await platform.api(`/api/v1/gitrepos/${gitRepoId}/sync`, { method: 'POST' });

    // In flight: the API server has taken some of the new objects, and the revision is not
    // recorded yet.
    await vi.waitFor(
      () => expect(cluster.countMutatingRequests()).toBeGreaterThanOrEqual(writesBefore + 2),
      { timeout: 60_000, interval: 20 },
    );
    expect(await appliedCommit()).not.toBe(commit);
    await platform.stopWorker('SIGTERM');

    const log = platform.workerLog();
    expect(log).toMatch(/shutting down: no new jobs; finishing the active ones/);
    expect(log).toMatch(/stopped/);
    expect(log).not.toMatch(/did not finish/);
    // With the worker gone, what it left behind is final: the revision recorded in Postgres...
    expect(await appliedCommit()).toBe(commit);
    // ...and every object of it on the cluster.
    const versions = await Promise.all(
      Array.from({ length: CONFIG_MAPS }, async (_, index) => {
        const object = (await readObject(cluster, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          namespace: NAMESPACE,
          name: `config-${index}`,
        })) as { data?: Record<string, string> };
        return object.data?.version;
      }),
    );
    expect(new Set(versions)).toEqual(new Set(['2']));
  });
});

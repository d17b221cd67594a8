import * as k8s from '@kubernetes/client-node';
import {
  createBareRepo,
  kubeConfigFor,
  markDeploymentAvailable,
  markServiceLoadBalanced,
  startPlatform,
  startTestClusters,
  type BareRepo,
  type Platform,
  type TestCluster,
  type TestClusters,
} from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  json,
  objectExists,
  readObject,
  registerCluster,
  waitForConnectivity,
  type ApiCluster,
} from './clusters-api.ts';
import { differences, FLEET_EXAMPLES, fleetExpected, readFolder } from './fleet-fixtures.ts';

const EXAMPLE = 'multi-cluster/manifests';
const NAMESPACE = 'fleet-mc-manifest-example';
const ENVS = ['dev', 'test', 'prod'] as const;

interface Deployment {
  id: string;
  clusterId: string;
  clusterName: string;
  state: string;
  message: string;
  appliedRevision: string | null;
  resources: {
    kind: string;
    name: string;
    health: string;
    modified: boolean;
    diff?: string;
    driftPaths: string[];
  }[];
}

describe('fan-out: one GitRepo to three real clusters, as Fleet renders it', () => {
  let envtest: TestClusters;
  let platform: Platform;
  let repo: BareRepo;
  const clusters = new Map<string, { test: TestCluster; api: ApiCluster }>();
  let bundleId: string;

  const deployments = async () =>
    (
      await json<{ items: Deployment[] }>(
        await platform.api(`/api/v1/bundles/${bundleId}/deployments`),
      )
    ).items;
  const deploymentOn = async (env: string) => {
    const found = (await deployments()).find((deployment) => deployment.clusterName === env);
    if (!found) throw new Error(`no deployment on ${env} yet`);
    return found;
  };
  const waitForState = (env: string, state: string, timeout = 90_000) =>
    vi.waitFor(
      async () => {
        const deployment = await deploymentOn(env);
        if (deployment.state !== state)
          throw new Error(`${env} is ${deployment.state}: ${deployment.message}`);
        return deployment;
      },
      { timeout, interval: 300 },
    );
  const markAllAvailable = async (env: string) => {
    const cluster = clusters.get(env)!.test;
    for (const object of fleetExpected(EXAMPLE, env)) {
      if (object.kind === 'Deployment')
        await markDeploymentAvailable(cluster, NAMESPACE, object.metadata.name);
      const spec = object.spec as { type?: string } | undefined;
      if (object.kind === 'Service' && spec?.type === 'LoadBalancer')
        await markServiceLoadBalanced(cluster, NAMESPACE, object.metadata.name);
    }
  };

  beforeAll(async () => {
    [envtest, platform] = await Promise.all([
      startTestClusters(3, { names: [...ENVS] }),
      startPlatform({
        env: {
          FLOTILLA_MONITOR_INTERVAL_SECONDS: '2',
          FLOTILLA_PROBE_INTERVAL_SECONDS: '2',
          FLOTILLA_TICK_SECONDS: '1',
          FLOTILLA_SWEEP_INTERVAL_SECONDS: '2',
        },
      }),
    ]);
    repo = await createBareRepo(readFolder(`${FLEET_EXAMPLES}/${EXAMPLE}`, `${EXAMPLE}/`));
    for (const [index, env] of ENVS.entries()) {
      const test = envtest.clusters[index]!;
      clusters.set(env, {
        test,
        api: await registerCluster(platform, test, { env, region: 'eu' }),
      });
    }
  });

  afterAll(async () => {
    if (process.env.FLOTILLA_TEST_DEBUG)
      console.log(
        `WEB\n${platform?.webLog().slice(-8000)}\nWORKER\n${platform?.workerLog().slice(-12000)}`,
      );
    await platform?.stop();
    await envtest?.stopAll();
    await repo?.remove();
  });

  it('sees every registered cluster Online with its Kubernetes version', async () => {
    for (const { api } of clusters.values()) {
      const online = await waitForConnectivity(platform, api.id, 'Online');
      expect(online.connectivity.kubernetesVersion).toBe('v1.20.2');
      expect(online.connectivity.lastSeenAt).not.toBeNull();
    }
  });

  it('puts on each API server the objects Fleet renders for its env', async () => {
    const created = await json<{ id: string }>(
      await platform.api('/api/v1/gitrepos', {
        json: {
          name: 'examples',
          url: repo.url,
          paths: [EXAMPLE],
          targets: [{ clusterSelector: 'env in (dev,test,prod)' }],
        },
      }),
    );
    const gitRepo = await vi.waitFor(
      async () => {
        const found = await json<{
          commit: string | null;
          bundles: { id: string; path: string }[];
          state: string;
          message: string;
        }>(await platform.api(`/api/v1/gitrepos/${created.id}`));
        // The first sync makes the bundles a moment before it stores the commit.
        if (found.bundles.length === 0 || found.commit === null)
          throw new Error(`no bundles at a commit yet (${found.state} ${found.message})`);
        return found;
      },
      { timeout: 60_000, interval: 300 },
    );
    expect(gitRepo.commit).toBe(await repo.head());
    expect(gitRepo.bundles.map((bundle) => bundle.path)).toEqual([EXAMPLE]);
    bundleId = gitRepo.bundles[0]!.id;

    for (const env of ENVS) {
      const cluster = clusters.get(env)!.test;
      const expected = fleetExpected(EXAMPLE, env);
      await vi.waitFor(
        async () => {
          for (const object of expected) {
            const live = await readObject(cluster, {
              apiVersion: object.apiVersion,
              kind: object.kind,
              namespace: object.metadata.namespace,
              name: object.metadata.name,
            });
            const { metadata, ...body } = object;
            expect(differences(body, live), `${env} ${object.kind}/${metadata.name}`).toEqual([]);
            expect(differences(metadata.labels ?? {}, live.metadata?.labels ?? {})).toEqual([]);
          }
        },
        { timeout: 90_000, interval: 500 },
      );
    }
  });

  it('is NotReady naming the Deployments until they are Available, then Ready', async () => {
    for (const env of ENVS) {
      const notReady = await waitForState(env, 'NotReady');
      expect(notReady.message).toContain('Deployment');
      expect(notReady.message).toMatch(/frontend|redis-master|redis-slave/);
    }
    for (const env of ENVS) await markAllAvailable(env);
    for (const env of ENVS) {
      const ready = await waitForState(env, 'Ready');
      expect(
        ready.resources.every((resource) => resource.health === 'Healthy' && !resource.modified),
      ).toBe(true);
    }
  });

  it('shows a hand edit as Modified with a diff naming the field, and leaves it there by default', async () => {
    const dev = clusters.get('dev')!.test;
    const apps = kubeConfigFor(dev).makeApiClient(k8s.AppsV1Api);
    await apps.patchNamespacedDeployment(
      {
        name: 'frontend',
        namespace: NAMESPACE,
        body: { spec: { replicas: 5 } },
        fieldManager: 'kubectl-edit',
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    // The deployment controller would catch up with the new generation; envtest has none.
    await markAllAvailable('dev');
    const modified = await waitForState('dev', 'Modified');
    const frontend = modified.resources.find(
      (resource) => resource.kind === 'Deployment' && resource.name === 'frontend',
    )!;
    expect(frontend.modified).toBe(true);
    expect(frontend.driftPaths).toContain('spec.replicas');
    expect(frontend.diff).toMatch(/replicas: 1/);
    expect(frontend.diff).toMatch(/replicas: 5/);
    // correctDrift is off: the edit stays.
    const live = await apps.readNamespacedDeployment({ name: 'frontend', namespace: NAMESPACE });
    expect(live.spec?.replicas).toBe(5);
  });

  it('with correctDrift: true, puts the field back to the value in Git', async () => {
    const options = readFolder(`${FLEET_EXAMPLES}/${EXAMPLE}`, '')['fleet.yaml']!;
    await repo.commit(
      { [`${EXAMPLE}/fleet.yaml`]: `${options}\ncorrectDrift:\n  enabled: true\n` },
      { message: 'correct drift' },
    );
    await platform.api(
      `/api/v1/gitrepos/${(await json<{ items: { id: string }[] }>(await platform.api('/api/v1/gitrepos'))).items[0]!.id}/sync`,
      { method: 'POST' },
    );
    const dev = clusters.get('dev')!.test;
    const apps = kubeConfigFor(dev).makeApiClient(k8s.AppsV1Api);
    await vi.waitFor(
      async () => {
        const live = await apps.readNamespacedDeployment({
          name: 'frontend',
          namespace: NAMESPACE,
        });
        expect(live.spec?.replicas).toBe(1);
      },
      { timeout: 60_000, interval: 500 },
    );
    // And a new hand edit is corrected by the reconcile loop itself.
    await markAllAvailable('dev');
    await waitForState('dev', 'Ready');
    await apps.patchNamespacedDeployment(
      {
        name: 'frontend',
        namespace: NAMESPACE,
        body: { spec: { replicas: 7 } },
        fieldManager: 'kubectl-edit',
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await vi.waitFor(
      async () => {
        const live = await apps.readNamespacedDeployment({
          name: 'frontend',
          namespace: NAMESPACE,
        });
        expect(live.spec?.replicas).toBe(1);
      },
      { timeout: 60_000, interval: 500 },
    );
    // The event is written once the apply's result is recorded, moments after the field is back.
    await vi.waitFor(
      async () => {
        const events = await json<{ items: { type: string }[] }>(
          await platform.api('/api/v1/events?limit=200'),
        );
        expect(events.items.map((event) => event.type)).toContain('DriftCorrected');
      },
      { timeout: 30_000, interval: 500 },
    );
  });

  it('prunes from every cluster an object whose file a commit deletes', async () => {
    await repo.commit(
      {},
      {
        message: 'drop the redis-master service',
        remove: [`${EXAMPLE}/redis-master-service.yaml`],
      },
    );
    const gitRepoId = (
      await json<{ items: { id: string }[] }>(await platform.api('/api/v1/gitrepos'))
    ).items[0]!.id;
    await platform.api(`/api/v1/gitrepos/${gitRepoId}/sync`, { method: 'POST' });
    for (const env of ENVS) {
      await vi.waitFor(
        async () =>
          expect(
            await objectExists(clusters.get(env)!.test, {
              apiVersion: 'v1',
              kind: 'Service',
              namespace: NAMESPACE,
              name: 'redis-master',
            }),
          ).toBe(false),
        { timeout: 60_000, interval: 500 },
      );
      expect(
        await objectExists(clusters.get(env)!.test, {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          namespace: NAMESPACE,
          name: 'redis-master',
        }),
      ).toBe(true);
    }
  });

  it('removes the bundle from a cluster relabelled out of the selector, and re-deploys it when relabelled back', async () => {
    const test = clusters.get('test')!;
    const ref = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: NAMESPACE,
      name: 'frontend',
    };
    await json(
      await platform.api(`/api/v1/clusters/${test.api.id}`, {
        method: 'PATCH',
        json: { labels: { env: 'staging', region: 'eu' } },
      }),
    );
    await vi.waitFor(async () => expect(await objectExists(test.test, ref)).toBe(false), {
      timeout: 60_000,
      interval: 500,
    });
    await vi.waitFor(
      async () =>
        expect((await deployments()).map((deployment) => deployment.clusterName)).not.toContain(
          'test',
        ),
      { timeout: 30_000 },
    );
    await json(
      await platform.api(`/api/v1/clusters/${test.api.id}`, {
        method: 'PATCH',
        json: { labels: { env: 'test', region: 'eu' } },
      }),
    );
    await vi.waitFor(async () => expect(await objectExists(test.test, ref)).toBe(true), {
      timeout: 60_000,
      interval: 500,
    });
    await markAllAvailable('test');
    await waitForState('test', 'Ready');
  });

  it('makes zero mutating requests to the clusters when an unchanged commit is fetched again', async () => {
    for (const env of ENVS) await markAllAvailable(env);
    for (const env of ENVS) await waitForState(env, 'Ready');
    // Let in-flight monitors settle, then count.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const before = ENVS.map((env) => clusters.get(env)!.test.countMutatingRequests());
    const requestsBefore = clusters.get('dev')!.test.mutatingRequests().length;
    const gitRepoId = (
      await json<{ items: { id: string }[] }>(await platform.api('/api/v1/gitrepos'))
    ).items[0]!.id;
    const fetchedBefore = (
      await json<{ fetchedAt: string }>(await platform.api(`/api/v1/gitrepos/${gitRepoId}`))
    ).fetchedAt;
    expect(
      (await platform.api(`/api/v1/gitrepos/${gitRepoId}/sync`, { method: 'POST' })).status,
    ).toBe(202);
    await vi.waitFor(
      async () => {
        const { fetchedAt } = await json<{ fetchedAt: string }>(
          await platform.api(`/api/v1/gitrepos/${gitRepoId}`),
        );
        expect(fetchedAt > fetchedBefore).toBe(true);
      },
      { timeout: 30_000, interval: 300 },
    );
    // Several monitor intervals pass (2 s each) with reads only.
    await new Promise((resolve) => setTimeout(resolve, 6000));
    const after = ENVS.map((env) => clusters.get(env)!.test.countMutatingRequests());
    expect(
      after,
      JSON.stringify(clusters.get('dev')!.test.mutatingRequests().slice(requestsBefore)),
    ).toEqual(before);
    for (const env of ENVS) expect((await deploymentOn(env)).state).toBe('Ready');
  });
});

import * as k8s from '@kubernetes/client-node';
import {
  createBareRepo,
  kubeConfigFor,
  startPlatform,
  startTestClusters,
  type BareRepo,
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

interface ApiDeployment {
  bundleName: string;
  state: string;
  message: string;
}

const NAMESPACE = 'default';

const PLAIN = 'defaultNamespace: default\n';

const configMap = (name: string, value: string, namespace = NAMESPACE) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\ndata:\n  owner: ${value}\n`;

/**
 * Forced server-side apply takes over any object of the same name; Flotilla must not do that
 * to an object it did not create (Helm's, and so Fleet's, ownership check), unless the bundle
 * says takeOwnership. And keepResources leaves a bundle's objects behind when it stops
 * deploying there.
 */
describe('ownership: no silent adoption, takeOwnership, keepResources', () => {
  let envtest: TestClusters;
  let platform: Platform;
  let repo: BareRepo;
  let cluster: ApiCluster;
  let core: k8s.CoreV1Api;

  const deploymentOf = async (folder: string) => {
    const { items } = await json<{ items: ApiDeployment[] }>(
      await platform.api(`/api/v1/clusters/${cluster.id}/deployments`),
    );
    return items.find((item) => item.bundleName.endsWith(folder));
  };
  const waitForState = (folder: string, state: string) =>
    vi.waitFor(
      async () => {
        const deployment = await deploymentOf(folder);
        if (deployment?.state !== state)
          throw new Error(`${folder} is ${deployment?.state}: ${deployment?.message}`);
        return deployment;
      },
      { timeout: 90_000, interval: 300 },
    );
  const sync = async () => {
    const { items } = await json<{ items: { id: string }[] }>(
      await platform.api('/api/v1/gitrepos'),
    );
    await platform.api(`/api/v1/gitrepos/${items[0]!.id}/sync`, { method: 'POST' });
  };
  const neighbourReady = () => waitForState('neighbour', 'Ready');
  const liveConfigMap = (name: string) =>
    core.readNamespacedConfigMap({ name, namespace: NAMESPACE });

  beforeAll(async () => {
    [envtest, platform] = await Promise.all([
      startTestClusters(1, { names: ['solo'] }),
      startPlatform({
        env: {
          FLOTILLA_MONITOR_INTERVAL_SECONDS: '2',
          FLOTILLA_PROBE_INTERVAL_SECONDS: '2',
          FLOTILLA_TICK_SECONDS: '1',
          FLOTILLA_SWEEP_INTERVAL_SECONDS: '2',
        },
      }),
    ]);
    const test = envtest.clusters[0]!;
    core = kubeConfigFor(test).makeApiClient(k8s.CoreV1Api);
    // Made by hand before Flotilla knows the cluster: what `kubectl create` leaves.
    for (const name of ['handmade', 'adoptable'])
      await core.createNamespacedConfigMap({
        namespace: NAMESPACE,
        body: { metadata: { name }, data: { owner: 'by-hand' } },
      });
    // Every folder under bundles/ with an options file is a bundle, so later commits add some.
    repo = await createBareRepo({
      'bundles/refused/fleet.yaml': PLAIN,
      'bundles/refused/cm.yaml': configMap('handmade', 'git'),
      'bundles/refused/other.yaml': configMap('refused-other', 'git'),
      'bundles/adopted/fleet.yaml': 'takeOwnership: true\n',
      'bundles/adopted/cm.yaml': configMap('adoptable', 'git'),
      'bundles/kept/fleet.yaml': 'keepResources: true\n',
      'bundles/kept/cm.yaml': configMap('kept', 'git'),
      'bundles/first/fleet.yaml': PLAIN,
      'bundles/first/cm.yaml': configMap('contested', 'first'),
      'bundles/neighbour/fleet.yaml': PLAIN,
      'bundles/neighbour/cm.yaml': configMap('neighbour', 'git', 'shared-ns'),
    });
    cluster = await registerCluster(platform, test, { env: 'test' });
    await waitForConnectivity(platform, cluster.id, 'Online');
    await json(
      await platform.api('/api/v1/gitrepos', {
        json: {
          name: 'owned',
          url: repo.url,
          paths: ['bundles'],
          targets: [{ clusterSelector: 'env=test' }],
        },
      }),
    );
  });

  afterAll(async () => {
    if (process.env.FLOTILLA_TEST_DEBUG)
      console.log(`WORKER\n${platform?.workerLog().slice(-12000)}`);
    await platform?.stop();
    await envtest?.stopAll();
    await repo?.remove();
  });

  it('refuses a bundle whose ConfigMap exists without Flotilla labels, naming it, and applies nothing', async () => {
    const refused = await waitForState('refused', 'ErrApplied');
    expect(refused.message).toContain(
      'ConfigMap default/handmade exists and is not managed by Flotilla; set takeOwnership: true to adopt it',
    );
    const live = await liveConfigMap('handmade');
    expect(live.data).toEqual({ owner: 'by-hand' });
    expect(live.metadata?.labels ?? {}).toEqual({});
    expect(live.metadata?.managedFields?.map((entry) => entry.manager)).not.toContain('flotilla');
    // The whole deployment is held, as Helm fails the whole release.
    expect(
      await objectExists(envtest.clusters[0]!, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace: NAMESPACE,
        name: 'refused-other',
      }),
    ).toBe(false);
  });

  it('with takeOwnership: true, adopts the hand-made ConfigMap: Ready, data from Git', async () => {
    await waitForState('adopted', 'Ready');
    const live = await liveConfigMap('adoptable');
    expect(live.data).toEqual({ owner: 'git' });
    expect(live.metadata?.labels?.['flotilla.io/managed-by']).toBe('flotilla');
  });

  it("refuses another bundle's ConfigMap, naming both bundles, and leaves it to its owner", async () => {
    const first = await waitForState('first', 'Ready');
    await neighbourReady();
    await repo.commit(
      {
        'bundles/second/fleet.yaml': PLAIN,
        'bundles/second/cm.yaml': configMap('contested', 'second'),
        // A Namespace Flotilla created for the neighbour's ConfigMap: no person made it, so a
        // bundle that lists it takes it without a conflict.
        'bundles/claims-ns/fleet.yaml': PLAIN,
        'bundles/claims-ns/ns.yaml':
          'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shared-ns\n',
      },
      { message: 'a second bundle wants the same ConfigMap' },
    );
    await sync();
    const second = await waitForState('second', 'ErrApplied');
    expect(second.message).toContain(
      `ConfigMap default/contested is managed by Flotilla bundle "${first.bundleName}", not by "${second.bundleName}"; set takeOwnership: true to adopt it`,
    );
    expect((await liveConfigMap('contested')).data).toEqual({ owner: 'first' });
    await waitForState('claims-ns', 'Ready');
    const namespace = await core.readNamespace({ name: 'shared-ns' });
    expect(namespace.metadata?.labels?.['flotilla.io/managed-by']).toBe('flotilla');
  });

  it('with keepResources: true, leaves the objects when the cluster stops being a target', async () => {
    await waitForState('kept', 'Ready');
    expect((await liveConfigMap('kept')).data).toEqual({ owner: 'git' });
    await repo.commit(
      {
        'bundles/kept/fleet.yaml':
          'keepResources: true\ntargetCustomizations:\n  - clusterSelector: { matchLabels: { env: test } }\n    doNotDeploy: true\n',
      },
      { message: 'stop deploying kept here' },
    );
    await sync();
    await vi.waitFor(
      async () => {
        expect(await deploymentOf('kept')).toBeUndefined();
      },
      { timeout: 90_000, interval: 300 },
    );
    // An untargeted deployment is removed only after its prune (deploy-deployment), so once it
    // is gone a prune, were there one, has already run.
    const live = await liveConfigMap('kept');
    expect(live.data).toEqual({ owner: 'git' });
    // Its ownership labels stay (as Fleet leaves its annotations): targeted again, the same
    // bundle takes it back without a conflict; another bundle would need takeOwnership.
    expect(live.metadata?.labels?.['flotilla.io/managed-by']).toBe('flotilla');
  });
});

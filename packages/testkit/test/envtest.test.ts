import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestClusters, type TestClusters } from '../src/envtest.ts';
import { kubeConfigFor, markDeploymentAvailable } from '../src/kube-client.ts';

describe('envtest harness: two real kube-apiservers on one etcd', () => {
  let envtest: TestClusters;

  beforeAll(async () => {
    envtest = await startTestClusters(2);
  });

  afterAll(async () => {
    await envtest?.stopAll();
  });

  it('serves v1.20.2, verified against the CA it hands back', async () => {
    for (const cluster of envtest.clusters) {
      const version = await kubeConfigFor(cluster).makeApiClient(k8s.VersionApi).getCode();
      expect(version.gitVersion).toBe('v1.20.2');
    }
  });

  it('server-side applies a ConfigMap to both and reads each back; the clusters are separate', async () => {
    const [first, second] = envtest.clusters;
    if (!first || !second) throw new Error('two clusters expected');
    for (const [cluster, value] of [
      [first, 'one'],
      [second, 'two'],
    ] as const) {
      const objects = k8s.KubernetesObjectApi.makeApiClient(kubeConfigFor(cluster));
      await objects.patch(
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'hello', namespace: 'default' },
          data: { value },
        },
        undefined,
        undefined,
        'flotilla-test',
        true,
        k8s.PatchStrategy.ServerSideApply,
      );
    }
    for (const [cluster, value] of [
      [first, 'one'],
      [second, 'two'],
    ] as const) {
      const core = kubeConfigFor(cluster).makeApiClient(k8s.CoreV1Api);
      const configMap = await core.readNamespacedConfigMap({ name: 'hello', namespace: 'default' });
      expect(configMap.data).toEqual({ value });
      expect(configMap.metadata?.managedFields?.[0]?.manager).toBe('flotilla-test');
    }
    expect(first.countMutatingRequests()).toBeGreaterThanOrEqual(1);
  });

  it('marks a Deployment Available through its status subresource', async () => {
    const [cluster] = envtest.clusters;
    if (!cluster) throw new Error('a cluster expected');
    const apps = kubeConfigFor(cluster).makeApiClient(k8s.AppsV1Api);
    await apps.createNamespacedDeployment({
      namespace: 'default',
      body: {
        metadata: { name: 'web' },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'web', image: 'nginx' }] },
          },
        },
      },
    });
    await markDeploymentAvailable(cluster, 'default', 'web');
    const deployment = await apps.readNamespacedDeployment({ name: 'web', namespace: 'default' });
    expect(deployment.status?.availableReplicas).toBe(2);
    expect(deployment.status?.conditions?.find((c) => c.type === 'Available')?.status).toBe('True');
  });

  it('a stopped API server refuses connections, and serves the same data once started again', async () => {
    const [cluster] = envtest.clusters;
    if (!cluster) throw new Error('a cluster expected');
    await cluster.stop();
    const core = kubeConfigFor(cluster).makeApiClient(k8s.CoreV1Api);
    await expect(
      core.readNamespacedConfigMap({ name: 'hello', namespace: 'default' }),
    ).rejects.toThrow(/ECONNREFUSED/);
    await cluster.start();
    const configMap = await core.readNamespacedConfigMap({ name: 'hello', namespace: 'default' });
    expect(configMap.data).toEqual({ value: 'one' });
  });
});

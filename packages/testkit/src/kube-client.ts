import * as k8s from '@kubernetes/client-node';
import type { TestCluster } from './envtest.ts';

/** A client-node KubeConfig for a test cluster, verifying TLS against its CA. */
export function kubeConfigFor(
  cluster: Pick<TestCluster, 'name' | 'url' | 'caData' | 'token'>,
): k8s.KubeConfig {
  const kubeConfig = new k8s.KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [
      { name: cluster.name, server: cluster.url, caData: cluster.caData, skipTLSVerify: false },
    ],
    users: [{ name: 'admin', token: cluster.token }],
    contexts: [{ name: cluster.name, cluster: cluster.name, user: 'admin' }],
    currentContext: cluster.name,
  });
  return kubeConfig;
}

/**
 * Envtest has no controller-manager: nothing makes a Deployment Available. Tests that need
 * one Available write its status subresource the way the deployment controller would.
 */
export async function markDeploymentAvailable(
  cluster: Pick<TestCluster, 'name' | 'url' | 'caData' | 'token'>,
  namespace: string,
  name: string,
): Promise<void> {
  const apps = kubeConfigFor(cluster).makeApiClient(k8s.AppsV1Api);
  const deployment = await apps.readNamespacedDeployment({ name, namespace });
  const replicas = deployment.spec?.replicas ?? 1;
  const now = new Date();
  deployment.status = {
    observedGeneration: deployment.metadata?.generation ?? 1,
    replicas,
    updatedReplicas: replicas,
    readyReplicas: replicas,
    availableReplicas: replicas,
    conditions: [
      {
        type: 'Available',
        status: 'True',
        reason: 'MinimumReplicasAvailable',
        message: 'Deployment has minimum availability.',
        lastTransitionTime: now,
        lastUpdateTime: now,
      },
      {
        type: 'Progressing',
        status: 'True',
        reason: 'NewReplicaSetAvailable',
        message: `ReplicaSet "${name}" has successfully progressed.`,
        lastTransitionTime: now,
        lastUpdateTime: now,
      },
    ],
  };
  await apps.replaceNamespacedDeploymentStatus({ name, namespace, body: deployment });
}

/** Envtest has no load-balancer controller: give a Service of type LoadBalancer an address. */
export async function markServiceLoadBalanced(
  cluster: Pick<TestCluster, 'name' | 'url' | 'caData' | 'token'>,
  namespace: string,
  name: string,
  ip = '192.0.2.10',
): Promise<void> {
  const core = kubeConfigFor(cluster).makeApiClient(k8s.CoreV1Api);
  const service = await core.readNamespacedService({ name, namespace });
  service.status = { loadBalancer: { ingress: [{ ip }] } };
  await core.replaceNamespacedServiceStatus({ name, namespace, body: service });
}

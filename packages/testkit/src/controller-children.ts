import * as k8s from '@kubernetes/client-node';
import type { TestCluster } from './envtest.ts';
import { kubeConfigFor } from './kube-client.ts';

/**
 * What kube-controller-manager would make of a Deployment, which envtest does not run: a
 * ReplicaSet owned by it and a running, ready Pod owned by the ReplicaSet (ownerReferences by
 * uid, as the controllers set them), and a Warning event about the Pod. For the resource tree.
 */
export async function addControllerChildren(
  cluster: Pick<TestCluster, 'name' | 'url' | 'caData' | 'token'>,
  { namespace, deployment }: { namespace: string; deployment: string },
): Promise<{ replicaSet: string; pod: string; eventReason: string }> {
  const kubeConfig = kubeConfigFor(cluster);
  const apps = kubeConfig.makeApiClient(k8s.AppsV1Api);
  const core = kubeConfig.makeApiClient(k8s.CoreV1Api);
  const owner = await apps.readNamespacedDeployment({ name: deployment, namespace });
  const labels = owner.spec?.selector.matchLabels ?? {};
  const template = owner.spec?.template.spec ?? { containers: [{ name: 'main', image: 'x' }] };
  const ownerRef = (object: { apiVersion: string; kind: string; name: string; uid: string }) => [
    { ...object, controller: true, blockOwnerDeletion: true },
  ];
  const replicaSetName = `${deployment}-7d4b9c`;
  const replicaSet = await apps.createNamespacedReplicaSet({
    namespace,
    body: {
      metadata: {
        name: replicaSetName,
        labels,
        ownerReferences: ownerRef({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: deployment,
          uid: owner.metadata!.uid!,
        }),
      },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: template },
      },
    },
  });
  replicaSet.status = {
    replicas: 1,
    readyReplicas: 1,
    availableReplicas: 1,
    observedGeneration: 1,
  };
  await apps.replaceNamespacedReplicaSetStatus({
    name: replicaSetName,
    namespace,
    body: replicaSet,
  });
  const podName = `${replicaSetName}-x2k9q`;
  const pod = await core.createNamespacedPod({
    namespace,
    body: {
      metadata: {
        name: podName,
        labels,
        ownerReferences: ownerRef({
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: replicaSetName,
          uid: replicaSet.metadata!.uid!,
        }),
      },
      spec: template,
    },
  });
  const now = new Date();
  pod.status = {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }],
    containerStatuses: (template.containers ?? []).map((container) => ({
      name: container.name,
      image: container.image ?? '',
      imageID: '',
      ready: true,
      restartCount: 0,
      started: true,
      state: { running: { startedAt: now } },
    })),
  };
  await core.replaceNamespacedPodStatus({ name: podName, namespace, body: pod });
  const eventReason = 'BackOff';
  await core.createNamespacedEvent({
    namespace,
    body: {
      metadata: { name: `${podName}.event1`, namespace },
      involvedObject: {
        apiVersion: 'v1',
        kind: 'Pod',
        name: podName,
        namespace,
        uid: pod.metadata!.uid!,
      },
      reason: eventReason,
      message: 'Back-off pulling image (made by the test: no kubelet here)',
      type: 'Warning',
      count: 2,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component: 'kubelet' },
    },
  });
  return { replicaSet: replicaSetName, pod: podName, eventReason };
}

import { markDeploymentAvailable, startTestClusters } from '@flotilla/testkit';
import { defineKubeContract } from './contract/define-kube-contract.ts';

defineKubeContract('Kubernetes API contract: real kube-apiserver v1.20 (envtest)', async () => {
  const envtest = await startTestClusters(1, { isAudited: false });
  return {
    clusters: envtest.clusters,
    markAvailable: (cluster, namespace, name) => markDeploymentAvailable(cluster, namespace, name),
    teardown: () => envtest.stopAll(),
  };
});

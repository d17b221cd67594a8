/**
 * How many server-side applies per second one ClusterClient gets through against one envtest
 * kube-apiserver, by concurrency. Prints figures; asserts nothing.
 *
 *   KUBEBUILDER_ASSETS=/work/shared/envtest/bin npx tsx packages/kube/bench/ssa-throughput.ts [objects]
 */
import { startTestClusters } from '@flotilla/testkit';
import {
  applyObjects,
  createClusterClient,
  ensureNamespaces,
  FIELD_MANAGER,
  type KubeObject,
} from '../src/index.ts';

const count = Number(process.argv[2] ?? 400);
const envtest = await startTestClusters(1, { isAudited: false });
try {
  const [cluster] = envtest.clusters;
  if (!cluster) throw new Error('a cluster expected');
  const connection = {
    apiServerUrl: cluster.url,
    caData: cluster.caData,
    insecureSkipTlsVerify: false,
    credentials: { kind: 'token' as const, token: cluster.token },
  };
  console.log(`${count} ConfigMaps per run, one kube-apiserver v1.20 (envtest), one ClusterClient`);
  console.log('concurrency | create (SSA/s) | unchanged re-apply (SSA/s) | changed (SSA/s)');
  for (const concurrency of [1, 4, 8, 16]) {
    const client = createClusterClient(connection, { concurrency });
    const namespace = `bench-${concurrency}`;
    await ensureNamespaces(client, [namespace]);
    const objects = (value: string): KubeObject[] =>
      Array.from({ length: count }, (_, index) => ({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `cm-${index}`, namespace },
        data: { value, padding: 'x'.repeat(512) },
      }));
    const rate = async (batch: KubeObject[]) => {
      const started = performance.now();
      const result = await applyObjects(client, batch, {
        fieldManager: FIELD_MANAGER,
        force: true,
      });
      if (result.failed.length > 0) throw new Error(result.failed[0]?.reason);
      return Math.round(batch.length / ((performance.now() - started) / 1000));
    };
    const created = await rate(objects('one'));
    const unchanged = await rate(objects('one'));
    const changed = await rate(objects('two'));
    console.log(
      `${String(concurrency).padStart(11)} | ${String(created).padStart(14)} | ${String(unchanged).padStart(26)} | ${String(changed).padStart(14)}`,
    );
    client.close();
  }
} finally {
  await envtest.stopAll();
}

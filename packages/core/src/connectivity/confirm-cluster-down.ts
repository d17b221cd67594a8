import type { Cluster } from '@flotilla/db';
import { probeCluster, type ClusterClient } from '@flotilla/kube';
import type { WorkerContext } from '../worker-context.ts';
import { recordProbeResult } from './record-probe-result.ts';
import { isClusterFailure } from './reachability-policy.ts';

/**
 * After a deploy or monitor pass in which nothing got through: probes the cluster, records a
 * failed probe as the scheduled probe would (the policy then decides when it is Offline), and
 * says whether the cluster itself is the problem, so the caller retries later instead of
 * blaming its objects.
 */
export async function confirmClusterDown({
  ctx,
  cluster,
  client,
}: {
  ctx: Pick<WorkerContext, 'db' | 'redis' | 'logger' | 'now' | 'queues' | 'settings'>;
  cluster: Cluster;
  client: ClusterClient;
}): Promise<boolean> {
  const result = await probeCluster(client);
  if (result.ok) return false;
  await recordProbeResult({ ctx, cluster, result });
  return isClusterFailure(result);
}

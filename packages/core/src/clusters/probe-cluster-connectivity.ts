import { probeCluster, type ProbeResult } from '@flotilla/kube';
import { clusterClientFor } from '../connectivity/cluster-client.ts';
import { isWorkerDriven } from '../connectivity/reachability-policy.ts';
import { recordProbeResult } from '../connectivity/record-probe-result.ts';
import type { WorkerContext } from '../worker-context.ts';

/**
 * GET /version on a cluster and record what it says: Online with its version, or after a few
 * failures Offline with the reason, probing again with capped, jittered backoff. A cluster
 * that goes Offline takes its deployments with it (they show Offline, never a stale Ready);
 * one that comes back gets a monitor pass at once.
 */
export async function probeClusterConnectivity({
  ctx,
  clusterId,
}: {
  ctx: WorkerContext;
  clusterId: string;
}): Promise<ProbeResult | null> {
  const cluster = await ctx.db.cluster.findUnique({ where: { id: clusterId } });
  // Agents are not probed: their heartbeats say whether they are there.
  if (!cluster || !isWorkerDriven(cluster)) return null;
  let result: ProbeResult;
  try {
    result = await probeCluster(clusterClientFor(ctx, cluster));
  } catch (error) {
    // Opening the credentials or building the client failed: say so without details.
    ctx.logger.warn({ clusterId, err: (error as Error).name }, 'probe could not start');
    result = { ok: false, reason: 'Error', message: 'could not prepare a client for this cluster' };
  }
  await recordProbeResult({ ctx, cluster, result });
  return result;
}

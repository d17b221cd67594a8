import { readAppliedDeploymentsOfCluster, readClusterRow } from '@flotilla/db';
import type { WorkerContext } from '../worker-context.ts';
import { clusterClientFor } from '../connectivity/cluster-client.ts';
import { confirmClusterDown } from '../connectivity/confirm-cluster-down.ts';
import { isClusterReachable, isWorkerDriven } from '../connectivity/reachability-policy.ts';
import { recordActionEvent } from '../events/record-events.ts';
import { noteClusterSeen } from './cluster-seen.ts';
import { inspectDeployments, type InspectOutcome } from './inspect-deployments.ts';

/**
 * The periodic look at one cluster: health and drift of every deployment on it, in one pass.
 * Deployments found Modified whose bundle asks for correctDrift get a forced re-apply; by
 * default drift is only shown.
 */
export async function monitorCluster({
  ctx,
  clusterId,
}: {
  ctx: WorkerContext;
  clusterId: string;
}): Promise<InspectOutcome | null> {
  const cluster = await readClusterRow(ctx.db, clusterId);
  // An agent watches its own cluster and reports; the worker never reaches it.
  if (!cluster || !isWorkerDriven(cluster) || !isClusterReachable(cluster.connectivity))
    return null;
  const deployments = await readAppliedDeploymentsOfCluster(ctx.db, clusterId);
  if (deployments.length === 0) return null;
  const client = clusterClientFor(ctx, cluster);
  const outcome = await inspectDeployments({ ctx, cluster, client, deployments });
  if (outcome.listErrors === 0 && cluster.connectivity === 'Online')
    await noteClusterSeen(ctx)(cluster.id);
  if (outcome.listErrors > 0 && outcome.listErrors >= outcome.checked) {
    // Nothing could be listed: is the cluster still there?
    await confirmClusterDown({ ctx, cluster, client });
  }
  if (outcome.toCorrect.length > 0) {
    const byId = new Map(deployments.map((deployment) => [deployment.id, deployment]));
    const corrections = outcome.toCorrect.flatMap((id) => {
      const deployment = byId.get(id);
      return deployment?.appliedHash
        ? [{ deploymentId: id, desiredHash: deployment.appliedHash, isCorrection: true }]
        : [];
    });
    await ctx.queues.enqueueDeploys(corrections);
    for (const correction of corrections) {
      const deployment = byId.get(correction.deploymentId)!;
      await recordActionEvent({
        ctx,
        event: {
          workspaceId: deployment.workspaceId,
          type: 'DriftDetected',
          clusterId,
          bundleId: deployment.bundleId,
          deploymentId: deployment.id,
          message: `drift on ${cluster.name}: correcting it (correctDrift is on)`,
        },
      });
    }
  }
  return outcome;
}

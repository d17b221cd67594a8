import type { Cluster, ConnectivityState } from '@flotilla/db';
import type { ProbeResult } from '@flotilla/kube';
import type { CoreContext } from '../context.ts';
import { publishUpdates, recordActionEvent } from '../events/record-events.ts';
import { jittered, type WorkerContext } from '../worker-context.ts';
import { markClusterDeploymentsOffline } from './mark-deployments-offline.ts';
import { connectivityAfterFailure, probeBackoffMs } from './reachability-policy.ts';
import { requeueClusterWork } from './requeue-cluster-work.ts';

/**
 * Records what a probe (or a failed deploy or monitor pass that probed) found: Online with the
 * version, or after the policy's failures Offline with the reason, probing again with capped,
 * jittered backoff. A cluster that goes Offline takes its deployments with it (they show
 * Offline, never a stale Ready); one that comes back gets a monitor pass at once, and the
 * deploys and prunes skipped while it was away are queued again.
 */
export async function recordProbeResult({
  ctx,
  cluster,
  result,
}: {
  ctx: Pick<WorkerContext, 'db' | 'redis' | 'logger' | 'now' | 'queues' | 'settings'>;
  cluster: Cluster;
  result: ProbeResult;
}): Promise<ConnectivityState> {
  const now = ctx.now();
  if (result.ok) {
    await ctx.db.cluster.update({
      where: { id: cluster.id },
      data: {
        connectivity: 'Online',
        lastSeenAt: now,
        kubernetesVersion: result.kubernetesVersion,
        connectivityMessage: '',
        probeFailures: 0,
        nextProbeAt: new Date(now.getTime() + jittered(ctx.settings.probeIntervalMs)),
      },
    });
    if (cluster.connectivity !== 'Online') {
      await recordConnectivityTransition(
        ctx,
        cluster,
        'Online',
        `cluster ${cluster.name} is online (${result.kubernetesVersion})`,
      );
      // Re-derive every deployment's state now instead of at the next monitor interval.
      await ctx.queues.enqueueMonitor({ clusterId: cluster.id });
      // Deploy jobs that ran while it was Offline were skipped: queue what it still owes.
      if (cluster.connectivity === 'Offline')
        await requeueClusterWork({ ctx, clusterId: cluster.id });
    }
    return 'Online';
  }
  const failures = cluster.probeFailures + 1;
  const state = connectivityAfterFailure({
    current: cluster.connectivity,
    failures,
    reason: result.reason,
    offlineAfterFailures: ctx.settings.offlineAfterFailures,
  });
  const isOffline = state === 'Offline';
  const backoff = probeBackoffMs(failures, ctx.settings.probeBackoffCapMs);
  await ctx.db.cluster.update({
    where: { id: cluster.id },
    data: {
      connectivity: state,
      connectivityMessage: result.message,
      probeFailures: failures,
      nextProbeAt: new Date(now.getTime() + jittered(backoff)),
    },
  });
  if (isOffline && cluster.connectivity !== 'Offline') {
    await recordConnectivityTransition(
      ctx,
      cluster,
      'Offline',
      `cluster ${cluster.name} is offline: ${result.message}`,
    );
    await markClusterDeploymentsOffline({ ctx, clusterId: cluster.id, message: result.message });
  }
  return state;
}

/** A connectivity change: logged, an event, and a live update for the dashboard. */
export async function recordConnectivityTransition(
  ctx: Pick<CoreContext, 'db' | 'redis' | 'logger' | 'now'>,
  cluster: Pick<Cluster, 'id' | 'name' | 'workspaceId'>,
  state: ConnectivityState,
  message: string,
) {
  ctx.logger.info({ cluster: cluster.name, clusterId: cluster.id, state }, 'connectivity changed');
  await recordActionEvent({
    ctx,
    event: {
      workspaceId: cluster.workspaceId,
      type: `Cluster${state}`,
      clusterId: cluster.id,
      message,
    },
  });
  await publishUpdates(ctx, cluster.workspaceId, [
    { type: 'cluster', clusterId: cluster.id, connectivity: state },
  ]);
}

import type { Cluster, ConnectivityState } from '@flotilla/db';
import { probeCluster, type ProbeResult } from '@flotilla/kube';
import type { CoreContext } from '../context.ts';
import { publishUpdates, recordActionEvent } from '../events/record-events.ts';
import { jittered, type WorkerContext } from '../worker-context.ts';
import { markClusterDeploymentsOffline } from '../deployments/mark-offline.ts';
import { credentialsVersion, openConnection } from './cluster-credentials.ts';

/** Failures that another probe will not fix: no point waiting before saying Offline. */
const DEFINITE_FAILURES = new Set(['CredentialsRejected', 'Forbidden', 'TlsError']);

export function clusterClientFor(
  ctx: Pick<WorkerContext, 'clusters' | 'secrets'>,
  cluster: Cluster,
) {
  return ctx.clusters.get(cluster.id, credentialsVersion(cluster), () =>
    openConnection(ctx.secrets, cluster),
  );
}

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
  if (!cluster) return null;
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
      await onTransition(
        ctx,
        cluster,
        'Online',
        `cluster ${cluster.name} is online (${result.kubernetesVersion})`,
      );
      // Re-derive every deployment's state now instead of at the next monitor interval.
      await ctx.queues.enqueueMonitor({ clusterId: cluster.id });
    }
    return 'Online';
  }
  const failures = cluster.probeFailures + 1;
  const isOffline =
    DEFINITE_FAILURES.has(result.reason) || failures >= ctx.settings.offlineAfterFailures;
  const state: ConnectivityState = isOffline ? 'Offline' : cluster.connectivity;
  const backoff = Math.min(ctx.settings.probeBackoffCapMs, 1000 * 2 ** Math.min(failures - 1, 20));
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
    await onTransition(
      ctx,
      cluster,
      'Offline',
      `cluster ${cluster.name} is offline: ${result.message}`,
    );
    await markClusterDeploymentsOffline({ ctx, clusterId: cluster.id, message: result.message });
  }
  return state;
}

async function onTransition(
  ctx: Pick<CoreContext, 'db' | 'redis' | 'logger' | 'now'>,
  cluster: Cluster,
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

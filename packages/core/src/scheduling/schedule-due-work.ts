import { markSilentAgentsOffline } from '../connectivity/mark-silent-agents-offline.ts';
import { MONITORED_CLUSTER_SQL, PROBED_CLUSTER_SQL } from '../connectivity/reachability-policy.ts';
import type { CoreContext } from '../context.ts';
import { replanAtWindowEdges } from '../sync-windows/replan-at-window-edges.ts';
import type { WorkerSettings } from '../worker-context.ts';

/**
 * The scheduler's heartbeat. Postgres says what is due (nextProbeAt, nextMonitorAt,
 * nextPollAt); each due row is claimed with one UPDATE ... RETURNING that pushes its time
 * forward, so several workers ticking at once never queue the same work twice, and a lost
 * queue loses nothing: the rows come due again.
 */
export async function scheduleDueWork({
  ctx,
  settings,
}: {
  ctx: Pick<CoreContext, 'db' | 'queues' | 'redis' | 'logger' | 'now'>;
  settings: Pick<WorkerSettings, 'probeIntervalMs' | 'monitorIntervalMs'>;
}): Promise<{
  probes: number;
  monitors: number;
  polls: number;
  silentAgents: number;
  windowEdges: number;
}> {
  const probeLeaseMs = Math.max(settings.probeIntervalMs, 10_000);
  const probes = await ctx.db.$queryRaw<{ id: string }[]>`
    UPDATE "Cluster" c SET "nextProbeAt" = now() + (${probeLeaseMs} * interval '1 millisecond')
    WHERE c."nextProbeAt" <= now() AND ${PROBED_CLUSTER_SQL}
    RETURNING c.id`;
  const monitors = await ctx.db.$queryRaw<{ id: string }[]>`
    UPDATE "Cluster" c SET "nextMonitorAt" = now() + (${settings.monitorIntervalMs} * (0.9 + random() * 0.2) * interval '1 millisecond')
    WHERE c."nextMonitorAt" <= now() AND ${MONITORED_CLUSTER_SQL}
      AND EXISTS (SELECT 1 FROM "BundleDeployment" d WHERE d."clusterId" = c.id)
    RETURNING c.id`;
  const polls = await ctx.db.$queryRaw<{ id: string }[]>`
    UPDATE "GitRepo" SET "nextPollAt" = now() + ("pollIntervalSeconds" * interval '1 second')
    WHERE "nextPollAt" <= now()
    RETURNING id`;
  await Promise.all([
    ctx.queues.enqueueProbes(probes.map(({ id }) => ({ clusterId: id }))),
    ctx.queues.enqueueMonitors(monitors.map(({ id }) => ({ clusterId: id }))),
    ctx.queues.enqueueGitSyncs(polls.map(({ id }) => ({ gitRepoId: id, reason: 'poll' as const }))),
  ]);
  // Agents are never probed: their heartbeats are the probe, and silence is the failure.
  const silentAgents = await markSilentAgentsOffline({ ctx });
  // Sync windows that opened or closed: their workspaces plan again (held changes go out).
  const windowEdges = await replanAtWindowEdges({ ctx });
  return {
    probes: probes.length,
    monitors: monitors.length,
    polls: polls.length,
    silentAgents,
    windowEdges,
  };
}

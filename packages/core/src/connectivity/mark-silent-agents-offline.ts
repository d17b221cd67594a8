import type { CoreContext } from '../context.ts';
import { markClusterDeploymentsOffline } from './mark-deployments-offline.ts';
import { AGENT_SILENCE_INTERVALS } from './reachability-policy.ts';
import { recordConnectivityTransition } from './record-probe-result.ts';

/** Assumed when an agent never said how often it beats (it always does; belt and braces). */
const DEFAULT_HEARTBEAT_SECONDS = 30;

/**
 * Agent clusters whose agent has been silent for longer than AGENT_SILENCE_INTERVALS of its own
 * heartbeat interval turn Offline, with the time it was last heard from, and their deployments
 * with them (never a stale Ready), exactly as a direct cluster that fails its probes. Claimed
 * with one UPDATE ... RETURNING, so schedulers ticking at once report each cluster once.
 */
export async function markSilentAgentsOffline({
  ctx,
}: {
  ctx: Pick<CoreContext, 'db' | 'redis' | 'logger' | 'now'>;
}): Promise<number> {
  const now = ctx.now().toISOString();
  const silent = await ctx.db.$queryRaw<
    { id: string; name: string; workspaceId: string; lastHeard: string }[]
  >`
    UPDATE "Cluster" c SET connectivity = 'Offline',
      "connectivityMessage" = 'no heartbeat from the agent since ' ||
        to_char(c."lastHeartbeatAt", 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
      "updatedAt" = now()
    WHERE c."connectionKind" = 'agent' AND c.connectivity <> 'Offline'
      AND c."lastHeartbeatAt" IS NOT NULL
      AND c."lastHeartbeatAt" < (${now}::timestamptz AT TIME ZONE 'UTC') -
        (${AGENT_SILENCE_INTERVALS} * COALESCE(c."agentHeartbeatSeconds", ${DEFAULT_HEARTBEAT_SECONDS}) * interval '1 second')
    RETURNING c.id, c.name, c."workspaceId",
      to_char(c."lastHeartbeatAt", 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "lastHeard"`;
  for (const cluster of silent) {
    const message = `no heartbeat from the agent since ${cluster.lastHeard}`;
    await recordConnectivityTransition(
      ctx,
      cluster,
      'Offline',
      `cluster ${cluster.name} is offline: ${message}`,
    );
    await markClusterDeploymentsOffline({ ctx, clusterId: cluster.id, message });
  }
  return silent.length;
}

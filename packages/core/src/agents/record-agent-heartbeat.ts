import type { CoreContext } from '../context.ts';
import { recordConnectivityTransition } from '../connectivity/record-probe-result.ts';
import type { AgentPrincipal } from './agent-principal.ts';
import type { AgentHeartbeatInput } from './schemas.ts';

/**
 * An agent says it is alive: the cluster is Online, last seen now, with the agent's version and
 * interval (silent for 3x that, it turns Offline). A cluster coming back from Offline or
 * Unknown asks the agent for a full state report at once (`reportRequested`), as a direct
 * cluster coming back gets a monitor pass.
 */
export async function recordAgentHeartbeat({
  ctx,
  agent,
  input,
}: {
  ctx: Pick<CoreContext, 'db' | 'redis' | 'logger' | 'now'>;
  agent: AgentPrincipal;
  input: AgentHeartbeatInput;
}): Promise<{ reportRequested: boolean }> {
  const now = ctx.now();
  const before = await ctx.db.cluster.findUnique({
    where: { id: agent.clusterId },
    select: { connectivity: true },
  });
  await ctx.db.cluster.update({
    where: { id: agent.clusterId },
    data: {
      connectivity: 'Online',
      connectivityMessage: '',
      lastSeenAt: now,
      lastHeartbeatAt: now,
      agentVersion: input.agentVersion,
      agentHeartbeatSeconds: input.heartbeatSeconds,
      ...(input.kubernetesVersion ? { kubernetesVersion: input.kubernetesVersion } : {}),
    },
  });
  await ctx.db.agentCredential.update({
    where: { id: agent.credentialId },
    data: { lastUsedAt: now },
  });
  const wasOnline = before?.connectivity === 'Online';
  if (!wasOnline) {
    await recordConnectivityTransition(
      ctx,
      { id: agent.clusterId, name: agent.clusterName, workspaceId: agent.workspaceId },
      'Online',
      `cluster ${agent.clusterName} is online: its agent ${input.agentVersion} reports in`,
    );
  }
  return { reportRequested: !wasOnline };
}

import { stateMessage } from '@flotilla/engine';
import type { CoreContext } from '../context.ts';
import { recordStateChanges } from '../events/record-events.ts';

/** Every deployment on an unreachable cluster shows Offline, with the reason. */
export async function markClusterDeploymentsOffline({
  ctx,
  clusterId,
  message,
}: {
  ctx: Pick<CoreContext, 'db' | 'redis' | 'logger' | 'now'>;
  clusterId: string;
  message: string;
}): Promise<void> {
  const deployments = await ctx.db.bundleDeployment.findMany({
    where: { clusterId, state: { not: 'Offline' }, isOrphaned: false },
    select: { id: true, workspaceId: true, bundleId: true, state: true },
  });
  if (deployments.length === 0) return;
  const now = ctx.now();
  const text = stateMessage({ state: 'Offline', detail: message });
  await ctx.db.bundleDeployment.updateMany({
    where: { id: { in: deployments.map((deployment) => deployment.id) } },
    data: { state: 'Offline', message: text, stateChangedAt: now },
  });
  await recordStateChanges({
    ctx,
    changes: deployments.map((deployment) => ({
      workspaceId: deployment.workspaceId,
      deploymentId: deployment.id,
      bundleId: deployment.bundleId,
      clusterId,
      fromState: deployment.state,
      toState: 'Offline' as const,
      message: text,
    })),
  });
}

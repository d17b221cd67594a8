import { forWorkspace } from '@flotilla/db';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';

/**
 * Forgets a cluster: its row and its BundleDeployments go (cascade), and its client is
 * dropped. The objects Flotilla applied stay on the cluster, running: unregistering is not an
 * instruction to delete workloads (as in Fleet and Argo CD), and an unreachable cluster could
 * not be cleaned anyway. To remove them, untarget the cluster first and wait for the prune.
 */
export async function deleteCluster({
  ctx,
  principal,
  origin,
  clusterId,
}: {
  ctx: CoreContext;
  principal: Principal;
  origin?: RequestOrigin;
  clusterId: string;
}): Promise<void> {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const cluster = await db.cluster.findUnique({ where: { id: clusterId } });
  if (!cluster) throw AppError.notFound('cluster');
  const deployments = await db.bundleDeployment.count({ where: { clusterId } });
  await db.cluster.delete({ where: { id: clusterId } });
  await recordAudit({
    ctx,
    record: {
      workspaceId: principal.workspaceId,
      actor: principal,
      ...(origin ? { origin } : {}),
      action: 'cluster.delete',
      objectType: 'cluster',
      objectId: clusterId,
      details: { name: cluster.name, deploymentsForgotten: deployments },
    },
  });
}

import { forWorkspace } from '@flotilla/db';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import { auditedWrite } from '../audit/audited-write.ts';
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
  await auditedWrite({
    ctx,
    principal,
    origin,
    write: (tx) => tx.cluster.delete({ where: { id: clusterId } }),
    audit: () => ({
      action: 'cluster.delete',
      objectType: 'cluster',
      objectId: clusterId,
      details: { name: cluster.name, deploymentsForgotten: deployments },
    }),
  });
}

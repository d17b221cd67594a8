import { forWorkspace } from '@flotilla/db';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { recordActionEvent } from '../events/record-events.ts';

/**
 * "Retry the failed apply": queues the deployment's desired revision again, at once, instead of
 * waiting for the sweeper. Only for a deployment whose last apply failed (ErrApplied); the
 * deploy job still honours sync windows and rollouts as for any apply.
 */
export async function retryDeploymentApply({
  ctx,
  principal,
  origin,
  deploymentId,
}: {
  ctx: CoreContext;
  principal: Principal;
  origin?: RequestOrigin;
  deploymentId: string;
}): Promise<{ deploymentId: string }> {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const row = await db.bundleDeployment.findUnique({
    where: { id: deploymentId },
    select: {
      id: true,
      state: true,
      desiredHash: true,
      clusterId: true,
      bundleId: true,
      bundle: { select: { name: true } },
      cluster: { select: { name: true, connectionKind: true } },
    },
  });
  if (!row) throw AppError.notFound('deployment');
  if (row.state !== 'ErrApplied')
    throw new AppError('Conflict', `its last apply did not fail (it is ${row.state})`);
  if (row.cluster.connectionKind === 'agent')
    throw new AppError(
      'Conflict',
      'this cluster is reached through its agent, which retries on its own',
    );
  if (!row.desiredHash) throw new AppError('Conflict', 'there is no revision to apply yet');
  await db.bundleDeployment.update({
    where: { id: deploymentId },
    data: { lastEnqueuedAt: ctx.now() },
  });
  // An id of its own: the failed job of the same revision may still be known to the queue, and
  // de-duplicating against it would drop the retry.
  await ctx.queues.enqueueDeploys([{ deploymentId, desiredHash: row.desiredHash }], {
    idTag: `retry${ctx.now().getTime().toString(36)}`,
  });
  await recordAudit({
    ctx,
    record: {
      workspaceId: principal.workspaceId,
      actor: principal,
      ...(origin ? { origin } : {}),
      action: 'deployment.retry',
      objectType: 'deployment',
      objectId: deploymentId,
      details: { bundle: row.bundle.name, cluster: row.cluster.name },
    },
  });
  await recordActionEvent({
    ctx,
    event: {
      workspaceId: principal.workspaceId,
      type: 'RetryRequested',
      clusterId: row.clusterId,
      bundleId: row.bundleId,
      deploymentId,
      message: `${principal.label} asked to retry the failed apply of ${row.bundle.name} on ${row.cluster.name}`,
    },
  });
  return { deploymentId };
}

import { forWorkspace } from '@flotilla/db';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import { auditRow } from '../audit/record-audit.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { recordActionEvents } from '../events/record-events.ts';

export type RetryOutcome = { deploymentId: string } | { deploymentId: string; error: AppError };

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
  origin?: RequestOrigin | undefined;
  deploymentId: string;
}): Promise<{ deploymentId: string }> {
  const [outcome] = await retryDeploymentsApply({
    ctx,
    principal,
    origin,
    deploymentIds: [deploymentId],
  });
  if (!outcome || 'error' in outcome) throw outcome?.error ?? AppError.notFound('deployment');
  return { deploymentId };
}

/**
 * The same for many deployments of the workspace at once: one read, one update, one enqueue,
 * one insert of audit rows and of events. Each is refused or accepted on its own, in order.
 */
export async function retryDeploymentsApply({
  ctx,
  principal,
  origin,
  deploymentIds,
}: {
  ctx: CoreContext;
  principal: Principal;
  origin?: RequestOrigin | undefined;
  deploymentIds: readonly string[];
}): Promise<RetryOutcome[]> {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const rows = await db.bundleDeployment.findMany({
    where: { id: { in: [...new Set(deploymentIds)] } },
    select: {
      id: true,
      state: true,
      desiredHash: true,
      appliedHash: true,
      lastError: true,
      clusterId: true,
      bundleId: true,
      bundle: { select: { name: true } },
      cluster: { select: { name: true, connectionKind: true } },
    },
  });
  const rowOf = new Map(rows.map((row) => [row.id, row]));
  const accepted = new Map<string, (typeof rows)[number] & { desiredHash: string }>();
  const outcomes = deploymentIds.map((deploymentId): RetryOutcome => {
    const row = rowOf.get(deploymentId);
    const refuse = (error: AppError) => ({ deploymentId, error });
    if (!row) return refuse(AppError.notFound('deployment'));
    if (row.state !== 'ErrApplied')
      return refuse(new AppError('Conflict', `its last apply did not fail (it is ${row.state})`));
    if (row.cluster.connectionKind === 'agent')
      return refuse(
        new AppError(
          'Conflict',
          'this cluster is reached through its agent, which retries on its own',
        ),
      );
    if (!row.desiredHash)
      return refuse(new AppError('Conflict', 'there is no revision to apply yet'));
    // ErrApplied from the bundle (its render or a dependency failed) while the cluster runs
    // the desired revision: the deploy job would find it applied and do nothing.
    if (row.desiredHash === row.appliedHash && !row.lastError)
      return refuse(
        new AppError(
          'Conflict',
          "nothing failed to apply: the cluster runs the desired revision, and the error is the bundle's (fix it in Git)",
        ),
      );
    accepted.set(row.id, { ...row, desiredHash: row.desiredHash });
    return { deploymentId };
  });
  if (accepted.size === 0) return outcomes;

  const retries = [...accepted.values()];
  await db.bundleDeployment.updateMany({
    where: { id: { in: retries.map((row) => row.id) } },
    data: { lastEnqueuedAt: ctx.now() },
  });
  // Ids of their own: the failed job of the same revision may still be known to the queue, and
  // de-duplicating against it would drop the retry.
  await ctx.queues.enqueueDeploys(
    retries.map((row) => ({ deploymentId: row.id, desiredHash: row.desiredHash })),
    { idTag: `retry${ctx.now().getTime().toString(36)}` },
  );
  await ctx.db.auditEntry.createMany({
    data: retries.map((row) =>
      auditRow({
        workspaceId: principal.workspaceId,
        actor: principal,
        ...(origin ? { origin } : {}),
        action: 'deployment.retry',
        objectType: 'deployment',
        objectId: row.id,
        details: { bundle: row.bundle.name, cluster: row.cluster.name },
      }),
    ),
  });
  await recordActionEvents({
    ctx,
    events: retries.map((row) => ({
      workspaceId: principal.workspaceId,
      type: 'RetryRequested',
      clusterId: row.clusterId,
      bundleId: row.bundleId,
      deploymentId: row.id,
      message: `${principal.label} asked to retry the failed apply of ${row.bundle.name} on ${row.cluster.name}`,
    })),
  });
  return outcomes;
}

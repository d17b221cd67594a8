import { forWorkspace } from '@flotilla/db';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import { auditRow } from '../audit/record-audit.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { recordActionEvents } from '../events/record-events.ts';
import { loadSyncWindowJudge } from '../sync-windows/load-sync-windows.ts';
import { deploymentDtoInclude, toDeploymentDto, type DeploymentDto } from './deployment-dto.ts';

/**
 * "Correct drift now": re-apply the applied revision, forcing conflicts, whatever correctDrift
 * says. A manual sync: outside a sync window it passes only when every window holding the
 * cluster allows manual syncs (Argo CD's manualSync), and the audit row names them; else 409.
 */
export async function correctDeploymentDrift({
  ctx,
  principal,
  origin,
  deploymentId,
}: {
  ctx: CoreContext;
  principal: Principal;
  origin?: RequestOrigin | undefined;
  deploymentId: string;
}): Promise<DeploymentDto> {
  const [outcome] = await correctDeploymentsDrift({
    ctx,
    principal,
    origin,
    deploymentIds: [deploymentId],
  });
  if (!outcome || 'error' in outcome) throw outcome?.error ?? AppError.notFound('deployment');
  return outcome.deployment;
}

export type DriftCorrectionOutcome =
  { deploymentId: string; deployment: DeploymentDto } | { deploymentId: string; error: AppError };

/**
 * The same for many deployments of the workspace at once (the overview's bulk action): one
 * read of the deployments and of the sync windows, one enqueue, one insert of audit rows and
 * of events, whatever the count. Each deployment is refused or accepted on its own, in the
 * order asked.
 */
export async function correctDeploymentsDrift({
  ctx,
  principal,
  origin,
  deploymentIds,
}: {
  ctx: CoreContext;
  principal: Principal;
  origin?: RequestOrigin | undefined;
  deploymentIds: readonly string[];
}): Promise<DriftCorrectionOutcome[]> {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const rows = await db.bundleDeployment.findMany({
    where: { id: { in: [...new Set(deploymentIds)] } },
    include: deploymentDtoInclude,
  });
  const rowOf = new Map(rows.map((row) => [row.id, row]));
  const verdictOf = await loadSyncWindowJudge({
    db: ctx.db,
    workspaceId: principal.workspaceId,
    now: ctx.now(),
  });
  const accepted: { row: (typeof rows)[number]; hash: string; overridden: string[] }[] = [];
  const outcomes = deploymentIds.map((deploymentId): DriftCorrectionOutcome => {
    const row = rowOf.get(deploymentId);
    if (!row) return { deploymentId, error: AppError.notFound('deployment') };
    if (row.cluster.connectionKind === 'agent')
      return {
        deploymentId,
        error: new AppError(
          'Conflict',
          'this cluster is reached through its agent, which corrects drift when the bundle sets correctDrift',
        ),
      };
    const hash = row.appliedHash ?? row.desiredHash;
    if (!hash)
      return {
        deploymentId,
        error: new AppError('Conflict', 'nothing has been deployed to this cluster yet'),
      };
    const windows = verdictOf({ id: row.clusterId, ...row.cluster });
    if (!windows.isAllowed && !windows.canSyncManually) {
      const names = windows.blockedBy.map((name) => `"${name}"`).join(', ');
      return {
        deploymentId,
        error: new AppError(
          'Conflict',
          `outside sync window ${names}${windows.until ? ` until ${windows.until.toISOString()}` : ''}: it does not allow manual syncs (manualSync is off)`,
          {
            extra: {
              syncWindows: windows.blockedBy,
              until: windows.until?.toISOString() ?? null,
            },
          },
        ),
      };
    }
    if (!accepted.some((entry) => entry.row.id === deploymentId))
      accepted.push({ row, hash, overridden: windows.isAllowed ? [] : windows.blockedBy });
    return { deploymentId, deployment: toDeploymentDto(row) };
  });
  if (accepted.length === 0) return outcomes;

  await ctx.queues.enqueueDeploys(
    accepted.map(({ row, hash }) => ({
      deploymentId: row.id,
      desiredHash: hash,
      isCorrection: true,
    })),
  );
  await ctx.db.auditEntry.createMany({
    data: accepted.map(({ row, overridden }) =>
      auditRow({
        workspaceId: principal.workspaceId,
        actor: principal,
        ...(origin ? { origin } : {}),
        action: 'deployment.correct-drift',
        objectType: 'deployment',
        objectId: row.id,
        details: {
          bundle: row.bundle.name,
          cluster: row.cluster.name,
          ...(overridden.length > 0 ? { overrodeSyncWindows: overridden } : {}),
        },
      }),
    ),
  });
  await recordActionEvents({
    ctx,
    events: accepted.map(({ row, overridden }) => ({
      workspaceId: principal.workspaceId,
      type: 'DriftCorrectionRequested',
      clusterId: row.clusterId,
      bundleId: row.bundleId,
      deploymentId: row.id,
      message: `${principal.label} asked to correct drift of ${row.bundle.name} on ${row.cluster.name}${overridden.length > 0 ? ` (overriding sync window ${overridden.join(', ')})` : ''}`,
    })),
  });
  return outcomes;
}

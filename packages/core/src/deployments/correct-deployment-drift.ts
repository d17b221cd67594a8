import { forWorkspace } from '@flotilla/db';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { recordActionEvent } from '../events/record-events.ts';
import { syncWindowVerdictFor } from '../sync-windows/load-sync-windows.ts';
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
  origin?: RequestOrigin;
  deploymentId: string;
}): Promise<DeploymentDto> {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const row = await db.bundleDeployment.findUnique({
    where: { id: deploymentId },
    include: deploymentDtoInclude,
  });
  if (!row) throw AppError.notFound('deployment');
  if (row.cluster.connectionKind === 'agent')
    throw new AppError(
      'Conflict',
      'this cluster is reached through its agent, which corrects drift when the bundle sets correctDrift',
    );
  const hash = row.appliedHash ?? row.desiredHash;
  if (!hash) throw new AppError('Conflict', 'nothing has been deployed to this cluster yet');
  const windows = await syncWindowVerdictFor({
    db: ctx.db,
    cluster: { id: row.clusterId, workspaceId: row.workspaceId, ...row.cluster },
    now: ctx.now(),
  });
  const overridden = windows.isAllowed ? [] : windows.blockedBy;
  if (!windows.isAllowed && !windows.canSyncManually) {
    const names = windows.blockedBy.map((name) => `"${name}"`).join(', ');
    throw new AppError(
      'Conflict',
      `outside sync window ${names}${windows.until ? ` until ${windows.until.toISOString()}` : ''}: it does not allow manual syncs (manualSync is off)`,
      {
        extra: {
          syncWindows: windows.blockedBy,
          until: windows.until?.toISOString() ?? null,
        },
      },
    );
  }
  await ctx.queues.enqueueDeploys([{ deploymentId, desiredHash: hash, isCorrection: true }]);
  await recordAudit({
    ctx,
    record: {
      workspaceId: principal.workspaceId,
      actor: principal,
      ...(origin ? { origin } : {}),
      action: 'deployment.correct-drift',
      objectType: 'deployment',
      objectId: deploymentId,
      details: {
        bundle: row.bundle.name,
        cluster: row.cluster.name,
        ...(overridden.length > 0 ? { overrodeSyncWindows: overridden } : {}),
      },
    },
  });
  await recordActionEvent({
    ctx,
    event: {
      workspaceId: principal.workspaceId,
      type: 'DriftCorrectionRequested',
      clusterId: row.clusterId,
      bundleId: row.bundleId,
      deploymentId,
      message: `${principal.label} asked to correct drift of ${row.bundle.name} on ${row.cluster.name}${overridden.length > 0 ? ` (overriding sync window ${overridden.join(', ')})` : ''}`,
    },
  });
  return toDeploymentDto(row);
}

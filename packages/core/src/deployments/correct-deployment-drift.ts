import { forWorkspace } from '@flotilla/db';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { recordActionEvent } from '../events/record-events.ts';
import { deploymentDtoInclude, toDeploymentDto, type DeploymentDto } from './deployment-dto.ts';

/** "Correct drift now": re-apply the applied revision, forcing conflicts, whatever correctDrift says. */
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
  const hash = row.appliedHash ?? row.desiredHash;
  if (!hash) throw new AppError('Conflict', 'nothing has been deployed to this cluster yet');
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
      details: { bundle: row.bundle.name, cluster: row.cluster.name },
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
      message: `${principal.label} asked to correct drift of ${row.bundle.name} on ${row.cluster.name}`,
    },
  });
  return toDeploymentDto(row);
}

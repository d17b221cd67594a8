import { forWorkspace } from '@flotilla/db';
import { auditedWrite } from '../audit/audited-write.ts';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { deploymentDtoInclude, toDeploymentDto, type DeploymentDto } from './deployment-dto.ts';

/**
 * "Confirm prune": lets the held revision with no objects deploy, deleting every object the
 * deployment has on its cluster. The confirmation names that revision, so a later, different
 * empty revision is held again. Idempotent: with nothing held it changes nothing.
 */
export async function confirmDeploymentPrune({
  ctx,
  principal,
  origin,
  deploymentId,
}: {
  ctx: Pick<CoreContext, 'db' | 'queues'>;
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
  const hash = row.targetHash;
  const revision = hash
    ? await db.bundleRevision.findFirst({ where: { hash }, select: { resourceCount: true } })
    : null;
  // Nothing held (or already confirmed): confirming again changes nothing, as a second click.
  if (
    !hash ||
    revision?.resourceCount !== 0 ||
    row.appliedHash === hash ||
    row.pruneConfirmedHash === hash
  ) {
    return toDeploymentDto(row);
  }
  const confirmed = await auditedWrite({
    ctx,
    principal,
    origin,
    write: (tx) =>
      tx.bundleDeployment.update({
        where: { id: deploymentId },
        data: { pruneConfirmedHash: hash },
        include: deploymentDtoInclude,
      }),
    audit: () => ({
      action: 'deployment.confirm-prune',
      objectType: 'deployment',
      objectId: deploymentId,
      details: { bundle: row.bundle.name, cluster: row.cluster.name, revision: hash },
    }),
  });
  await ctx.queues.enqueuePlan({ bundleId: row.bundleId });
  return toDeploymentDto(confirmed);
}

import { forWorkspace } from '@flotilla/db';
import type { Principal } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import {
  currentRenderCommits,
  isOutcomeRow,
  summarizeRenders,
  toRenderDto,
  type RenderDto,
} from '../bundles/render-dto.ts';
import { bundlePinOf, type BundlePinDto } from '../bundles/bundle-pin.ts';
import { deploymentDtoInclude, toDeploymentDto, type DeploymentDto } from './deployment-dto.ts';

/** One deployment with how its copy of the bundle rendered (GET /deployments/{id}). */
export interface DeploymentDetailDto extends DeploymentDto {
  /**
   * This cluster's customization at the desired commit (its chart and values in effect) and,
   * when the bundle has a newer commit, at that one (a render error holding it back).
   */
  renders: RenderDto[];
  /**
   * The bundle's pin (an operator's rollback) when it has one: this cluster is held at that
   * commit, and `isHoldingBack` says Git has a newer one waiting. Null when not pinned.
   */
  pin: BundlePinDto | null;
  /**
   * While the deployment is ErrApplied because an apply failed: that apply, as its history entry
   * recorded it (the revision and customization attempted, the error); null in any other state
   * and when ErrApplied comes from a render that failed (see `renders`).
   */
  failedApply: {
    commit: string | null;
    revision: string;
    customization: string;
    error: string;
    at: string | null;
  } | null;
  /** Reached through its agent: Flotilla neither corrects, retries nor reads it live. */
  isAgentCluster: boolean;
}

export async function getDeployment({
  ctx,
  principal,
  deploymentId,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  deploymentId: string;
}): Promise<DeploymentDetailDto> {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const row = await db.bundleDeployment.findUnique({
    where: { id: deploymentId },
    include: {
      ...deploymentDtoInclude,
      bundle: {
        select: {
          ...deploymentDtoInclude.bundle.select,
          commit: true,
          failedCommit: true,
          pinnedCommit: true,
          pinnedBy: true,
          pinnedAt: true,
        },
      },
    },
  });
  if (!row) throw AppError.notFound('deployment');
  const dto = toDeploymentDto(row);
  const commits = [
    ...currentRenderCommits(row.bundle),
    ...(dto.desiredCommit ? [dto.desiredCommit] : []),
  ].filter((commit, index, all) => all.indexOf(commit) === index);
  // BundleRender has no workspace column: the deployment found above is the workspace check.
  const renders = await db.bundleRender.findMany({
    where: {
      bundleId: row.bundleId,
      customization: row.customization,
      commit: { in: commits },
      // The customization's shared render, or this cluster's own copy when it renders per cluster.
      clusterId: { in: ['', row.clusterId] },
    },
  });
  // lastError is set by a failed apply and cleared by a good one: ErrApplied without it is a
  // customization that failed to render, which the renders say (and Retry could not help).
  const isApplyFailed = row.state === 'ErrApplied' && row.lastError !== null;
  const failed = isApplyFailed
    ? await db.deploymentHistory.findFirst({
        where: { deploymentId: row.id, result: 'failed' },
        orderBy: { at: 'desc' },
      })
    : null;
  const attempted = row.desiredHash ?? row.targetHash;
  const failedApply = !isApplyFailed
    ? null
    : failed
      ? {
          commit: failed.commit,
          revision: failed.revisionHash,
          customization: failed.customization,
          error: failed.error,
          at: failed.at.toISOString(),
        }
      : attempted
        ? {
            commit: row.desiredCommit ?? row.targetCommit,
            revision: attempted,
            customization: row.customization,
            error: row.lastError ?? '',
            at: null,
          }
        : null;
  return {
    ...dto,
    failedApply,
    isAgentCluster: row.cluster.connectionKind === 'agent',
    renders: summarizeRenders(renders.filter(isOutcomeRow).map(toRenderDto), commits),
    pin: bundlePinOf(row.bundle),
  };
}

import { forWorkspace } from '@flotilla/db';
import type { Principal } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { toBundleDto, type BundleDto } from './bundle-dto.ts';
import {
  promotedPartitionsFor,
  storedRolloutStatus,
  type StoredRolloutStatus,
} from './rollout-status.ts';
import {
  currentRenderCommits,
  isOutcomeRow,
  summarizeRenders,
  toRenderDto,
  type RenderDto,
} from './render-dto.ts';

/** One bundle with how each copy rendered: its chart, values and errors (GET /bundles/{id}). */
export interface BundleDetailDto extends BundleDto {
  /** Each customization at the deploying commit and, when newer, at the commit that failed. */
  renders: RenderDto[];
  /**
   * The rollout of the current commit as the last plan saw it (partitions, counts, where
   * failures halted it) and how many partitions an operator promoted it past; null before the
   * bundle was planned at its commit.
   */
  rollout: (StoredRolloutStatus & { promotedPartitions: number }) | null;
}

export async function getBundle({
  ctx,
  principal,
  bundleId,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  bundleId: string;
}): Promise<BundleDetailDto> {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const bundle = await db.bundle.findUnique({
    where: { id: bundleId },
    include: { gitRepo: true },
  });
  if (!bundle) throw AppError.notFound('bundle');
  const commits = currentRenderCommits(bundle);
  const [deployments, renders] = await Promise.all([
    db.bundleDeployment.findMany({
      where: { bundleId, isOrphaned: false },
      select: { state: true },
    }),
    // BundleRender has no workspace column: the bundle found above is the workspace check.
    db.bundleRender.findMany({ where: { bundleId, commit: { in: commits } } }),
  ]);
  return {
    ...toBundleDto(bundle, deployments),
    renders: summarizeRenders(renders.filter(isOutcomeRow).map(toRenderDto), commits),
    rollout: rolloutOf(bundle),
  };
}

function rolloutOf(bundle: {
  commit: string | null;
  rolloutStatus: unknown;
  rolloutPromotion: unknown;
}): BundleDetailDto['rollout'] {
  const status = storedRolloutStatus(bundle.rolloutStatus);
  if (!status || status.commit !== bundle.commit) return null;
  return {
    ...status,
    promotedPartitions: promotedPartitionsFor(bundle.rolloutPromotion, bundle.commit),
  };
}

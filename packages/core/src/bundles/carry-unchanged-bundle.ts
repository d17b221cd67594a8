import { isDeepStrictEqual } from 'node:util';
import { carryDeploymentsToCommit, type Prisma } from '@flotilla/db';
import type { BundleOptions } from '@flotilla/engine';
import type { WorkerContext } from '../worker-context.ts';
import { storedRolloutStatus } from './rollout-status.ts';

/** A stored render as far as the carry compares it. */
export interface RenderFacts {
  customization: string;
  clusterId: string;
  revisionHash: string | null;
  error: string | null;
  isPerCluster: boolean;
}

/**
 * Whether a commit's renders of a bundle are the same revisions as an earlier commit's: the
 * same customizations, each rendered once for every cluster (no render of a single cluster,
 * no error) to the same revision hash.
 */
export function rendersSameRevisions(
  before: readonly RenderFacts[],
  after: readonly RenderFacts[],
): boolean {
  const revisions = (renders: readonly RenderFacts[]) => {
    const byCustomization = new Map<string, string>();
    for (const render of renders) {
      if (render.clusterId !== '' || render.isPerCluster || render.error || !render.revisionHash)
        return null;
      byCustomization.set(render.customization, render.revisionHash);
    }
    return byCustomization;
  };
  const [was, is] = [revisions(before), revisions(after)];
  if (!was || !is || was.size === 0 || was.size !== is.size) return false;
  return [...is].every(([customization, hash]) => was.get(customization) === hash);
}

/**
 * A commit that leaves a bundle's revisions as they were (it changed another bundle, or a file
 * this one does not read) moves the bundle's settled deployments to the new commit in one
 * statement, without a plan: a plan would decide nothing else for them, and a commit touching
 * one bundle of fifty would otherwise plan all fifty, a thousand rows each. As Fleet leaves a
 * BundleDeployment whose deployment ID did not change, and Argo CD an app whose manifests did
 * not, nothing is applied. Returns whether every targeted deployment is now on the new commit;
 * when not (a deployment on its way, a rollout halted, a bundle paused, pinned or with other
 * options), the caller plans the bundle as usual.
 */
export async function carryUnchangedBundle({
  ctx,
  bundle,
  from,
  to,
  options,
}: {
  ctx: WorkerContext;
  bundle: {
    id: string;
    paused: boolean;
    pinnedCommit: string | null;
    options: unknown;
    rolloutStatus: unknown;
  };
  /** The commit the bundle was rendered at before. */
  from: string;
  to: string;
  /** The options the new commit's render read. */
  options: BundleOptions;
}): Promise<boolean> {
  // Paused, a plan moves no desired revision; pinned, the new commit is not what it runs.
  if (bundle.paused || bundle.pinnedCommit) return false;
  // Other options (targets' customizations, rollout, dependsOn...) are the plan's to weigh.
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(options)), bundle.options)) return false;
  const rollout = storedRolloutStatus(bundle.rolloutStatus);
  if (rollout?.halted) return false;
  const renders = await ctx.db.bundleRender.findMany({
    where: { bundleId: bundle.id, commit: { in: [from, to] } },
    select: {
      commit: true,
      customization: true,
      clusterId: true,
      revisionHash: true,
      error: true,
      isPerCluster: true,
    },
  });
  const at = (commit: string) => renders.filter((render) => render.commit === commit);
  if (!rendersSameRevisions(at(from), at(to))) return false;
  const { carried, left } = await carryDeploymentsToCommit(ctx.db, {
    bundleId: bundle.id,
    from,
    to,
  });
  if (left > 0) return false;
  // The rollout panel names the commit its status is for.
  if (rollout && rollout.commit === from)
    await ctx.db.bundle.updateMany({
      where: {
        id: bundle.id,
        rolloutStatus: { equals: bundle.rolloutStatus as Prisma.InputJsonValue },
      },
      data: { rolloutStatus: { ...rollout, commit: to } as unknown as Prisma.InputJsonValue },
    });
  ctx.logger.debug(
    { bundleId: bundle.id, commit: to.slice(0, 12), deployments: carried },
    'commit renders the same revisions: deployments carried to it, no plan',
  );
  return true;
}

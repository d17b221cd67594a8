import type { CoreContext } from '../context.ts';

/**
 * Queues a plan for every bundle of a workspace: what a change of clusters, labels or groups
 * needs, since any bundle's targets may now select a different set. Plans are cheap (no
 * cluster is contacted) and de-duplicated per bundle in the queue.
 */
export async function requestReplanForWorkspace({
  ctx,
  workspaceId,
}: {
  ctx: Pick<CoreContext, 'db' | 'queues'>;
  workspaceId: string;
}): Promise<void> {
  const bundles = await ctx.db.bundle.findMany({ where: { workspaceId }, select: { id: true } });
  await ctx.queues.enqueuePlans(bundles.map((bundle) => ({ bundleId: bundle.id })));
}

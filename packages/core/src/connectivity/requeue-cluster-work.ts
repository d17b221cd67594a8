import type { CoreContext } from '../context.ts';

/**
 * Queues again every deploy and prune a cluster owes, at once: the ones its deploy jobs skipped
 * while it was Offline ("cluster offline") would otherwise wait for the sweeper's requeue
 * period. Same rows as the sweeper's (desired revision not applied, or orphaned), for one
 * cluster and regardless of when they were last queued; job ids de-duplicate against anything
 * still queued.
 */
export async function requeueClusterWork({
  ctx,
  clusterId,
}: {
  ctx: Pick<CoreContext, 'db' | 'queues' | 'now'>;
  clusterId: string;
}): Promise<number> {
  const rows = await ctx.db.$queryRaw<
    { id: string; desiredHash: string | null; isOrphaned: boolean }[]
  >`
    SELECT d.id, d."desiredHash", d."isOrphaned" FROM "BundleDeployment" d
    JOIN "Cluster" c ON c.id = d."clusterId"
    WHERE d."clusterId" = ${clusterId} AND c."connectionKind" = 'direct'
      AND (d."isOrphaned"
        OR (d."desiredHash" IS NOT NULL AND d."desiredHash" IS DISTINCT FROM d."appliedHash"))`;
  if (rows.length === 0) return 0;
  await ctx.db.bundleDeployment.updateMany({
    where: { id: { in: rows.map((row) => row.id) } },
    data: { lastEnqueuedAt: ctx.now() },
  });
  await ctx.queues.enqueueDeploys(
    rows.map((row) => ({
      deploymentId: row.id,
      desiredHash: row.isOrphaned ? ('prune' as const) : row.desiredHash!,
    })),
  );
  return rows.length;
}

import type { CoreContext } from '../context.ts';

/**
 * Queues again every deploy and prune a cluster owes, at once: the ones its deploy jobs skipped
 * while it was Offline ("cluster offline") would otherwise wait for the sweeper's requeue
 * period. Same rows as the sweeper's (desired revision not applied, or orphaned), for one
 * cluster and regardless of when they were last queued. The jobs get ids of their own: a job of
 * the same revision still running may have read the cluster Offline a moment ago and is about
 * to end as skipped; de-duplicating against it would lose the deploy. A deploy that is done
 * twice costs one read (the second finds it applied), and the deployment's lease keeps the two
 * from running side by side.
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
    { idTag: `online${ctx.now().getTime().toString(36)}` },
  );
  return rows.length;
}

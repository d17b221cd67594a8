import { REACHABLE_CLUSTER_SQL } from '../connectivity/reachability-policy.ts';
import type { CoreContext } from '../context.ts';

/** By default a deploy queued a minute ago without converging is queued again (its job may be lost). */
const DEFAULT_REQUEUE_AFTER_MS = 60_000;
/** Re-plan every bundle this often as a safety net for missed triggers. */
export const REPLAN_EVERY_MS = 5 * 60_000;
/** The time over which a periodic re-plan's jobs start, each bundle's in turn. */
export const REPLAN_SPREAD_MS = (REPLAN_EVERY_MS * 4) / 5;
let lastReplanAt = 0;

/** This process's own period; the worker passes a fleet-wide claim in Redis instead. */
async function isReplanDueHere(now: Date): Promise<boolean> {
  if (now.getTime() - lastReplanAt <= REPLAN_EVERY_MS) return false;
  lastReplanAt = now.getTime();
  return true;
}

export interface SweepOutcome {
  syncs: number;
  renders: number;
  deploys: number;
  prunes: number;
  plans: number;
  deletedRepos: number;
}

/**
 * Re-derives pending work from Postgres alone, so the fleet converges after a lost Redis or a
 * killed worker: repos never fetched, bundles not rendered at their repo's commit, and
 * deployments whose applied revision is not the desired one (or that must be pruned) with no
 * job queued recently. Job ids de-duplicate against anything still queued.
 */
export async function sweepPendingWork({
  ctx,
  requeueAfterMs = DEFAULT_REQUEUE_AFTER_MS,
  shouldReplan = isReplanDueHere,
}: {
  ctx: Pick<CoreContext, 'db' | 'queues' | 'now'>;
  requeueAfterMs?: number;
  /** Whether this sweep also re-plans every bundle (once per REPLAN_EVERY_MS). */
  shouldReplan?: (now: Date) => Promise<boolean>;
}): Promise<SweepOutcome> {
  const now = ctx.now();
  const stale = new Date(now.getTime() - requeueAfterMs);
  const [repos, bundles, deployments, orphans] = await Promise.all([
    ctx.db.gitRepo.findMany({
      where: {
        deletedAt: null,
        updatedAt: { lt: stale },
        OR: [{ commit: null, state: { not: 'Error' } }, { state: 'Fetching' }],
      },
      select: { id: true },
    }),
    ctx.db.$queryRaw<{ id: string; commit: string }[]>`
      SELECT b.id, r.commit FROM "Bundle" b JOIN "GitRepo" r ON r.id = b."gitRepoId"
      WHERE b."isPresent" AND r.commit IS NOT NULL AND r."deletedAt" IS NULL
        AND b.commit IS DISTINCT FROM r.commit AND b."failedCommit" IS DISTINCT FROM r.commit
        AND b."updatedAt" < ${stale}`,
    ctx.db.$queryRaw<{ id: string; desiredHash: string }[]>`
      SELECT d.id, d."desiredHash" FROM "BundleDeployment" d JOIN "Cluster" c ON c.id = d."clusterId"
      WHERE NOT d."isOrphaned" AND d."desiredHash" IS NOT NULL
        AND d."desiredHash" IS DISTINCT FROM d."appliedHash"
        AND ${REACHABLE_CLUSTER_SQL}
        AND (d."lastEnqueuedAt" IS NULL OR d."lastEnqueuedAt" < ${stale})`,
    ctx.db.$queryRaw<{ id: string }[]>`
      SELECT d.id FROM "BundleDeployment" d JOIN "Cluster" c ON c.id = d."clusterId"
      WHERE d."isOrphaned" AND ${REACHABLE_CLUSTER_SQL}
        AND (d."lastEnqueuedAt" IS NULL OR d."lastEnqueuedAt" < ${stale})`,
  ]);
  const requeued = [...deployments.map((row) => row.id), ...orphans.map((row) => row.id)];
  if (requeued.length > 0) {
    await ctx.db.bundleDeployment.updateMany({
      where: { id: { in: requeued } },
      data: { lastEnqueuedAt: now },
    });
  }
  await Promise.all([
    ctx.queues.enqueueGitSyncs(
      repos.map((repo) => ({ gitRepoId: repo.id, reason: 'sweep' as const })),
    ),
    ...bundles.map((bundle) =>
      ctx.queues.enqueueRender({ bundleId: bundle.id, commit: bundle.commit }),
    ),
    ctx.queues.enqueueDeploys([
      ...deployments.map((row) => ({ deploymentId: row.id, desiredHash: row.desiredHash })),
      ...orphans.map((row) => ({ deploymentId: row.id, desiredHash: 'prune' })),
    ]),
  ]);
  let plans = 0;
  if (await shouldReplan(now)) {
    const all = await ctx.db.bundle.findMany({ select: { id: true }, orderBy: { id: 'asc' } });
    // Spread over most of the period: a commit arriving meanwhile waits behind a few plans,
    // not behind every bundle's (50 bundles on 1000 clusters are 50,000 rows to plan).
    await ctx.queues.enqueuePlans(
      all.map((bundle) => ({ bundleId: bundle.id })),
      { spreadOverMs: REPLAN_SPREAD_MS },
    );
    plans = all.length;
  }
  // Repos being deleted go once the prunes of their bundles are done.
  const { count: deletedRepos } = await ctx.db.gitRepo.deleteMany({
    where: { deletedAt: { not: null }, bundles: { none: { deployments: { some: {} } } } },
  });
  return {
    syncs: repos.length,
    renders: bundles.length,
    deploys: deployments.length,
    prunes: orphans.length,
    plans,
    deletedRepos,
  };
}

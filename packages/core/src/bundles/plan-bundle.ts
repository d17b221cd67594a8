import { writeDeploymentPlans, type BundleDeployment } from '@flotilla/db';
import {
  planDeployments,
  type ClusterGroupFacts,
  type PlanDeployment,
  type PlanFacts,
} from '@flotilla/engine';
import { isClusterReachable } from '../connectivity/reachability-policy.ts';
import { selectorOf } from '../cluster-groups/cluster-group-columns.ts';
import { labelsOf } from '../clusters/serialize.ts';
import { recordStateChanges } from '../events/record-events.ts';
import { newId } from '../ids.ts';
import { storedTargets } from '../targets/targets.ts';
import type { WorkerContext } from '../worker-context.ts';
import { bundleOptionsOf } from './bundle-options-column.ts';

export interface PlanOutcome {
  targeted: number;
  created: number;
  deploys: number;
  orphaned: number;
}

/** A stored deployment as the planner reads it (the monitor's resources and counts left out). */
function planDeploymentOf(
  deployment: Omit<BundleDeployment, 'resources' | 'counts'>,
): PlanDeployment {
  return {
    id: deployment.id,
    clusterId: deployment.clusterId,
    customization: deployment.customization,
    targetHash: deployment.targetHash,
    targetCommit: deployment.targetCommit,
    desiredHash: deployment.desiredHash,
    desiredCommit: deployment.desiredCommit,
    appliedHash: deployment.appliedHash,
    state: deployment.state,
    message: deployment.message,
    isOrphaned: deployment.isOrphaned,
    hasInventory: Array.isArray(deployment.inventory) && deployment.inventory.length > 0,
    inventoryCount: Array.isArray(deployment.inventory) ? deployment.inventory.length : 0,
    pruneConfirmedHash: deployment.pruneConfirmedHash,
  };
}

/**
 * Plans one bundle: loads the facts (bundle, its deployments, the workspace's clusters and
 * groups, the renders at its commit), lets the engine decide (planDeployments), then inserts
 * the deployments of newly targeted clusters, writes every changed row in one statement,
 * deletes what is gone, queues the deploys and prunes and records the state changes. Contacts
 * no cluster.
 */
export async function planBundle({
  ctx,
  bundleId,
}: {
  ctx: WorkerContext;
  bundleId: string;
}): Promise<PlanOutcome> {
  const outcome: PlanOutcome = { targeted: 0, created: 0, deploys: 0, orphaned: 0 };
  const bundle = await ctx.db.bundle.findUnique({
    where: { id: bundleId },
    include: { gitRepo: true },
  });
  if (!bundle) return outcome;
  const { workspaceId } = bundle;
  const [existing, clusterRows, groupRows, renders] = await Promise.all([
    // Not the monitor's resources and counts: a plan never reads them, and for a bundle on a
    // thousand clusters they are most of the bytes.
    ctx.db.bundleDeployment.findMany({
      where: { bundleId },
      omit: { resources: true, counts: true },
    }),
    ctx.db.cluster.findMany({
      where: { workspaceId },
      select: { id: true, name: true, labels: true, connectivity: true },
      orderBy: { name: 'asc' },
    }),
    ctx.db.clusterGroup.findMany({ where: { workspaceId } }),
    bundle.commit
      ? ctx.db.bundleRender.findMany({ where: { bundleId, commit: bundle.commit } })
      : Promise.resolve([]),
  ]);
  // How many objects each rendered revision holds: an empty one may be held (allowEmpty=false).
  const hashes = [...new Set(renders.flatMap((render) => render.revisionHash ?? []))];
  const counts = new Map(
    hashes.length === 0
      ? []
      : (
          await ctx.db.bundleRevision.findMany({
            where: { workspaceId, hash: { in: hashes } },
            select: { hash: true, resourceCount: true },
          })
        ).map((revision) => [revision.hash, revision.resourceCount]),
  );
  const groups: ClusterGroupFacts[] = groupRows.map((group) => ({
    name: group.name,
    labels: labelsOf(group.labels),
    selector: selectorOf(group.selector),
  }));
  const facts: PlanFacts = {
    commit: bundle.commit,
    isGone: !bundle.isPresent || bundle.gitRepo.deletedAt !== null,
    isPaused: bundle.paused,
    options: bundleOptionsOf(bundle.options),
    targets: storedTargets(bundle.targets ?? bundle.gitRepo.targets),
    clusters: clusterRows.map((cluster) => ({
      id: cluster.id,
      name: cluster.name,
      labels: labelsOf(cluster.labels),
      isOnline: isClusterReachable(cluster.connectivity),
    })),
    groups,
    renders: renders.map((render) => ({
      ...render,
      objectCount: render.revisionHash ? (counts.get(render.revisionHash) ?? null) : null,
    })),
    deployments: existing.map(planDeploymentOf),
    now: ctx.now(),
  };
  let plan = planDeployments(facts);
  if (plan.needsRender && bundle.commit)
    await ctx.queues.enqueueRender({ bundleId, commit: bundle.commit });

  // Newly targeted clusters get their rows first (a concurrent plan may have made some: skip
  // those), then the plan is made again over all of them, so that one write sets every row.
  if (plan.creates.length > 0) {
    await ctx.db.bundleDeployment.createMany({
      data: plan.creates.map(({ clusterId, customization, failure }) => ({
        id: newId(),
        workspaceId,
        bundleId,
        clusterId,
        customization,
        ...(failure ? { state: failure.state, message: failure.message } : {}),
      })),
      skipDuplicates: true,
    });
    outcome.created = plan.creates.filter((create) => !create.failure).length;
    const created = await ctx.db.bundleDeployment.findMany({
      where: { bundleId, clusterId: { in: plan.creates.map((create) => create.clusterId) } },
      omit: { resources: true, counts: true },
    });
    plan = planDeployments({
      ...facts,
      deployments: [...facts.deployments, ...created.map(planDeploymentOf)],
    });
  }

  await writeDeploymentPlans(ctx.db, plan.rows);
  if (plan.deletes.length > 0)
    await ctx.db.bundleDeployment.deleteMany({ where: { id: { in: plan.deletes } } });
  await ctx.queues.enqueueDeploys([
    ...plan.deploys,
    ...plan.prunes.map((deploymentId) => ({ deploymentId, desiredHash: 'prune' as const })),
  ]);
  await recordStateChanges({
    ctx,
    changes: plan.changes.map((change) => ({ ...change, workspaceId, bundleId })),
  });
  outcome.targeted = plan.targeted;
  outcome.orphaned = plan.orphaned;
  outcome.deploys = plan.deploys.length;
  return outcome;
}

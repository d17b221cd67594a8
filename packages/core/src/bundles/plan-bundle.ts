import { Prisma, writeDeploymentPlans, type BundleDeployment } from '@flotilla/db';
import {
  planDeployments,
  type ClusterGroupFacts,
  type PlanDeployment,
  type PlanFacts,
} from '@flotilla/engine';
import { isClusterReachable, isWorkerDriven } from '../connectivity/reachability-policy.ts';
import { selectorOf } from '../cluster-groups/cluster-group-columns.ts';
import { labelsOf } from '../clusters/serialize.ts';
import { recordActionEvent, recordStateChanges } from '../events/record-events.ts';
import { storedCounts } from '../deployments/resources.ts';
import { newId } from '../ids.ts';
import { queueNotifications } from '../notifications/queue-notifications.ts';
import { loadSyncWindows } from '../sync-windows/load-sync-windows.ts';
import { storedTargets } from '../targets/targets.ts';
import type { WorkerContext } from '../worker-context.ts';
import { bundleOptionsOf } from './bundle-options-column.ts';
import { loadDependencies } from './load-dependencies.ts';
import {
  promotedPartitionsFor,
  rolloutHaltMessage,
  storedRolloutStatus,
  type StoredRolloutStatus,
} from './rollout-status.ts';

export interface PlanOutcome {
  targeted: number;
  created: number;
  deploys: number;
  orphaned: number;
  /** Rows another writer changed between a pass's read and its write: planned again. */
  replanned: number;
}

/** A stored deployment as the planner reads it (the monitor's resources and counts left out). */
function planDeploymentOf(
  deployment: Omit<BundleDeployment, 'resources' | 'counts'> & { counts?: unknown },
): PlanDeployment {
  const counts = storedCounts(deployment.counts);
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
    stateChangedAt: deployment.stateChangedAt,
    lastError: deployment.lastError,
    isRunningReady:
      deployment.appliedHash !== null &&
      counts.total !== undefined &&
      counts.notReady === 0 &&
      counts.missing === 0,
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
  isRerun = false,
}: {
  ctx: WorkerContext;
  bundleId: string;
  /**
   * The plan job runs again after an attempt that was cut short (its worker died, or it
   * failed): that attempt may have written rows without queueing their deploys.
   */
  isRerun?: boolean;
}): Promise<PlanOutcome> {
  const outcome: PlanOutcome = { targeted: 0, created: 0, deploys: 0, orphaned: 0, replanned: 0 };
  // A row that a deploy, a check or another plan wrote between this plan's read and its write
  // is left as that writer wrote it (writeDeploymentPlans), and the bundle is planned again
  // from what its rows hold now. Each pass writes the rows nobody changed meanwhile, so passes
  // end quickly; a bundle whose rows keep changing fails the job, which BullMQ retries.
  for (let pass = 1; ; pass += 1) {
    const { stale, ...result } = await planPass({ ctx, bundleId, isRerun });
    outcome.targeted = result.targeted;
    outcome.orphaned = result.orphaned;
    outcome.created += result.created;
    outcome.deploys += result.deploys;
    if (stale === 0) return outcome;
    outcome.replanned += stale;
    ctx.logger.info(
      { bundleId, rows: stale, pass },
      'plan: rows changed while the bundle was planned; planning them again',
    );
    if (pass === MAX_PLAN_PASSES)
      throw new Error(
        `bundle ${bundleId}: ${stale} deployment(s) changed while it was planned, ${pass} times in a row; the plan runs again`,
      );
  }
}

const MAX_PLAN_PASSES = 5;

/** One read, decide and write of a bundle's plan; `stale` rows were changed meanwhile. */
async function planPass({
  ctx,
  bundleId,
  isRerun,
}: {
  ctx: WorkerContext;
  bundleId: string;
  isRerun: boolean;
}): Promise<Omit<PlanOutcome, 'replanned'> & { stale: number }> {
  const outcome = { targeted: 0, created: 0, deploys: 0, orphaned: 0, stale: 0 };
  const bundle = await ctx.db.bundle.findUnique({
    where: { id: bundleId },
    include: { gitRepo: true },
  });
  if (!bundle) return outcome;
  const { workspaceId } = bundle;
  // A pin (an operator's rollback) holds the bundle at a commit it rendered before: its renders
  // stand in for the latest commit's, so the engine plans them like any other commit, and a
  // newer commit waits until the pin is released.
  const commit = bundle.pinnedCommit ?? bundle.commit;
  const [existing, clusterRows, groupRows, renders, syncWindows] = await Promise.all([
    // Not the monitor's resources: for a bundle on a thousand clusters they are most of the
    // bytes. Its counts (a few numbers) say whether a deployment held back runs healthy.
    ctx.db.bundleDeployment.findMany({
      where: { bundleId },
      omit: { resources: true },
    }),
    ctx.db.cluster.findMany({
      where: { workspaceId },
      select: { id: true, name: true, labels: true, connectivity: true, connectionKind: true },
      orderBy: { name: 'asc' },
    }),
    ctx.db.clusterGroup.findMany({ where: { workspaceId } }),
    commit ? ctx.db.bundleRender.findMany({ where: { bundleId, commit } }) : Promise.resolve([]),
    loadSyncWindows(ctx.db, workspaceId),
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
  const isGone = !bundle.isPresent || bundle.gitRepo.deletedAt !== null;
  const latestOptions = bundleOptionsOf(bundle.options);
  // Pinned: the customizations are the pinned commit's, as far as its renders tell (a
  // customization the latest options added has no render there: its clusters get what the
  // pinned commit gave them, the next matching customization or the defaults).
  const renderedAtPin = new Set(renders.map((render) => render.customization));
  const options =
    bundle.pinnedCommit && bundle.pinnedCommit !== bundle.commit
      ? {
          ...latestOptions,
          // doNotDeploy renders nothing: kept, so its clusters never get the bundle.
          targetCustomizations: latestOptions.targetCustomizations.filter(
            (customization) => customization.doNotDeploy || renderedAtPin.has(customization.name),
          ),
        }
      : latestOptions;
  const dependencies = isGone ? undefined : await loadDependencies({ ctx, bundle, options });
  const facts: PlanFacts = {
    commit,
    isGone,
    isPaused: bundle.paused,
    options,
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
    ...(dependencies ? { dependencies } : {}),
    ...(syncWindows.length > 0 ? { syncWindows } : {}),
    promotedPartitions: promotedPartitionsFor(bundle.rolloutPromotion, commit),
    ...(isRerun ? { isRerun } : {}),
    now: ctx.now(),
  };
  let deployments = facts.deployments;
  let plan = planDeployments(facts);
  if (plan.needsRender && commit) await ctx.queues.enqueueRender({ bundleId, commit });

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
    deployments = [...facts.deployments, ...created.map(planDeploymentOf)];
    plan = planDeployments({ ...facts, deployments });
  }

  const read = new Map(deployments.map((deployment) => [deployment.id, deployment]));
  const written = new Set(
    await writeDeploymentPlans(
      ctx.db,
      plan.rows.map((row) => {
        const { state, appliedHash, desiredHash, targetCommit } = read.get(row.id)!;
        return { ...row, read: { state, appliedHash, desiredHash, targetCommit } };
      }),
    ),
  );
  // What the plan decided for a row it could not write (deploys, prunes, state changes) is
  // decided again by the next pass.
  const stale = new Set(plan.rows.flatMap((row) => (written.has(row.id) ? [] : [row.id])));
  if (stale.size > 0) {
    const isCurrent = (id: string) => !stale.has(id);
    plan = {
      ...plan,
      deploys: plan.deploys.filter((deploy) => isCurrent(deploy.deploymentId)),
      prunes: plan.prunes.filter(isCurrent),
      changes: plan.changes.filter((change) => isCurrent(change.deploymentId)),
    };
  }
  if (plan.deletes.length > 0)
    await ctx.db.bundleDeployment.deleteMany({ where: { id: { in: plan.deletes } } });
  // An agent cluster pulls its desired revisions and prunes itself: no deploy job goes to it.
  const hasAgentClusters = clusterRows.some((cluster) => !isWorkerDriven(cluster));
  const pulled = new Set(
    hasAgentClusters
      ? (
          await ctx.db.bundleDeployment.findMany({
            where: {
              id: { in: [...plan.deploys.map((deploy) => deploy.deploymentId), ...plan.prunes] },
              cluster: { connectionKind: 'agent' },
            },
            select: { id: true },
          })
        ).map((row) => row.id)
      : [],
  );
  const isPushed = (deploymentId: string) => !pulled.has(deploymentId);
  await ctx.queues.enqueueDeploys([
    ...plan.deploys.filter((deploy) => isPushed(deploy.deploymentId)),
    ...plan.prunes
      .filter(isPushed)
      .map((deploymentId) => ({ deploymentId, desiredHash: 'prune' as const })),
  ]);
  await recordStateChanges({
    ctx,
    changes: plan.changes.map((change) => ({ ...change, workspaceId, bundleId })),
  });
  // The rollout's status is the next pass's to record, from rows as they are.
  if (stale.size === 0) await recordRolloutStatus({ ctx, bundle, plan: plan.rollout });
  outcome.targeted = plan.targeted;
  outcome.orphaned = plan.orphaned;
  outcome.deploys = plan.deploys.length;
  outcome.stale = stale.size;
  return outcome;
}

/**
 * Stores the rollout's status on the bundle when it changed, and records a RolloutHalted event
 * when failures halt it at a partition (once per commit and partition).
 */
async function recordRolloutStatus({
  ctx,
  bundle,
  plan,
}: {
  ctx: WorkerContext;
  bundle: { id: string; workspaceId: string; commit: string | null; rolloutStatus: unknown };
  plan: ReturnType<typeof planDeployments>['rollout'];
}): Promise<void> {
  const before = storedRolloutStatus(bundle.rolloutStatus);
  const after: StoredRolloutStatus = { commit: bundle.commit, ...plan };
  if (JSON.stringify(before) === JSON.stringify(after)) return;
  // Compare-and-set: of two plans of the bundle running at once, one records the change (and
  // its event); the other finds the column changed and leaves it.
  const { count } = await ctx.db.bundle.updateMany({
    where: {
      id: bundle.id,
      rolloutStatus:
        bundle.rolloutStatus === null
          ? { equals: Prisma.DbNull }
          : { equals: bundle.rolloutStatus as Prisma.InputJsonValue },
    },
    data: { rolloutStatus: after as unknown as Prisma.InputJsonValue },
  });
  if (count === 0) return;
  const halted = after.halted;
  const wasHalted =
    before?.halted &&
    before.commit === after.commit &&
    before.halted.partition === halted?.partition;
  if (halted && !wasHalted) {
    await recordActionEvent({
      ctx,
      event: {
        workspaceId: bundle.workspaceId,
        type: 'RolloutHalted',
        bundleId: bundle.id,
        message: rolloutHaltMessage(halted),
      },
    });
    await queueNotifications({
      ctx,
      transitions: [
        {
          workspaceId: bundle.workspaceId,
          transition: {
            kind: 'rollout',
            bundleId: bundle.id,
            message: rolloutHaltMessage(halted),
            at: ctx.now().toISOString(),
          },
        },
      ],
    }).catch((error: unknown) => {
      ctx.logger.warn({ err: (error as Error).message }, 'queueing notifications failed');
    });
  }
}

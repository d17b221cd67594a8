import {
  writeDeploymentPlans,
  type BundleDeployment as StoredDeployment,
  type DeploymentPlanRow,
  type DeploymentState,
} from '@flotilla/db';
import {
  firstMatchingTarget,
  planRollout,
  selectTargetedClusters,
  type BundleOptions,
  type ClusterFacts,
  type ClusterGroupFacts,
} from '@flotilla/engine';
import { selectorOf } from '../cluster-groups/cluster-groups.ts';
import { labelsOf } from '../clusters/serialize.ts';
import { recordStateChanges, type StateChange } from '../events/record-events.ts';
import { newId } from '../ids.ts';
import { storedTargets } from '../targets/targets.ts';
import type { WorkerContext } from '../worker-context.ts';
import { customizationName } from './render-bundle-revisions.ts';

/** A deployment as a plan reads it. */
type BundleDeployment = Omit<StoredDeployment, 'resources' | 'counts'>;

interface Wanted {
  cluster: ClusterFacts;
  isOnline: boolean;
  customization: string;
  hash: string;
  commit: string;
}

export interface PlanOutcome {
  targeted: number;
  created: number;
  deploys: number;
  orphaned: number;
}

/** The bundle's options as stored by the render (always written by loadBundleOptions). */
export function bundleOptionsOf(value: unknown): BundleOptions {
  const options = (value ?? {}) as Partial<BundleOptions>;
  return {
    labels: {},
    paused: false,
    dependsOn: [],
    targetCustomizations: [],
    ...options,
  } as BundleOptions;
}

/**
 * Decides which clusters get a bundle and at which revision: targets (Postgres) pick the
 * clusters, targetCustomizations (Git) pick each one's rendered revision, the rollout strategy
 * and pause decide which may move now. Upserts one BundleDeployment per targeted cluster in
 * one multi-row write, orphans the ones no longer targeted (their objects are pruned unless
 * keepResources) and queues a deploy wherever desired and applied differ. Contacts no cluster.
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
  const options = bundleOptionsOf(bundle.options);
  const groups: ClusterGroupFacts[] = groupRows.map((group) => ({
    name: group.name,
    labels: labelsOf(group.labels),
    selector: selectorOf(group.selector),
  }));
  const clusters = clusterRows.map((cluster) => ({ ...cluster, labels: labelsOf(cluster.labels) }));
  const renderByName = new Map(renders.map((render) => [render.customization, render]));

  const wanted = new Map<string, Wanted>();
  // Targeted clusters whose customization is not rendered yet keep what they have until it is.
  const awaitingRender = new Set<string>();
  // Targeted clusters whose customization failed to render: they keep what they run and say why.
  const renderFailed = new Map<string, string>();
  const isGone = !bundle.isPresent || bundle.gitRepo.deletedAt !== null;
  if (!isGone && bundle.commit) {
    const targets = storedTargets(bundle.targets ?? bundle.gitRepo.targets);
    const connectivity = new Map(clusters.map((cluster) => [cluster.id, cluster.connectivity]));
    for (const { cluster } of selectTargetedClusters(targets, clusters, groups)) {
      const match = firstMatchingTarget(options.targetCustomizations, cluster, groups);
      if (match?.doNotDeploy) continue;
      const name = match ? customizationName(match.target, match.index) : '';
      const render = renderByName.get(name);
      if (!render) {
        awaitingRender.add(cluster.id);
        continue;
      }
      if (!render.revisionHash) {
        renderFailed.set(
          cluster.id,
          `the "${name || 'defaults'}" customization failed to render: ${render.error ?? 'unknown error'}`,
        );
        continue;
      }
      const hash = render.revisionHash;
      wanted.set(cluster.id, {
        cluster,
        isOnline: connectivity.get(cluster.id) !== 'Offline',
        customization: name,
        hash,
        commit: bundle.commit,
      });
    }
  }
  if (awaitingRender.size > 0 && bundle.commit)
    await ctx.queues.enqueueRender({ bundleId, commit: bundle.commit });
  outcome.targeted = wanted.size;

  const byCluster = new Map(existing.map((deployment) => [deployment.clusterId, deployment]));
  const now = ctx.now();
  const isPaused = bundle.paused || options.paused;
  const rollout = planRollout({
    strategy: options.rolloutStrategy ?? null,
    deployments: [...wanted.values()].map(({ cluster, hash }) => {
      const deployment = byCluster.get(cluster.id);
      return {
        clusterId: cluster.id,
        cluster,
        isUpToDate: deployment?.appliedHash === hash,
        isReady: deployment?.state === 'Ready',
        isDeploying: deployment?.desiredHash === hash && deployment.appliedHash !== hash,
      };
    }),
    groups,
  });

  // New deployments first, so that one write can then set every row's plan.
  const fresh = [...wanted.values()].filter(({ cluster }) => !byCluster.has(cluster.id));
  if (fresh.length > 0) {
    await ctx.db.bundleDeployment.createMany({
      data: fresh.map(({ cluster, customization }) => ({
        id: newId(),
        workspaceId,
        bundleId,
        clusterId: cluster.id,
        customization,
      })),
      skipDuplicates: true,
    });
    outcome.created = fresh.length;
    for (const deployment of await ctx.db.bundleDeployment.findMany({
      where: { bundleId, clusterId: { in: fresh.map(({ cluster }) => cluster.id) } },
      omit: { resources: true, counts: true },
    })) {
      byCluster.set(deployment.clusterId, deployment);
    }
  }

  // Targeted clusters whose customization failed and that have nothing yet still show up, failing.
  const failedFresh = [...renderFailed.entries()].filter(
    ([clusterId]) => !byCluster.has(clusterId),
  );
  if (failedFresh.length > 0) {
    await ctx.db.bundleDeployment.createMany({
      data: failedFresh.map(([clusterId, error]) => ({
        id: newId(),
        workspaceId,
        bundleId,
        clusterId,
        state: 'ErrApplied' as const,
        message: `ErrApplied: ${error}`,
      })),
      skipDuplicates: true,
    });
    for (const deployment of await ctx.db.bundleDeployment.findMany({
      where: { bundleId, clusterId: { in: failedFresh.map(([clusterId]) => clusterId) } },
    })) {
      byCluster.set(deployment.clusterId, deployment);
      existing.push(deployment);
    }
  }

  const rows: DeploymentPlanRow[] = [];
  const changes: StateChange[] = [];
  const deploys: { deploymentId: string; desiredHash: string }[] = [];
  const prunes: { deploymentId: string; desiredHash: 'prune' }[] = [];
  const toDelete: string[] = [];

  for (const { cluster, isOnline, customization, hash, commit } of wanted.values()) {
    const deployment = byCluster.get(cluster.id);
    if (!deployment) continue;
    const mayMove =
      !isPaused &&
      (rollout.allowed.has(cluster.id) ||
        deployment.appliedHash === hash ||
        deployment.desiredHash === hash);
    const desiredHash = mayMove ? hash : deployment.desiredHash;
    const desiredCommit = mayMove ? commit : deployment.desiredCommit;
    const needsDeploy = desiredHash !== null && desiredHash !== deployment.appliedHash && isOnline;
    // A deploy already queued for this revision needs no second one (the sweeper re-queues lost ones).
    const shouldEnqueue =
      needsDeploy && (deployment.desiredHash !== desiredHash || deployment.state !== 'WaitApplied');
    const state = nextState({
      deployment,
      isOnline,
      needsDeploy,
      isBehind: hash !== deployment.appliedHash,
    });
    const message =
      state === deployment.state ? deployment.message : messageFor(state, { isPaused, commit });
    const row: DeploymentPlanRow = {
      id: deployment.id,
      customization,
      targetHash: hash,
      targetCommit: commit,
      desiredHash,
      desiredCommit,
      state,
      message,
      isOrphaned: false,
      stateChangedAt: state !== deployment.state ? now : null,
      lastEnqueuedAt: shouldEnqueue ? now : null,
    };
    if (isChanged(deployment, row)) rows.push(row);
    if (state !== deployment.state) changes.push(change(deployment, state, message));
    if (shouldEnqueue && desiredHash) deploys.push({ deploymentId: deployment.id, desiredHash });
  }

  const keepResources = options.keepResources === true;
  for (const deployment of existing) {
    if (wanted.has(deployment.clusterId) || awaitingRender.has(deployment.clusterId)) continue;
    const renderError = renderFailed.get(deployment.clusterId);
    if (renderError) {
      const message = `ErrApplied: ${renderError}`;
      if (deployment.state !== 'ErrApplied' || deployment.message !== message) {
        rows.push({
          ...planRowOf(deployment),
          state: 'ErrApplied',
          message,
          stateChangedAt: deployment.state !== 'ErrApplied' ? now : null,
        });
        if (deployment.state !== 'ErrApplied')
          changes.push(change(deployment, 'ErrApplied', message));
      }
      continue;
    }
    // Never applied, or the user asked to keep what was deployed: nothing to remove.
    if (
      keepResources ||
      (deployment.appliedHash === null && (deployment.inventory as unknown[]).length === 0)
    ) {
      toDelete.push(deployment.id);
      continue;
    }
    outcome.orphaned += 1;
    if (!deployment.isOrphaned) {
      prunes.push({ deploymentId: deployment.id, desiredHash: 'prune' });
      rows.push({
        id: deployment.id,
        customization: deployment.customization,
        targetHash: null,
        targetCommit: null,
        desiredHash: deployment.desiredHash,
        desiredCommit: deployment.desiredCommit,
        state: 'WaitApplied',
        message: 'WaitApplied: no longer targeted; removing its objects from the cluster',
        isOrphaned: true,
        stateChangedAt: deployment.state !== 'WaitApplied' ? now : null,
        lastEnqueuedAt: now,
      });
    }
  }

  await writeDeploymentPlans(ctx.db, rows);
  if (toDelete.length > 0)
    await ctx.db.bundleDeployment.deleteMany({ where: { id: { in: toDelete } } });
  await ctx.queues.enqueueDeploys([...deploys, ...prunes]);
  await recordStateChanges({ ctx, changes });
  outcome.deploys = deploys.length;
  return outcome;
}

/** A plan row that keeps everything as it is. */
function planRowOf(deployment: BundleDeployment): DeploymentPlanRow {
  return {
    id: deployment.id,
    customization: deployment.customization,
    targetHash: deployment.targetHash,
    targetCommit: deployment.targetCommit,
    desiredHash: deployment.desiredHash,
    desiredCommit: deployment.desiredCommit,
    state: deployment.state,
    message: deployment.message,
    isOrphaned: deployment.isOrphaned,
    stateChangedAt: null,
    lastEnqueuedAt: null,
  };
}

function nextState({
  deployment,
  isOnline,
  needsDeploy,
  isBehind,
}: {
  deployment: BundleDeployment;
  isOnline: boolean;
  needsDeploy: boolean;
  isBehind: boolean;
}): DeploymentState {
  if (!isOnline) return 'Offline';
  if (needsDeploy) return 'WaitApplied';
  if (isBehind) return deployment.appliedHash === null ? 'Pending' : 'OutOfSync';
  // Up to date: the monitor owns the state (Ready, NotReady, Modified).
  return deployment.state === 'WaitApplied' ||
    deployment.state === 'OutOfSync' ||
    deployment.state === 'Pending'
    ? 'NotReady'
    : deployment.state;
}

function messageFor(
  state: DeploymentState,
  { isPaused, commit }: { isPaused: boolean; commit: string },
): string {
  switch (state) {
    case 'WaitApplied':
      return `WaitApplied: deploying commit ${commit.slice(0, 12)}`;
    case 'OutOfSync':
      return isPaused
        ? 'OutOfSync: the bundle is paused'
        : 'OutOfSync: waiting for the rollout to reach this cluster';
    case 'Pending':
      return isPaused
        ? 'Pending: the bundle is paused'
        : 'Pending: waiting for the rollout to reach this cluster';
    case 'Offline':
      return 'Offline: the cluster is unreachable';
    case 'NotReady':
      return 'NotReady: checking the cluster';
    case 'Ready':
    case 'Modified':
    case 'ErrApplied':
      return '';
    default: {
      const unknown: never = state;
      return String(unknown);
    }
  }
}

function isChanged(deployment: BundleDeployment, row: DeploymentPlanRow): boolean {
  return (
    deployment.customization !== row.customization ||
    deployment.targetHash !== row.targetHash ||
    deployment.targetCommit !== row.targetCommit ||
    deployment.desiredHash !== row.desiredHash ||
    deployment.desiredCommit !== row.desiredCommit ||
    deployment.state !== row.state ||
    deployment.message !== row.message ||
    deployment.isOrphaned !== row.isOrphaned ||
    row.lastEnqueuedAt !== null
  );
}

function change(
  deployment: BundleDeployment,
  toState: DeploymentState,
  message: string,
): StateChange {
  return {
    workspaceId: deployment.workspaceId,
    deploymentId: deployment.id,
    bundleId: deployment.bundleId,
    clusterId: deployment.clusterId,
    fromState: deployment.state,
    toState,
    message,
  };
}

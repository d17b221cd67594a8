import type { BundleOptions } from '../options/bundle-options.ts';
import { planRollout, type RolloutStatus } from '../rollout/plan-rollout.ts';
import type { DeploymentState } from '../state/deployment-states.ts';
import { stateMessage } from '../state/state-message.ts';
import { syncWindowVerdict, type SyncWindow } from '../sync-windows/sync-windows.ts';
import { firstMatchingTarget, selectTargetedClusters } from '../targeting/select-targets.ts';
import type { TargetLike } from '../targeting/match-target.ts';
import type { ClusterFacts, ClusterGroupFacts } from '../types.ts';
import { dependencyBlock, type DependencyFacts } from './resolve-dependencies.ts';

/** A cluster as planning sees it: targeting facts and whether it answers. */
export interface PlanCluster extends ClusterFacts {
  isOnline: boolean;
}

/** One customization's render at the bundle's commit: its revision, or why it failed. */
export interface PlanRender {
  customization: string;
  /** Null when the render failed. */
  revisionHash: string | null;
  error: string | null;
  /** How many objects the revision holds; absent when unknown (then it is never held as empty). */
  objectCount?: number | null;
  /** The cluster this render is for; "" or absent for a render every cluster shares. */
  clusterId?: string;
  /**
   * On a shared render: the customization's chart reads its cluster (lookup, Capabilities,
   * random values, valuesFrom), so each cluster has a render of its own.
   */
  isPerCluster?: boolean;
}

/** What planning reads of a stored BundleDeployment. */
export interface PlanDeployment {
  id: string;
  clusterId: string;
  customization: string;
  targetHash: string | null;
  targetCommit: string | null;
  desiredHash: string | null;
  desiredCommit: string | null;
  appliedHash: string | null;
  state: DeploymentState;
  message: string;
  isOrphaned: boolean;
  /** The last apply left objects on the cluster (its inventory is not empty). */
  hasInventory: boolean;
  /** How many objects the last apply left on the cluster (its inventory's length). */
  inventoryCount?: number;
  /** The revision an operator confirmed may prune all of this deployment's objects. */
  pruneConfirmedHash?: string | null;
  /** When the state last changed: a released cluster NotReady past the deadline is failing. */
  stateChangedAt?: Date | null;
  /** Why the last apply failed; null once one works. A deploy retrying it is still failing. */
  lastError?: string | null;
  /**
   * Every resource of the revision it runs was healthy at the last look (the monitor's or the
   * agent's counts). A deployment the rollout holds back is OutOfSync, which hides its health:
   * this says whether it is available while it waits.
   */
  isRunningReady?: boolean;
}

export interface PlanFacts {
  /** The commit the bundle was last rendered at; null before the first render. */
  commit: string | null;
  /** The bundle left Git, or its GitRepo was deleted: every deployment is orphaned. */
  isGone: boolean;
  /** Paused in the UI (the options file's `paused` is read from `options`). */
  isPaused: boolean;
  options: Pick<
    BundleOptions,
    'paused' | 'targetCustomizations' | 'rolloutStrategy' | 'keepResources' | 'allowEmpty'
  >;
  /** The bundle's targets (its own, else its GitRepo's). */
  targets: readonly TargetLike[];
  /** Every cluster of the workspace, in a stable order (rollout partitions are cut in it). */
  clusters: readonly PlanCluster[];
  groups: readonly ClusterGroupFacts[];
  renders: readonly PlanRender[];
  /** The bundle's deployments as stored. */
  deployments: readonly PlanDeployment[];
  /**
   * The bundle's dependsOn, resolved (resolveDependencies) with the clusters each dependency is
   * Ready on; absent when it has none. A deployment moves to a new revision only where every
   * dependency is done, and nowhere while the dependencies are in error.
   */
  dependencies?: DependencyFacts;
  /**
   * The workspace's sync windows: a deployment moves to a new revision only while the windows
   * targeting its cluster allow it (Argo CD's rules); a revision already on its way goes on.
   */
  syncWindows?: readonly SyncWindow[];
  /**
   * How many leading rollout partitions an operator promoted the rollout past, for `commit`
   * (a promotion of another commit does not count): their failures no longer halt it.
   */
  promotedPartitions?: number;
  /**
   * This plan runs again after an attempt that may have stopped between writing its rows and
   * queueing their deploys (its worker died, or Redis failed): the rows already say WaitApplied
   * at the wanted revision, so every deployment that needs a deploy gets one queued (job ids
   * de-duplicate against the ones that were queued).
   */
  isRerun?: boolean;
  now: Date;
}

/** A deployment row to insert before the plan's rows can be written. */
export interface PlanCreate {
  clusterId: string;
  customization: string;
  /** Set for a cluster whose customization failed to render: it shows up failing. */
  failure?: { state: 'ErrApplied'; message: string };
}

/** One deployment's new plan, written in one multi-row statement. */
export interface PlanRow {
  id: string;
  customization: string;
  targetHash: string | null;
  targetCommit: string | null;
  desiredHash: string | null;
  desiredCommit: string | null;
  state: DeploymentState;
  message: string;
  isOrphaned: boolean;
  /** Set when the state changes; null keeps the old time. */
  stateChangedAt: Date | null;
  /** Set when a deploy is queued with this write. */
  lastEnqueuedAt: Date | null;
}

export interface PlanStateChange {
  deploymentId: string;
  clusterId: string;
  fromState: DeploymentState;
  toState: DeploymentState;
  message: string;
}

export interface DeploymentsPlan {
  /**
   * Targeted clusters with no deployment yet. When there are any, the caller inserts them and
   * plans again with what it then reads: the rows below cover existing deployments only.
   */
  creates: PlanCreate[];
  rows: PlanRow[];
  changes: PlanStateChange[];
  /** isCorrection: re-apply the revision it runs, forced (one abandoned for it may have left changes). */
  deploys: { deploymentId: string; desiredHash: string; isCorrection?: boolean }[];
  /** Orphaned deployments whose objects must be removed from their cluster. */
  prunes: string[];
  /** Deployments to delete outright: never applied, or keepResources. */
  deletes: string[];
  /** Some targeted cluster's customization is not rendered at this commit yet. */
  needsRender: boolean;
  targeted: number;
  orphaned: number;
  /** The rollout's partitions and whether failures halted it, for the bundle's Rollout panel. */
  rollout: RolloutStatus;
}

/** A released cluster not Ready this long after its last state change is failing. */
export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

/** How a customization is keyed in BundleRender: its name, or its position when unnamed. */
export function customizationName(customization: { name?: string }, index: number): string {
  return customization.name || `#${index}`;
}

interface Wanted {
  cluster: ClusterFacts;
  isOnline: boolean;
  customization: string;
  hash: string;
  commit: string;
  objectCount: number | null;
}

/**
 * Decides which clusters get a bundle and at which revision: targets (Postgres) pick the
 * clusters, targetCustomizations (Git) pick each one's rendered revision, the rollout strategy
 * and pause decide which may move now. Deployments no longer targeted are orphaned (their
 * objects pruned) unless keepResources or nothing was ever applied, when they are deleted.
 * A targeted cluster whose customization is not rendered yet keeps what it has; one whose
 * customization failed to render keeps what it runs and says why. Pure: facts in, plan out.
 */
export function planDeployments(facts: PlanFacts): DeploymentsPlan {
  const { options, now, commit } = facts;
  const plan: DeploymentsPlan = {
    creates: [],
    rows: [],
    changes: [],
    deploys: [],
    prunes: [],
    deletes: [],
    needsRender: false,
    targeted: 0,
    orphaned: 0,
    rollout: { partitions: [], halted: null },
  };
  const renderByName = new Map(
    facts.renders
      .filter((render) => !render.clusterId)
      .map((render) => [render.customization, render]),
  );
  const clusterRenders = new Map(
    facts.renders
      .filter((render) => render.clusterId)
      .map((render) => [clusterRenderKey(render.customization, render.clusterId ?? ''), render]),
  );
  const wanted = new Map<string, Wanted>();
  const awaitingRender = new Set<string>();
  /** Per cluster: why its customization failed to render, and which customization it was. */
  const renderFailed = new Map<string, { error: string; customization: string }>();
  if (!facts.isGone && commit) {
    const isOnline = new Map(facts.clusters.map((cluster) => [cluster.id, cluster.isOnline]));
    for (const { cluster } of selectTargetedClusters(facts.targets, facts.clusters, facts.groups)) {
      const match = firstMatchingTarget(options.targetCustomizations, cluster, facts.groups);
      if (match?.doNotDeploy) continue;
      const name = match ? customizationName(match.target, match.index) : '';
      const shared = renderByName.get(name);
      const render = shared?.isPerCluster
        ? clusterRenders.get(clusterRenderKey(name, cluster.id))
        : shared;
      if (!render) {
        awaitingRender.add(cluster.id);
        continue;
      }
      if (!render.revisionHash) {
        renderFailed.set(cluster.id, {
          error: `the "${name || 'defaults'}" customization failed to render${render.clusterId ? ' for this cluster' : ''}: ${render.error ?? 'unknown error'}`,
          customization: name,
        });
        continue;
      }
      wanted.set(cluster.id, {
        cluster,
        isOnline: isOnline.get(cluster.id) ?? true,
        customization: name,
        hash: render.revisionHash,
        commit,
        objectCount: render.objectCount ?? null,
      });
    }
  }
  plan.needsRender = awaitingRender.size > 0;
  plan.targeted = wanted.size;

  const byCluster = new Map(
    facts.deployments.map((deployment) => [deployment.clusterId, deployment]),
  );
  for (const { cluster, customization } of wanted.values()) {
    if (!byCluster.has(cluster.id)) plan.creates.push({ clusterId: cluster.id, customization });
  }
  for (const [clusterId, { error, customization }] of renderFailed) {
    if (!byCluster.has(clusterId)) {
      // The customization that failed, not the defaults: the deployment page names it.
      plan.creates.push({
        clusterId,
        customization,
        failure: { state: 'ErrApplied', message: stateMessage({ state: 'ErrApplied', error }) },
      });
    }
  }

  const isPaused = facts.isPaused || options.paused;
  const deadlineMs =
    (options.rolloutStrategy?.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS) * 1000;
  const rollout = planRollout({
    strategy: options.rolloutStrategy ?? null,
    deployments: [...wanted.values()].map(({ cluster, hash }) => {
      const deployment = byCluster.get(cluster.id);
      const isUpToDate = deployment?.appliedHash === hash;
      const isDeploying = deployment?.desiredHash === hash && deployment.appliedHash !== hash;
      const isStuck =
        (isUpToDate || isDeploying) &&
        (deployment?.state === 'NotReady' || deployment?.state === 'WaitApplied') &&
        deployment.stateChangedAt != null &&
        now.getTime() - deployment.stateChangedAt.getTime() > deadlineMs;
      return {
        clusterId: cluster.id,
        cluster,
        isUpToDate,
        // Held back (OutOfSync, or Pending on a window or a prune confirmation) on a revision
        // that runs healthy is available: counting it unavailable would release it at once.
        isReady:
          deployment?.state === 'Ready' ||
          ((deployment?.state === 'OutOfSync' || deployment?.state === 'Pending') &&
            deployment.appliedHash !== null &&
            deployment.isRunningReady === true),
        isDeploying,
        // A deploy retrying a failed apply (WaitApplied with the last error kept) still fails.
        isFailing:
          deployment?.state === 'ErrApplied' ||
          (isDeploying && deployment.state === 'WaitApplied' && Boolean(deployment.lastError)) ||
          isStuck,
        message:
          deployment?.state === 'ErrApplied' || !deployment?.lastError
            ? (deployment?.message ?? '')
            : deployment.lastError,
      };
    }),
    groups: facts.groups,
    promotedPartitions: facts.promotedPartitions ?? 0,
  });
  plan.rollout = rollout.status;

  for (const {
    cluster,
    isOnline,
    customization,
    hash,
    commit: wantedCommit,
    objectCount,
  } of wanted.values()) {
    const deployment = byCluster.get(cluster.id);
    if (!deployment) continue;
    const doomed = deployment.inventoryCount ?? 0;
    // Argo CD's allowEmpty=false: a revision with no objects would prune everything this
    // deployment put on its cluster, which is far more often a mistake (a deleted manifest, a
    // glob that stopped matching) than the intent. It waits for an operator's confirmation of
    // this very revision, or for the bundle's `allowEmpty: true`.
    const isHeld =
      objectCount === 0 &&
      doomed > 0 &&
      options.allowEmpty !== true &&
      deployment.appliedHash !== hash &&
      deployment.pruneConfirmedHash !== hash;
    // Fleet checks dependsOn before each deploy: a revision already on its way is not held back.
    const block =
      deployment.appliedHash !== hash && deployment.desiredHash !== hash
        ? dependencyBlock(facts.dependencies, cluster.id)
        : null;
    // Argo CD checks the windows when a sync starts: what is already deploying is not stopped.
    const windowHold =
      facts.syncWindows?.length &&
      deployment.appliedHash !== hash &&
      deployment.desiredHash !== hash
        ? heldByWindow(syncWindowVerdict(facts.syncWindows, cluster, facts.groups, now))
        : null;
    const mayMove =
      !isHeld &&
      !isPaused &&
      block === null &&
      windowHold === null &&
      (rollout.allowed.has(cluster.id) ||
        deployment.appliedHash === hash ||
        deployment.desiredHash === hash);
    const desiredHash = mayMove ? hash : deployment.desiredHash;
    const desiredCommit = mayMove ? wantedCommit : deployment.desiredCommit;
    // Back to the revision it runs (a pin to an earlier commit, a revert) from one it was
    // moving to: a failed or interrupted apply of that one may have changed some objects, so
    // the running revision is applied again (forced, like a drift correction).
    const isAbandoned =
      desiredHash !== null &&
      desiredHash === deployment.appliedHash &&
      deployment.desiredHash !== null &&
      deployment.desiredHash !== deployment.appliedHash &&
      !isHeld;
    const needsDeploy =
      ((desiredHash !== null && desiredHash !== deployment.appliedHash) || isAbandoned) &&
      isOnline &&
      !isHeld;
    // A deploy already queued for this revision needs no second one (the sweeper re-queues lost
    // ones), unless an earlier run of this plan may have written the row without queueing it.
    const shouldEnqueue =
      needsDeploy &&
      (facts.isRerun === true ||
        deployment.desiredHash !== desiredHash ||
        deployment.state !== 'WaitApplied');
    const waiting = !isHeld && !isPaused && isOnline && !needsDeploy ? block : null;
    const outsideWindow =
      !isHeld && !isPaused && isOnline && !needsDeploy && !waiting ? windowHold : null;
    const state =
      isHeld && isOnline
        ? 'Pending'
        : waiting
          ? dependencyState(waiting, deployment)
          : outsideWindow
            ? 'Pending'
            : nextState({
                deployment,
                isOnline,
                needsDeploy,
                isBehind: hash !== deployment.appliedHash,
              });
    const message =
      isHeld && isOnline
        ? stateMessage({ state: 'Pending', why: 'confirmPrune', objects: doomed })
        : waiting
          ? dependencyMessage(waiting, wantedCommit, deployment)
          : outsideWindow
            ? stateMessage({ state: 'Pending', why: 'syncWindow', until: outsideWindow.until })
            : state === deployment.state &&
                // A wait on a dependency or a window is over: the message says why it waits now.
                !(
                  (facts.dependencies || facts.syncWindows?.length) &&
                  (state === 'Pending' || state === 'OutOfSync')
                )
              ? deployment.message
              : planMessage(state, { isPaused, commit: wantedCommit });
    const row: PlanRow = {
      id: deployment.id,
      customization,
      targetHash: hash,
      targetCommit: wantedCommit,
      desiredHash,
      desiredCommit,
      state,
      message,
      isOrphaned: false,
      stateChangedAt: state !== deployment.state ? now : null,
      lastEnqueuedAt: shouldEnqueue ? now : null,
    };
    if (isChanged(deployment, row)) plan.rows.push(row);
    if (state !== deployment.state) plan.changes.push(change(deployment, state, message));
    if (shouldEnqueue && desiredHash)
      plan.deploys.push({
        deploymentId: deployment.id,
        desiredHash,
        ...(isAbandoned ? { isCorrection: true } : {}),
      });
  }

  for (const deployment of facts.deployments) {
    if (wanted.has(deployment.clusterId) || awaitingRender.has(deployment.clusterId)) continue;
    const renderError = renderFailed.get(deployment.clusterId)?.error;
    if (renderError) {
      const message = stateMessage({ state: 'ErrApplied', error: renderError });
      if (deployment.state !== 'ErrApplied' || deployment.message !== message) {
        plan.rows.push({
          ...unchangedRow(deployment),
          state: 'ErrApplied',
          message,
          stateChangedAt: deployment.state !== 'ErrApplied' ? now : null,
        });
        if (deployment.state !== 'ErrApplied')
          plan.changes.push(change(deployment, 'ErrApplied', message));
      }
      continue;
    }
    // Never applied, or the user asked to keep what was deployed: nothing to remove.
    if (
      options.keepResources === true ||
      (deployment.appliedHash === null && !deployment.hasInventory)
    ) {
      plan.deletes.push(deployment.id);
      continue;
    }
    plan.orphaned += 1;
    if (!deployment.isOrphaned) {
      plan.prunes.push(deployment.id);
      plan.rows.push({
        id: deployment.id,
        customization: deployment.customization,
        targetHash: null,
        targetCommit: null,
        desiredHash: deployment.desiredHash,
        desiredCommit: deployment.desiredCommit,
        state: 'WaitApplied',
        message: stateMessage({ state: 'WaitApplied', why: 'pruning' }),
        isOrphaned: true,
        stateChangedAt: deployment.state !== 'WaitApplied' ? now : null,
        lastEnqueuedAt: now,
      });
    }
  }
  return plan;
}

function heldByWindow(
  verdict: ReturnType<typeof syncWindowVerdict>,
): { until: Date | null } | null {
  return verdict.isAllowed ? null : { until: verdict.until };
}

function clusterRenderKey(customization: string, clusterId: string): string {
  return JSON.stringify([customization, clusterId]);
}

/** A plan row that keeps everything as it is. */
function unchangedRow(deployment: PlanDeployment): PlanRow {
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
  deployment: PlanDeployment;
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

function dependencyState(
  block: NonNullable<ReturnType<typeof dependencyBlock>>,
  deployment: PlanDeployment,
): DeploymentState {
  if ('error' in block) return 'ErrApplied';
  return deployment.appliedHash === null ? 'Pending' : 'OutOfSync';
}

function dependencyMessage(
  block: NonNullable<ReturnType<typeof dependencyBlock>>,
  commit: string,
  deployment: PlanDeployment,
): string {
  if ('error' in block) return stateMessage({ state: 'ErrApplied', error: block.error });
  return deployment.appliedHash === null
    ? stateMessage({ state: 'Pending', why: 'dependency', bundle: block.waitingFor })
    : stateMessage({
        state: 'OutOfSync',
        why: 'dependency',
        revision: { commit },
        bundle: block.waitingFor,
      });
}

function planMessage(
  state: DeploymentState,
  { isPaused, commit }: { isPaused: boolean; commit: string },
): string {
  const revision = { commit };
  switch (state) {
    case 'WaitApplied':
      return stateMessage({ state, why: 'deploying', revision });
    case 'OutOfSync':
      return stateMessage({ state, why: isPaused ? 'paused' : 'rollout', revision });
    case 'Pending':
      return stateMessage({ state, why: isPaused ? 'paused' : 'rollout' });
    case 'Offline':
      return stateMessage({ state });
    case 'NotReady':
      return stateMessage({ state, summary: 'checking the cluster' });
    case 'Ready':
    case 'Modified':
    case 'ErrApplied':
      // Not decided by a plan: kept as the monitor or the deployer wrote it.
      return '';
    default:
      return state satisfies never;
  }
}

function isChanged(deployment: PlanDeployment, row: PlanRow): boolean {
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
  deployment: PlanDeployment,
  toState: DeploymentState,
  message: string,
): PlanStateChange {
  return {
    deploymentId: deployment.id,
    clusterId: deployment.clusterId,
    fromState: deployment.state,
    toState,
    message,
  };
}

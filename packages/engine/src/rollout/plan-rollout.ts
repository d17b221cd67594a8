import type { ClusterFacts, ClusterGroupFacts } from '../types.ts';
import { resolveLimit } from './limit.ts';
import { partitionDeployments, type RolloutStrategyLike } from './partition-deployments.ts';

export interface RolloutDeployment {
  clusterId: string;
  cluster: ClusterFacts;
  /** The applied revision is the desired one. */
  isUpToDate: boolean;
  /** Every resource of what runs now is healthy. False for a cluster that never got the bundle. */
  isReady: boolean;
  /** The desired revision was already handed to it (deploy queued or running). */
  isDeploying?: boolean;
  /**
   * Failing: its deploy failed (ErrApplied), or it has not become Ready within the progress
   * deadline. Failing clusters of a released partition may halt the rollout.
   */
  isFailing?: boolean;
  /** Why it fails (the deployment's message), shown with a halted rollout. */
  message?: string;
}

/** One partition as the bundle's rollout status shows it. */
export interface RolloutPartitionStatus {
  name: string;
  clusters: number;
  /** Its clusters, in rollout order (the Rollout panel draws a cell for each). */
  clusterIds: string[];
  /** Clusters whose applied revision is the desired one. */
  upToDate: number;
  /** Clusters up to date and Ready. */
  done: number;
  /** Clusters Ready (whatever revision they run). */
  ready: number;
  failing: number;
  /** Clusters given the desired revision and not done yet. */
  inProgress: number;
  /** Clusters out of date and not given the desired revision (held by the rollout). */
  waiting: number;
  /** The whole partition waits for an earlier one. */
  isWaiting: boolean;
  /** An operator promoted the rollout past this partition for the current commit. */
  isPromoted: boolean;
}

/** Where a rollout stopped on failures, for the operator to promote past or retry. */
export interface RolloutHalt {
  /** 1-based position of the halted partition. */
  partition: number;
  of: number;
  name: string;
  failing: { clusterId: string; clusterName: string; message: string }[];
}

export interface RolloutStatus {
  partitions: RolloutPartitionStatus[];
  halted: RolloutHalt | null;
}

export interface PartitionPlan {
  name: string;
  clusterIds: string[];
  maxUnavailable: number;
  /** Clusters not yet up to date or not ready, counting the ones released by this plan. */
  unavailable: number;
  /** Every cluster is up to date and ready. */
  isDone: boolean;
  /** The rollout stopped before this partition: an earlier one is still too unavailable. */
  isWaiting: boolean;
  /** Released, and more of its clusters fail than its maxUnavailable (at least one). */
  isHalted: boolean;
}

export interface RolloutPlan {
  /** Out-of-date deployments that may get the desired revision now. */
  allowed: Set<string>;
  partitions: PartitionPlan[];
  maxUnavailable: number;
  maxUnavailablePartitions: number;
  /** What the bundle's Rollout panel shows. */
  status: RolloutStatus;
}

export interface PlanRolloutInput {
  strategy?: RolloutStrategyLike | null;
  /** In a stable order (by cluster name, say): automatic partitions are cut in this order. */
  deployments: readonly RolloutDeployment[];
  groups: readonly ClusterGroupFacts[];
  /**
   * How many leading partitions an operator promoted the rollout past for the desired commit:
   * their failing clusters neither halt the rollout nor count as unavailable.
   */
  promotedPartitions?: number;
}

/**
 * Which out-of-date deployments may receive the new revision now, by Fleet's rolloutStrategy
 * (target/partition.go, UpdatePartitions). Partitions are walked in order; in each, a cluster
 * is released while fewer than maxUnavailable clusters are unavailable, both fleet-wide and in
 * the partition, and releasing it makes it unavailable. A cluster already unavailable is always
 * released: updating it costs nothing. After each partition, one with more than its
 * maxUnavailable clusters not up to date or not ready counts as unavailable; once more than
 * maxUnavailablePartitions are, later partitions wait. With the defaults (100%, 0) every
 * cluster is released at once.
 *
 * Halting (Argo Rollouts' progress deadline, Fleet has none): a released partition in which
 * failing clusters (ErrApplied, or not Ready past the progress deadline) use up its budget —
 * at least one fails and no fewer than its maxUnavailable — halts the rollout if a partition
 * follows it: nothing more in
 * it is released (its budget is spent) and later partitions wait whatever
 * maxUnavailablePartitions allows, until an operator promotes the rollout past it
 * (promotedPartitions) or the failures clear (a retry that works, a new commit).
 *
 * The planner is stateless: run it on every plan pass. Left out from Fleet: maxNew (a cap on
 * new deployments per pass) and per-deployment pause; the caller holds back a paused bundle.
 */
export function planRollout({
  strategy,
  deployments,
  groups,
  promotedPartitions = 0,
}: PlanRolloutInput): RolloutPlan {
  const rollout = strategy ?? {};
  const isUnavailableAt = (deployment: RolloutDeployment): boolean =>
    !deployment.isReady || (!deployment.isUpToDate && deployment.isDeploying === true);

  const maxUnavailable = resolveLimit(
    deployments.length,
    rollout.maxUnavailable,
    '100%',
    'rolloutStrategy.maxUnavailable',
  );
  const partitions = partitionDeployments(rollout, deployments, groups);
  const maxUnavailablePartitions = resolveLimit(
    partitions.length,
    rollout.maxUnavailablePartitions,
    0,
    'rolloutStrategy.maxUnavailablePartitions',
  );

  // A failing cluster of a promoted partition no longer counts against any budget.
  const forgiven = new Set(
    partitions
      .slice(0, promotedPartitions)
      .flatMap((partition) => partition.members)
      .filter((deployment) => deployment.isFailing === true)
      .map((deployment) => deployment.clusterId),
  );
  const isUnavailable = (deployment: RolloutDeployment): boolean =>
    !forgiven.has(deployment.clusterId) && isUnavailableAt(deployment);

  const allowed = new Set<string>();
  let unavailable = deployments.filter(isUnavailable).length;
  let unavailablePartitions = 0;
  let halted: RolloutHalt | null = null;
  const plans = partitions.map((partition, index): PartitionPlan => {
    const isWaiting = halted !== null || unavailablePartitions > maxUnavailablePartitions;
    if (!isWaiting) {
      let partitionUnavailable = partition.members.filter(isUnavailable).length;
      for (const deployment of partition.members) {
        if (deployment.isUpToDate) continue;
        if (isUnavailable(deployment) || forgiven.has(deployment.clusterId)) {
          allowed.add(deployment.clusterId);
        } else if (
          unavailable < maxUnavailable &&
          partitionUnavailable < partition.maxUnavailable
        ) {
          allowed.add(deployment.clusterId);
          unavailable += 1;
          partitionUnavailable += 1;
        }
      }
    }
    const notDone = partition.members.filter(
      (deployment) =>
        !forgiven.has(deployment.clusterId) && (!deployment.isUpToDate || !deployment.isReady),
    ).length;
    if (!isWaiting && notDone > partition.maxUnavailable) unavailablePartitions += 1;
    const failing = partition.members.filter(
      (deployment) => deployment.isFailing === true && !forgiven.has(deployment.clusterId),
    );
    // The last partition holds nothing back: its failures show on its clusters alone.
    const isHalted =
      !isWaiting &&
      index < partitions.length - 1 &&
      failing.length > 0 &&
      failing.length >= partition.maxUnavailable;
    if (isHalted) {
      halted = {
        partition: index + 1,
        of: partitions.length,
        name: partition.name,
        failing: failing.map((deployment) => ({
          clusterId: deployment.clusterId,
          clusterName: deployment.cluster.name,
          message: deployment.message ?? '',
        })),
      };
    }
    return {
      name: partition.name,
      clusterIds: partition.members.map((deployment) => deployment.clusterId),
      maxUnavailable: partition.maxUnavailable,
      unavailable: notDone,
      isDone: notDone === 0,
      isWaiting,
      isHalted,
    };
  });
  const status: RolloutStatus = {
    partitions: partitions.map((partition, index) => {
      const members = partition.members;
      const given = (deployment: RolloutDeployment) =>
        deployment.isUpToDate ||
        deployment.isDeploying === true ||
        allowed.has(deployment.clusterId);
      const isDone = (deployment: RolloutDeployment) => deployment.isUpToDate && deployment.isReady;
      return {
        name: partition.name,
        clusters: members.length,
        clusterIds: members.map((deployment) => deployment.clusterId),
        upToDate: members.filter((deployment) => deployment.isUpToDate).length,
        done: members.filter(isDone).length,
        ready: members.filter((deployment) => deployment.isReady).length,
        failing: members.filter((deployment) => deployment.isFailing === true).length,
        inProgress: members.filter((deployment) => given(deployment) && !isDone(deployment)).length,
        waiting: members.filter((deployment) => !given(deployment)).length,
        isWaiting: plans[index]?.isWaiting ?? false,
        isPromoted: index < promotedPartitions,
      };
    }),
    halted,
  };
  return { allowed, partitions: plans, maxUnavailable, maxUnavailablePartitions, status };
}

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
}

export interface RolloutPlan {
  /** Out-of-date deployments that may get the desired revision now. */
  allowed: Set<string>;
  partitions: PartitionPlan[];
  maxUnavailable: number;
  maxUnavailablePartitions: number;
}

export interface PlanRolloutInput {
  strategy?: RolloutStrategyLike | null;
  /** In a stable order (by cluster name, say): automatic partitions are cut in this order. */
  deployments: readonly RolloutDeployment[];
  groups: readonly ClusterGroupFacts[];
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
 * The planner is stateless: run it on every plan pass. Left out from Fleet: maxNew (a cap on
 * new deployments per pass) and per-deployment pause; the caller holds back a paused bundle.
 */
export function planRollout({ strategy, deployments, groups }: PlanRolloutInput): RolloutPlan {
  const rollout = strategy ?? {};
  const isUnavailable = (deployment: RolloutDeployment): boolean =>
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

  const allowed = new Set<string>();
  let unavailable = deployments.filter(isUnavailable).length;
  let unavailablePartitions = 0;
  const plans = partitions.map((partition): PartitionPlan => {
    const isWaiting = unavailablePartitions > maxUnavailablePartitions;
    if (!isWaiting) {
      let partitionUnavailable = partition.members.filter(isUnavailable).length;
      for (const deployment of partition.members) {
        if (deployment.isUpToDate) continue;
        if (isUnavailable(deployment)) {
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
      (deployment) => !deployment.isUpToDate || !deployment.isReady,
    ).length;
    if (!isWaiting && notDone > partition.maxUnavailable) unavailablePartitions += 1;
    return {
      name: partition.name,
      clusterIds: partition.members.map((deployment) => deployment.clusterId),
      maxUnavailable: partition.maxUnavailable,
      unavailable: notDone,
      isDone: notDone === 0,
      isWaiting,
    };
  });
  return { allowed, partitions: plans, maxUnavailable, maxUnavailablePartitions };
}

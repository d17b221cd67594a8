import type { ClusterFacts, ClusterGroupFacts } from '../types.ts';
import {
  clusterGroupsOf,
  matchTargetInGroups,
  type TargetLike,
} from '../targeting/match-target.ts';
import { resolveLimit, type IntOrPercent } from './limit.ts';

/** A partition of rolloutStrategy.partitions: which clusters (target fields) and its own budget. */
export interface PartitionLike extends TargetLike {
  name?: string | null;
  /** Clusters of this partition that may be unavailable; defaults to the strategy's maxUnavailable. */
  maxUnavailable?: IntOrPercent | null;
}

/** Fleet's RolloutStrategy, as the options file gives it. */
export interface RolloutStrategyLike {
  /** Clusters that may be unavailable during an update; default "100%" (no limit). */
  maxUnavailable?: IntOrPercent | null;
  /** Partitions that may be unavailable before later ones wait; default 0. */
  maxUnavailablePartitions?: IntOrPercent | null;
  /** Size of automatic partitions when none are listed; default "25%". */
  autoPartitionSize?: IntOrPercent | null;
  /** Fewer targeted clusters than this make one partition; default 200, as in Fleet. */
  autoPartitionThreshold?: number | null;
  partitions?: readonly PartitionLike[] | null;
}

export interface Partitioned<D> {
  name: string;
  members: D[];
  maxUnavailable: number;
}

const AUTO_PARTITION_SIZE = '25%';
const AUTO_PARTITION_THRESHOLD = 200;
const NO_LIMIT = '100%';

/**
 * Splits the deployments into partitions, in rollout order (Fleet's target/rollout.go). Listed
 * partitions come first, each cluster in the first one that matches it; clusters no listed
 * partition matches follow in automatic partitions, which is what Fleet documents (its code
 * leaves them out, so they would never be updated).
 */
export function partitionDeployments<D extends { cluster: ClusterFacts }>(
  strategy: RolloutStrategyLike,
  deployments: readonly D[],
  groups: readonly ClusterGroupFacts[],
): Partitioned<D>[] {
  const listed = strategy.partitions ?? [];
  if (listed.length === 0) return autoPartitions(strategy, deployments, 'All');

  const members: D[][] = listed.map(() => []);
  const rest: D[] = [];
  for (const deployment of deployments) {
    const memberOf = clusterGroupsOf(deployment.cluster, groups);
    const index = listed.findIndex((partition) =>
      matchTargetInGroups(partition, deployment.cluster, memberOf),
    );
    (members[index] ?? rest).push(deployment);
  }
  const partitions = listed.map((partition, index): Partitioned<D> => {
    const chosen = members[index] ?? [];
    const budget = partition.maxUnavailable ?? strategy.maxUnavailable;
    return {
      name: partition.name || `Partition ${index + 1}`,
      members: chosen,
      maxUnavailable: resolveLimit(
        chosen.length,
        budget,
        NO_LIMIT,
        `rolloutStrategy.partitions[${index}].maxUnavailable`,
      ),
    };
  });
  return rest.length === 0
    ? partitions
    : [...partitions, ...autoPartitions(strategy, rest, 'Unpartitioned')];
}

function autoPartitions<D>(
  strategy: RolloutStrategyLike,
  deployments: readonly D[],
  singleName: string,
): Partitioned<D>[] {
  const size = strategy.autoPartitionSize;
  const threshold = strategy.autoPartitionThreshold ?? AUTO_PARTITION_THRESHOLD;
  const isAutoDisabled =
    (typeof size === 'number' && size <= 0) || threshold <= 0 || deployments.length < threshold;
  if (isAutoDisabled) return [single(strategy, singleName, [...deployments])];

  const chunk = resolveLimit(
    deployments.length,
    size,
    AUTO_PARTITION_SIZE,
    'rolloutStrategy.autoPartitionSize',
  );
  const partitions: Partitioned<D>[] = [];
  for (let offset = 0; offset < deployments.length; offset += chunk) {
    const members = deployments.slice(offset, offset + chunk);
    partitions.push(single(strategy, `Partition ${offset} - ${offset + members.length}`, members));
  }
  return partitions;
}

function single<D>(strategy: RolloutStrategyLike, name: string, members: D[]): Partitioned<D> {
  const maxUnavailable = resolveLimit(
    members.length,
    strategy.maxUnavailable,
    NO_LIMIT,
    'rolloutStrategy.maxUnavailable',
  );
  return { name, members, maxUnavailable };
}

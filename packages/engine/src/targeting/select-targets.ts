import type { ClusterFacts, ClusterGroupFacts } from '../types.ts';
import { clusterGroupsOf, matchTargetInGroups, type TargetLike } from './match-target.ts';

export interface TargetMatch<T extends TargetLike> {
  /** Position of the matching target in the list. */
  index: number;
  target: T;
  /** The target is a targetCustomization with doNotDeploy: the cluster is claimed but gets nothing. */
  doNotDeploy: boolean;
}

/** The first target that matches the cluster, as Fleet picks it: order decides, not specificity. */
export function firstMatchingTarget<T extends TargetLike>(
  targets: readonly T[],
  cluster: ClusterFacts,
  groups: readonly ClusterGroupFacts[],
): TargetMatch<T> | undefined {
  const memberOf = clusterGroupsOf(cluster, groups);
  const index = targets.findIndex((target) => matchTargetInGroups(target, cluster, memberOf));
  const target = targets[index];
  if (target === undefined) return undefined;
  return { index, target, doNotDeploy: target.doNotDeploy === true };
}

export interface TargetedCluster<T extends TargetLike> extends TargetMatch<T> {
  cluster: ClusterFacts;
}

/**
 * The clusters some target matches, each with the first target that did, in the order of
 * `clusters`. Previews show doNotDeploy matches too; the planner skips them.
 */
export function selectTargetedClusters<T extends TargetLike>(
  targets: readonly T[],
  clusters: readonly ClusterFacts[],
  groups: readonly ClusterGroupFacts[],
): TargetedCluster<T>[] {
  const selected: TargetedCluster<T>[] = [];
  for (const cluster of clusters) {
    const match = firstMatchingTarget(targets, cluster, groups);
    if (match) selected.push({ cluster, ...match });
  }
  return selected;
}

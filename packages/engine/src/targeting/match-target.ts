import type { ClusterFacts, ClusterGroupFacts, LabelSelector } from '../types.ts';
import { matchesSelector } from '../selectors/match-selector.ts';

/**
 * What targeting reads of a target: the Target of the API, a targetCustomization of the options
 * file and a rollout partition all have this shape. Empty strings and nulls count as absent.
 */
export interface TargetLike {
  name?: string | null;
  clusterName?: string | null;
  clusterSelector?: LabelSelector | null;
  clusterGroup?: string | null;
  clusterGroupSelector?: LabelSelector | null;
  /** targetCustomizations only: the cluster is matched (so later entries are not tried) but gets nothing. */
  doNotDeploy?: boolean | null;
}

/** The groups whose selector matches the cluster's labels. */
export function clusterGroupsOf(
  cluster: ClusterFacts,
  groups: readonly ClusterGroupFacts[],
): ClusterGroupFacts[] {
  return groups.filter((group) => matchesSelector(group.selector, cluster.labels));
}

/** The clusters a group's selector matches. */
export function groupMembers(
  group: ClusterGroupFacts,
  clusters: readonly ClusterFacts[],
): ClusterFacts[] {
  return clusters.filter((cluster) => matchesSelector(group.selector, cluster.labels));
}

/**
 * Fleet's rule (target/matcher/clustermatcher.go): each field the target gives is a criterion and
 * all must hold; a target that gives none matches no cluster, so an empty `{}` entry cannot
 * deploy everywhere by accident. An empty selector `{}` is given, and matches every cluster.
 *
 * clusterGroup and clusterGroupSelector must hold for the same group, since Fleet evaluates a
 * target once per group the cluster belongs to. Unlike Fleet, a clusterGroupSelector never
 * matches a cluster that is in no group: Fleet tests it against an empty label set there, so
 * `clusterGroupSelector: {}` would select group-less clusters too, which no reader expects.
 */
export function matchTarget(
  target: TargetLike,
  cluster: ClusterFacts,
  groups: readonly ClusterGroupFacts[],
): boolean {
  return matchTargetInGroups(target, cluster, clusterGroupsOf(cluster, groups));
}

/** matchTarget with the cluster's own groups already worked out (see clusterGroupsOf). */
export function matchTargetInGroups(
  target: TargetLike,
  cluster: ClusterFacts,
  memberOf: readonly ClusterGroupFacts[],
): boolean {
  const { clusterName, clusterSelector, clusterGroup, clusterGroupSelector } = target;
  const hasGroupCriteria = Boolean(clusterGroup) || clusterGroupSelector != null;
  if (!clusterName && clusterSelector == null && !hasGroupCriteria) return false;
  if (clusterName && clusterName !== cluster.name) return false;
  if (clusterSelector != null && !matchesSelector(clusterSelector, cluster.labels)) return false;
  if (!hasGroupCriteria) return true;
  return memberOf.some(
    (group) =>
      (!clusterGroup || group.name === clusterGroup) &&
      (clusterGroupSelector == null || matchesSelector(clusterGroupSelector, group.labels)),
  );
}

/**
 * Whether a target selects through this group: it names the group, or its clusterGroupSelector
 * matches the group's labels (and any clusterGroup it gives is this one). The group's detail
 * page lists the bundles for which this holds; other fields of the target may narrow further.
 */
export function targetSelectsThroughGroup(target: TargetLike, group: ClusterGroupFacts): boolean {
  const { clusterGroup, clusterGroupSelector } = target;
  if (!clusterGroup && clusterGroupSelector == null) return false;
  if (clusterGroup && clusterGroup !== group.name) return false;
  return clusterGroupSelector == null || matchesSelector(clusterGroupSelector, group.labels);
}

import type { BundleOptions } from '../options/bundle-options.ts';
import { firstMatchingTarget, selectTargetedClusters } from '../targeting/select-targets.ts';
import type { TargetLike } from '../targeting/match-target.ts';
import type { ClusterFacts, ClusterGroupFacts } from '../types.ts';
import { customizationName } from './plan-deployments.ts';

/**
 * Which customization each targeted cluster renders with, as planning picks it (targets select
 * the cluster, the first matching targetCustomization names its copy, "" for none); clusters
 * that a doNotDeploy customization claims get nothing. The renderer asks this to know which
 * clusters need a render of their own.
 */
export function customizationsOfClusters({
  targets,
  clusters,
  groups,
  options,
}: {
  targets: readonly TargetLike[];
  clusters: readonly ClusterFacts[];
  groups: readonly ClusterGroupFacts[];
  options: Pick<BundleOptions, 'targetCustomizations'>;
}): { clusterId: string; customization: string }[] {
  const result: { clusterId: string; customization: string }[] = [];
  for (const { cluster } of selectTargetedClusters(targets, clusters, groups)) {
    const match = firstMatchingTarget(options.targetCustomizations, cluster, groups);
    if (match?.doNotDeploy) continue;
    result.push({
      clusterId: cluster.id,
      customization: match ? customizationName(match.target, match.index) : '',
    });
  }
  return result;
}

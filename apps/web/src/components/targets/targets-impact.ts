import type { TargetPayload } from './target-drafts.ts';

export interface NamedCluster {
  id: string;
  name: string;
}

/** What saving would change: the clusters that start and stop getting the bundle, by name. */
export interface TargetsImpact {
  gained: NamedCluster[];
  lost: NamedCluster[];
}

const byName = (a: NamedCluster, b: NamedCluster) => a.name.localeCompare(b.name);

/** The difference between the clusters selected now and the ones the edited targets select. */
export function targetsImpact(
  before: readonly NamedCluster[],
  after: readonly NamedCluster[],
): TargetsImpact {
  const beforeIds = new Set(before.map((cluster) => cluster.id));
  const afterIds = new Set(after.map((cluster) => cluster.id));
  return {
    gained: after.filter((cluster) => !beforeIds.has(cluster.id)).sort(byName),
    lost: before.filter((cluster) => !afterIds.has(cluster.id)).sort(byName),
  };
}

/** "a, b and c" (then "and N more" past `max`), for a sentence that names clusters. */
export function nameList(clusters: readonly NamedCluster[], max = 10): string {
  const names = clusters.slice(0, max).map((cluster) => cluster.name);
  const rest = clusters.length - names.length;
  if (rest > 0) return `${names.join(', ')} and ${rest} more`;
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/**
 * One target in words: every field given must hold (they combine with AND), so the sentence
 * lists them joined by "and". An empty target matches nothing, which the API refuses.
 */
export function describeTarget(target: TargetPayload): string {
  const conditions: string[] = [];
  if (target.clusterName !== undefined) conditions.push(`is named "${target.clusterName}"`);
  // The empty selector object ("every cluster") adds no condition of its own.
  const isEveryCluster =
    target.clusterSelector !== undefined && typeof target.clusterSelector !== 'string';
  if (typeof target.clusterSelector === 'string')
    conditions.push(`has labels matching ${target.clusterSelector}`);
  if (target.clusterGroup !== undefined)
    conditions.push(`is in the cluster group "${target.clusterGroup}"`);
  if (target.clusterGroupSelector !== undefined)
    conditions.push(`is in a cluster group labelled ${target.clusterGroupSelector}`);
  if (conditions.length === 0 && isEveryCluster) return 'Selects every cluster.';
  if (conditions.length === 0)
    return 'Fill in at least one field: an empty target selects no cluster.';
  if (conditions.length === 1) return `Selects a cluster that ${conditions[0]}.`;
  return `Selects a cluster only if it ${conditions.join(' and ')} (all must hold).`;
}

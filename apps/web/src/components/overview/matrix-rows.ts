import type { FleetMatrix } from '@/client/types.ts';

export type MatrixCluster = FleetMatrix['clusters'][number];
export type MatrixCell = FleetMatrix['cells'][number];

export type MatrixRow =
  | { kind: 'group'; id: string; label: string; count: number }
  | { kind: 'cluster'; id: string; cluster: MatrixCluster };

/** Every label key the clusters carry, sorted: the "group by" choices. */
export function labelKeys(clusters: readonly MatrixCluster[]): string[] {
  const keys = new Set<string>();
  for (const cluster of clusters) for (const key of Object.keys(cluster.labels)) keys.add(key);
  return [...keys].sort((a, b) => a.localeCompare(b));
}

/**
 * The matrix's rows: the clusters in the server's order, or, grouped by a label key, a header
 * row per value (sorted, clusters without the label last) followed by its clusters.
 */
export function buildRows(clusters: readonly MatrixCluster[], groupBy: string): MatrixRow[] {
  if (!groupBy) return clusters.map((cluster) => ({ kind: 'cluster', id: cluster.id, cluster }));
  const groups = new Map<string | null, MatrixCluster[]>();
  for (const cluster of clusters) {
    const value = Object.hasOwn(cluster.labels, groupBy) ? (cluster.labels[groupBy] ?? null) : null;
    const members = groups.get(value) ?? [];
    members.push(cluster);
    groups.set(value, members);
  }
  const values = [...groups.keys()].sort((a, b) =>
    a === null ? 1 : b === null ? -1 : a.localeCompare(b),
  );
  return values.flatMap((value): MatrixRow[] => {
    const members = groups.get(value) ?? [];
    const label = value === null ? `no ${groupBy} label` : `${groupBy}=${value}`;
    return [
      {
        kind: 'group',
        id: value === null ? 'group-none' : `group=${value}`,
        label,
        count: members.length,
      },
      ...members.map((cluster): MatrixRow => ({ kind: 'cluster', id: cluster.id, cluster })),
    ];
  });
}

export function cellKey(clusterId: string, bundleId: string): string {
  return `${clusterId}/${bundleId}`;
}

export function indexCells(cells: readonly MatrixCell[]): Map<string, MatrixCell> {
  return new Map(cells.map((cell) => [cellKey(cell.clusterId, cell.bundleId), cell]));
}

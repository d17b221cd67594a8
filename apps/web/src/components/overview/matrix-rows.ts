import { DEPLOYMENT_STATES } from '../../client/states.ts';
import type { CompactFleetMatrix, DeploymentState } from '@/client/types.ts';

export type MatrixCluster = CompactFleetMatrix['clusters'][number];
/** A cluster as a row: its cell letters, one per bundle of the answer (see `column`). */
export type MatrixClusterRow = MatrixCluster & { letters: string };
/** A bundle as a column: `column` is its place in the answer's rows (a letter's index). */
export type MatrixBundle = CompactFleetMatrix['bundles'][number] & { column: number };
export type Legend = CompactFleetMatrix['legend'];

export type MatrixRow =
  | { kind: 'group'; id: string; label: string; count: number }
  | { kind: 'cluster'; id: string; cluster: MatrixClusterRow };

/** What the state cards filter by: everything, everything but Ready, or one state. */
export type StateFilter = 'all' | 'problems' | DeploymentState;
export type RowSort = 'name' | 'severity';

export const PROBLEM_STATES: readonly DeploymentState[] = DEPLOYMENT_STATES.filter(
  (state) => state !== 'Ready',
);

export function parseStateFilter(value: string | null | undefined): StateFilter {
  if (value === 'problems') return 'problems';
  return DEPLOYMENT_STATES.find((state) => state === value) ?? 'all';
}

export function parseRowSort(value: string | null | undefined): RowSort {
  return value === 'severity' ? 'severity' : 'name';
}

export function statesOf(filter: StateFilter): ReadonlySet<DeploymentState> {
  if (filter === 'all') return new Set(DEPLOYMENT_STATES);
  return new Set(filter === 'problems' ? PROBLEM_STATES : [filter]);
}

/** "demo-2" before "demo-10", case ignored: how a person counts, not how bytes compare. */
const NATURAL = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
export const naturalCompare = (left: string, right: string): number =>
  NATURAL.compare(left, right) || (left < right ? -1 : left > right ? 1 : 0);

/** 0 for the worst state (Offline) up to Ready; no deployment ranks after every state. */
const RANK: ReadonlyMap<DeploymentState, number> = new Map(
  DEPLOYMENT_STATES.map((state, index) => [state, index]),
);
const NO_RANK = DEPLOYMENT_STATES.length;

export interface MatrixModel {
  legend: Legend;
  /** The rows shown, in the chosen order. */
  clusters: MatrixClusterRow[];
  /** Every row of the answer, whatever the state filter. */
  allClusters: MatrixClusterRow[];
  /** The columns shown, by name. */
  bundles: MatrixBundle[];
  /** Deployments among the rows and columns shown. */
  deployments: number;
}

/**
 * The matrix as shown: the answer's clusters and bundles, narrowed by the state filter (a row
 * or a column stays when one of its cells is in a chosen state), rows in natural name order or
 * worst first (worst state, then how many cells are in it, then name).
 */
export function buildMatrixModel(
  matrix: CompactFleetMatrix,
  { filter = 'all', sort = 'name' }: { filter?: StateFilter; sort?: RowSort } = {},
): MatrixModel {
  const { legend } = matrix;
  const wanted = statesOf(filter);
  const isWanted = new Map<string, boolean>(
    Object.entries(legend).map(([letter, state]) => [letter, state !== null && wanted.has(state)]),
  );
  const allBundles = matrix.bundles.map((bundle, column) => ({ ...bundle, column }));
  const allClusters: MatrixClusterRow[] = matrix.clusters.map((cluster, index) => ({
    ...cluster,
    letters: matrix.rows[index] ?? '',
  }));
  let clusters = allClusters;
  let bundles = allBundles;
  if (filter !== 'all') {
    const hasColumn = new Array<boolean>(allBundles.length).fill(false);
    clusters = clusters.filter((cluster) => {
      let isKept = false;
      for (let column = 0; column < cluster.letters.length; column += 1) {
        if (isWanted.get(cluster.letters[column]!)) {
          isKept = true;
          hasColumn[column] = true;
        }
      }
      return isKept;
    });
    bundles = allBundles.filter((bundle) => hasColumn[bundle.column]);
  }
  if (clusters === allClusters) clusters = [...allClusters];
  bundles = [...bundles].sort((left, right) => naturalCompare(left.name, right.name));

  const rankOf = new Map<string, number>(
    Object.entries(legend).map(([letter, state]) => [
      letter,
      state === null ? NO_RANK : (RANK.get(state) ?? NO_RANK),
    ]),
  );
  const severity = new Map<string, { rank: number; count: number }>();
  let deployments = 0;
  for (const cluster of clusters) {
    let rank = NO_RANK;
    let count = 0;
    for (const bundle of bundles) {
      const cellRank = rankOf.get(cluster.letters[bundle.column] ?? '') ?? NO_RANK;
      if (cellRank < NO_RANK) deployments += 1;
      if (cellRank < rank) [rank, count] = [cellRank, 1];
      else if (cellRank === rank) count += 1;
    }
    severity.set(cluster.id, { rank, count });
  }
  clusters.sort((left, right) => {
    if (sort === 'severity') {
      const a = severity.get(left.id)!;
      const b = severity.get(right.id)!;
      if (a.rank !== b.rank) return a.rank - b.rank;
      if (a.count !== b.count) return b.count - a.count;
    }
    return naturalCompare(left.name, right.name);
  });
  return { legend, clusters, allClusters, bundles, deployments };
}

/** The state of a cell, or null where the cluster has no deployment of the bundle. */
export function stateAt(
  legend: Legend,
  cluster: MatrixClusterRow,
  bundle: MatrixBundle,
): DeploymentState | null {
  return legend[cluster.letters[bundle.column] ?? '.'] ?? null;
}

/** Every label key the clusters carry, sorted: the "group by" choices. */
export function labelKeys(clusters: readonly MatrixCluster[]): string[] {
  const keys = new Set<string>();
  for (const cluster of clusters) for (const key of Object.keys(cluster.labels)) keys.add(key);
  return [...keys].sort((a, b) => a.localeCompare(b));
}

/**
 * The matrix's rows: the clusters in the model's order, or, grouped by a label key, a header
 * row per value (sorted, clusters without the label last) followed by its clusters.
 */
export function buildRows(clusters: readonly MatrixClusterRow[], groupBy: string): MatrixRow[] {
  if (!groupBy) return clusters.map((cluster) => ({ kind: 'cluster', id: cluster.id, cluster }));
  const groups = new Map<string | null, MatrixClusterRow[]>();
  for (const cluster of clusters) {
    const value = Object.hasOwn(cluster.labels, groupBy) ? (cluster.labels[groupBy] ?? null) : null;
    const members = groups.get(value) ?? [];
    members.push(cluster);
    groups.set(value, members);
  }
  const values = [...groups.keys()].sort((a, b) =>
    a === null ? 1 : b === null ? -1 : naturalCompare(a, b),
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

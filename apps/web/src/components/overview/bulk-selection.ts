import { pluralize } from '../../client/format.ts';
import type { DeploymentState } from '@/client/types.ts';
import {
  cellKey,
  stateAt,
  type MatrixBundle,
  type MatrixClusterRow,
  type MatrixModel,
} from './matrix-rows.ts';

/** A chosen deployment, as the bulk endpoint names it. */
export interface SelectedCell {
  clusterId: string;
  bundleId: string;
  state: DeploymentState;
}

export type BulkAction = 'correct-drift' | 'retry' | 'pause' | 'resume';

/** The cells with a deployment among `clusters` x `bundles` (a row, a column, or one cell). */
export function cellsIn(
  model: MatrixModel,
  clusters: readonly MatrixClusterRow[],
  bundles: readonly MatrixBundle[],
): SelectedCell[] {
  const cells: SelectedCell[] = [];
  for (const cluster of clusters) {
    for (const bundle of bundles) {
      const state = stateAt(model.legend, cluster, bundle);
      if (state) cells.push({ clusterId: cluster.id, bundleId: bundle.id, state });
    }
  }
  return cells;
}

/**
 * Adds the cells, or, when every one of them is chosen already, takes them away: clicking a row
 * or column twice clears it, as a checkbox does.
 */
export function toggleCells(
  selection: ReadonlyMap<string, SelectedCell>,
  cells: readonly SelectedCell[],
): Map<string, SelectedCell> {
  const next = new Map(selection);
  const isEveryChosen =
    cells.length > 0 && cells.every((cell) => next.has(cellKey(cell.clusterId, cell.bundleId)));
  for (const cell of cells) {
    const key = cellKey(cell.clusterId, cell.bundleId);
    if (isEveryChosen) next.delete(key);
    else next.set(key, cell);
  }
  return next;
}

/** Whether every cell with a deployment in the group is chosen (and there is one). */
export function isAllChosen(
  selection: ReadonlyMap<string, SelectedCell>,
  cells: readonly SelectedCell[],
): boolean {
  return (
    cells.length > 0 && cells.every((cell) => selection.has(cellKey(cell.clusterId, cell.bundleId)))
  );
}

export interface BulkPlan {
  action: BulkAction;
  /** For correct-drift and retry: the deployments sent. */
  deployments: SelectedCell[];
  /** For pause and resume: the bundles sent. */
  bundleIds: string[];
  clusters: number;
  /** What the confirmation asks, with the counts. */
  question: string;
  /** The button that confirms. */
  verb: string;
}

const distinct = (values: readonly string[]) => new Set(values).size;

/**
 * What an action does to the chosen cells: drift is corrected on every chosen deployment, a
 * retry only where the last apply failed, and pause or resume acts on the chosen cells' bundles
 * (on every cluster: a bundle is paused as a whole).
 */
export function planBulkAction(
  action: BulkAction,
  selection: ReadonlyMap<string, SelectedCell>,
  model: MatrixModel,
): BulkPlan {
  const chosen = [...selection.values()];
  switch (action) {
    case 'correct-drift':
    case 'retry': {
      const deployments =
        action === 'retry' ? chosen.filter((cell) => cell.state === 'ErrApplied') : chosen;
      const clusters = distinct(deployments.map((cell) => cell.clusterId));
      const counted = `${pluralize(deployments.length, 'deployment')} on ${pluralize(clusters, 'cluster')}`;
      return {
        action,
        deployments,
        bundleIds: [],
        clusters,
        question:
          action === 'retry'
            ? `Retry the failed apply of ${counted}?`
            : `Correct drift of ${counted}? What Git says is applied again, overwriting changes made on the clusters.`,
        verb: action === 'retry' ? 'Retry' : 'Correct drift',
      };
    }
    case 'pause':
    case 'resume': {
      const bundleIds = [...new Set(chosen.map((cell) => cell.bundleId))];
      const bundles = model.bundles.filter((bundle) => bundleIds.includes(bundle.id));
      const deployments = bundles.reduce(
        (sum, bundle) => sum + Object.values(bundle.summary).reduce((a, b) => a + b, 0),
        0,
      );
      const clusters = model.allClusters.filter((cluster) =>
        bundles.some((bundle) => stateAt(model.legend, cluster, bundle) !== null),
      ).length;
      const what = `${pluralize(bundleIds.length, 'bundle')} (${pluralize(deployments, 'deployment')} on ${pluralize(clusters, 'cluster')})`;
      return {
        action,
        deployments: [],
        bundleIds,
        clusters,
        question:
          action === 'pause'
            ? `Pause ${what}? Their clusters keep what they run until the bundles are resumed.`
            : `Resume ${what}? Their clusters get what Git says now.`,
        verb: action === 'pause' ? 'Pause' : 'Resume',
      };
    }
  }
}

/** The request bodies of a plan: the endpoint takes at most `max` items at a time. */
export function bulkRequests(plan: BulkPlan, max = 1000): object[] {
  const chunks = <T>(items: readonly T[]) =>
    Array.from({ length: Math.ceil(items.length / max) }, (_, index) =>
      items.slice(index * max, (index + 1) * max),
    );
  if (plan.action === 'pause' || plan.action === 'resume')
    return chunks(plan.bundleIds).map((bundleIds) => ({ action: plan.action, bundleIds }));
  return chunks(plan.deployments).map((cells) => ({
    action: plan.action,
    deployments: cells.map(({ bundleId, clusterId }) => ({ bundleId, clusterId })),
  }));
}

import type { CompactFleetMatrix, DeploymentState } from '@/client/types.ts';
import { describe, expect, it } from 'vitest';
import {
  bulkRequests,
  cellsIn,
  isAllChosen,
  planBulkAction,
  toggleCells,
} from './bulk-selection.ts';
import { buildMatrixModel } from './matrix-rows.ts';

const summary = (ready: number) => ({ Ready: ready }) as Record<DeploymentState, number>;
const MATRIX: CompactFleetMatrix = {
  format: 'compact',
  legend: { M: 'Modified', E: 'ErrApplied', R: 'Ready', '.': null },
  clusters: ['edge-1', 'edge-2', 'edge-3'].map((name) => ({
    id: name,
    name,
    labels: {},
    connectivity: 'Online',
    isSimulated: false,
  })),
  bundles: ['shop', 'web'].map((name) => ({
    id: name,
    name,
    gitRepoId: 'r',
    gitRepoName: 'repo',
    isPaused: false,
    renderError: '',
    summary: summary(3),
  })),
  rows: ['ME', 'MR', 'R.'],
  summary: summary(5),
};
const model = buildMatrixModel(MATRIX);
const [shop, web] = model.bundles as [
  (typeof model.bundles)[number],
  (typeof model.bundles)[number],
];

describe('choosing cells', () => {
  it('a column is its cells with a deployment; choosing it twice clears it', () => {
    const column = cellsIn(model, model.clusters, [web]);
    expect(column.map((cell) => `${cell.clusterId}:${cell.state}`)).toEqual([
      'edge-1:ErrApplied',
      'edge-2:Ready',
    ]);
    const once = toggleCells(new Map(), column);
    expect(isAllChosen(once, column)).toBe(true);
    expect(toggleCells(once, column).size).toBe(0);
  });

  it('a row half chosen is completed, not cleared', () => {
    const row = cellsIn(model, [model.clusters[0]!], model.bundles);
    const half = toggleCells(new Map(), [row[0]!]);
    expect(isAllChosen(half, row)).toBe(false);
    expect(toggleCells(half, row).size).toBe(2);
  });
});

describe('what an action will do, as the confirmation says it', () => {
  const column = toggleCells(new Map(), cellsIn(model, model.clusters, [shop]));

  it('corrects drift on every chosen deployment', () => {
    const plan = planBulkAction('correct-drift', column, model);
    expect(plan.question).toMatch(/^Correct drift of 3 deployments on 3 clusters\?/);
    expect(bulkRequests(plan)).toEqual([
      {
        action: 'correct-drift',
        deployments: [
          { bundleId: 'shop', clusterId: 'edge-1' },
          { bundleId: 'shop', clusterId: 'edge-2' },
          { bundleId: 'shop', clusterId: 'edge-3' },
        ],
      },
    ]);
  });

  it('retries only the failed applies among them', () => {
    const row = toggleCells(new Map(), cellsIn(model, [model.clusters[0]!], model.bundles));
    const plan = planBulkAction('retry', row, model);
    expect(plan.question).toBe('Retry the failed apply of 1 deployment on 1 cluster?');
    expect(plan.deployments.map((cell) => cell.bundleId)).toEqual(['web']);
  });

  it('pauses the bundles of the chosen cells, on every cluster', () => {
    const plan = planBulkAction('pause', column, model);
    expect(plan.question).toMatch(/^Pause 1 bundle \(3 deployments on 3 clusters\)\?/);
    expect(bulkRequests(plan)).toEqual([{ action: 'pause', bundleIds: ['shop'] }]);
  });

  it('splits a large request into the sizes the endpoint takes', () => {
    const plan = planBulkAction('correct-drift', column, model);
    expect(
      bulkRequests(plan, 2).map((body) => (body as { deployments: unknown[] }).deployments.length),
    ).toEqual([2, 1]);
  });
});

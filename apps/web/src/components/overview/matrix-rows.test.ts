import type { CompactFleetMatrix, DeploymentState } from '@/client/types.ts';
import { describe, expect, it } from 'vitest';
import {
  buildMatrixModel,
  buildRows,
  labelKeys,
  naturalCompare,
  parseStateFilter,
  stateAt,
} from './matrix-rows.ts';

const LEGEND: CompactFleetMatrix['legend'] = {
  O: 'Offline',
  E: 'ErrApplied',
  W: 'WaitApplied',
  M: 'Modified',
  S: 'OutOfSync',
  P: 'Pending',
  N: 'NotReady',
  R: 'Ready',
  '.': null,
};
const SUMMARY = {} as Record<DeploymentState, number>;

/** An answer of the compact API: `rows` maps each cluster's name to its letters. */
function matrix(
  rows: Record<string, string>,
  bundles: string[],
  labels: Record<string, Record<string, string>> = {},
): CompactFleetMatrix {
  const names = Object.keys(rows);
  return {
    format: 'compact',
    legend: LEGEND,
    clusters: names.map((name) => ({
      id: `id-${name}`,
      name,
      labels: labels[name] ?? {},
      connectivity: 'Online',
      isSimulated: false,
    })),
    bundles: bundles.map((name) => ({
      id: `b-${name}`,
      name,
      gitRepoId: 'r',
      gitRepoName: 'repo',
      isPaused: false,
      renderError: '',
      summary: SUMMARY,
    })),
    rows: names.map((name) => rows[name]!),
    summary: SUMMARY,
  };
}

const names = (model: ReturnType<typeof buildMatrixModel>) =>
  model.clusters.map((cluster) => cluster.name);

describe('natural order', () => {
  it.each([
    [
      ['demo-10', 'demo-2', 'demo-1'],
      ['demo-1', 'demo-2', 'demo-10'],
    ],
    [
      ['edge-b', 'Edge-a', 'edge-10', 'edge-9'],
      ['edge-9', 'edge-10', 'Edge-a', 'edge-b'],
    ],
    [
      ['app-02', 'app-1', 'app-003'],
      ['app-1', 'app-02', 'app-003'],
    ],
  ])('sorts %j as %j', (input, expected) => {
    expect([...input].sort(naturalCompare)).toEqual(expected);
  });

  it('sorts rows and columns naturally, whatever order the server sent', () => {
    const model = buildMatrixModel(
      matrix({ 'demo-10': 'RR', 'demo-2': 'RR', 'demo-1': 'RR' }, ['web-10', 'web-9']),
    );
    expect(names(model)).toEqual(['demo-1', 'demo-2', 'demo-10']);
    expect(model.bundles.map((bundle) => [bundle.name, bundle.column])).toEqual([
      ['web-9', 1],
      ['web-10', 0],
    ]);
  });
});

describe('severity order', () => {
  it('puts the worst state first, then more cells in it, then the name', () => {
    const model = buildMatrixModel(
      matrix(
        {
          'c-1': 'RRR',
          'c-2': 'RMR',
          'c-3': 'ERR',
          'c-4': 'MMR',
          'c-10': 'ORR',
          'c-5': '..R',
          'c-6': '...',
        },
        ['a', 'b', 'c'],
      ),
      { sort: 'severity' },
    );
    expect(names(model)).toEqual(['c-10', 'c-3', 'c-4', 'c-2', 'c-1', 'c-5', 'c-6']);
  });
});

describe('state filter', () => {
  const fleet = matrix({ 'c-1': 'RRR', 'c-2': 'RMR', 'c-3': 'ER.', 'c-10': 'R.M' }, [
    'a',
    'b',
    'c',
  ]);

  it('problems only: the rows and columns with a cell that is not Ready', () => {
    const model = buildMatrixModel(fleet, { filter: 'problems' });
    expect(names(model)).toEqual(['c-2', 'c-3', 'c-10']);
    expect(model.bundles.map((bundle) => bundle.name)).toEqual(['a', 'b', 'c']);
    // Cells of the rows and columns shown, Ready ones included (they sit beside the problems).
    expect(model.deployments).toBe(7);
    expect(model.allClusters).toHaveLength(4);
  });

  it('one state: only its rows and columns', () => {
    const model = buildMatrixModel(fleet, { filter: 'Modified' });
    expect(names(model)).toEqual(['c-2', 'c-10']);
    expect(model.bundles.map((bundle) => bundle.name)).toEqual(['b', 'c']);
    const [first] = model.clusters;
    expect(stateAt(model.legend, first!, model.bundles[0]!)).toBe('Modified');
    expect(stateAt(model.legend, first!, model.bundles[1]!)).toBe('Ready');
  });

  it('reads the filter from the URL, anything unknown as all', () => {
    expect(parseStateFilter('problems')).toBe('problems');
    expect(parseStateFilter('ErrApplied')).toBe('ErrApplied');
    expect(parseStateFilter('errapplied')).toBe('all');
    expect(parseStateFilter(null)).toBe('all');
  });
});

describe('buildRows', () => {
  const model = buildMatrixModel(
    matrix({ a: 'R', b: 'R', c: 'R', d: 'R' }, ['x'], {
      a: { region: 'us', env: 'prod' },
      b: { region: 'eu' },
      d: { region: 'eu' },
    }),
  );

  it('without grouping lists the clusters in order', () => {
    expect(buildRows(model.clusters, '').map((row) => row.id)).toEqual([
      'id-a',
      'id-b',
      'id-c',
      'id-d',
    ]);
  });

  it('groups by a label: sorted values, each header before its clusters, unlabelled last', () => {
    const rows = buildRows(model.clusters, 'region');
    expect(
      rows.map((row) => (row.kind === 'group' ? `[${row.label} ${row.count}]` : row.cluster.name)),
    ).toEqual(['[region=eu 2]', 'b', 'd', '[region=us 1]', 'a', '[no region label 1]', 'c']);
  });

  it('gives every row a distinct key (the virtualiser keys rows by it)', () => {
    const ids = buildRows(model.clusters, 'region').map((row) => row.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('offers every label key once, sorted', () => {
    expect(labelKeys(model.clusters)).toEqual(['env', 'region']);
  });
});

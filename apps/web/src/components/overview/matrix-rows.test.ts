import { describe, expect, it } from 'vitest';
import { buildRows, indexCells, labelKeys, type MatrixCluster } from './matrix-rows.ts';

function cluster(name: string, labels: Record<string, string>): MatrixCluster {
  return {
    id: `id-${name}`,
    name,
    labels,
    connectivity: 'Online',
    lastSeenAt: null,
    isSimulated: false,
  };
}

const CLUSTERS = [
  cluster('a', { region: 'us', env: 'prod' }),
  cluster('b', { region: 'eu' }),
  cluster('c', {}),
  cluster('d', { region: 'eu' }),
];

describe('buildRows', () => {
  it('without grouping lists the clusters in order', () => {
    expect(buildRows(CLUSTERS, '').map((row) => row.id)).toEqual(['id-a', 'id-b', 'id-c', 'id-d']);
  });

  it('groups by a label: sorted values, each header before its clusters, unlabelled last', () => {
    const rows = buildRows(CLUSTERS, 'region');
    expect(
      rows.map((row) => (row.kind === 'group' ? `[${row.label} ${row.count}]` : row.cluster.name)),
    ).toEqual(['[region=eu 2]', 'b', 'd', '[region=us 1]', 'a', '[no region label 1]', 'c']);
  });

  it('gives every row a distinct key (the virtualiser keys rows by it)', () => {
    const ids = buildRows(CLUSTERS, 'region').map((row) => row.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('labelKeys', () => {
  it('offers every key once, sorted', () => {
    expect(labelKeys(CLUSTERS)).toEqual(['env', 'region']);
  });
});

describe('indexCells', () => {
  it('finds a cell by cluster and bundle', () => {
    const cells = indexCells([
      { clusterId: 'c1', bundleId: 'b1', deploymentId: 'd1', state: 'Ready' },
    ]);
    expect(cells.get('c1/b1')?.deploymentId).toBe('d1');
    expect(cells.get('c1/b2')).toBeUndefined();
  });
});

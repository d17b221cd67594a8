'use client';

import { connectivityLook, deploymentStateLook } from '@/client/states.ts';
import type { FleetMatrix as FleetMatrixDto } from '@/client/types.ts';
import { useVirtualizer } from '@tanstack/react-virtual';
import Link from 'next/link';
import { useCallback, useMemo, useRef, type CSSProperties } from 'react';
import {
  buildRows,
  cellKey,
  indexCells,
  type MatrixCell,
  type MatrixCluster,
  type MatrixRow,
} from './matrix-rows.ts';

const HEADER_HEIGHT = 52;
const ROW_HEIGHT = 36;
const GROUP_HEIGHT = 34;
const NAME_WIDTH = 248;
const COLUMN_WIDTH = 136;

/**
 * Clusters as rows, bundles as columns, one cell per deployment. Both axes are virtualised in
 * one scroll container (1000 x 50 renders a screenful, not 50,000 cells); the header row and
 * the cluster column stick. Each cell says its state in an icon and a word.
 */
export function FleetMatrix({ matrix, groupBy }: { matrix: FleetMatrixDto; groupBy: string }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const rows = useMemo(() => buildRows(matrix.clusters, groupBy), [matrix.clusters, groupBy]);
  const cells = useMemo(() => indexCells(matrix.cells), [matrix.cells]);
  const { bundles } = matrix;

  const rowVirtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: useCallback(
      (index: number) => (rows[index]?.kind === 'group' ? GROUP_HEIGHT : ROW_HEIGHT),
      [rows],
    ),
    getItemKey: useCallback((index: number) => rows[index]?.id ?? index, [rows]),
    paddingStart: HEADER_HEIGHT,
    overscan: 10,
  });
  const columnVirtualizer = useVirtualizer({
    horizontal: true,
    count: bundles.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => COLUMN_WIDTH,
    getItemKey: useCallback((index: number) => bundles[index]?.id ?? index, [bundles]),
    paddingStart: NAME_WIDTH,
    overscan: 3,
  });

  const totalWidth = columnVirtualizer.getTotalSize();
  const columns = columnVirtualizer.getVirtualItems();

  return (
    <div
      ref={scrollRef}
      role="grid"
      aria-label="Fleet matrix: clusters by bundles"
      aria-rowcount={rows.length + 1}
      aria-colcount={bundles.length + 1}
      data-testid="fleet-matrix"
      className="relative h-[calc(100vh-24rem)] min-h-[22rem] overflow-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
    >
      <div
        role="presentation"
        className="relative"
        style={{ width: totalWidth, height: rowVirtualizer.getTotalSize() }}
      >
        <div
          role="row"
          aria-rowindex={1}
          className="sticky top-0 z-20 border-b border-slate-300 bg-slate-50 dark:border-slate-700 dark:bg-slate-900"
          style={{ width: totalWidth, height: HEADER_HEIGHT }}
        >
          <div
            role="columnheader"
            aria-colindex={1}
            className="sticky left-0 z-30 flex h-full items-center border-r border-slate-300 bg-slate-50 px-3 text-xs font-semibold tracking-wide text-slate-700 uppercase dark:border-slate-700 dark:bg-slate-900 dark:text-slate-300"
            style={{ width: NAME_WIDTH }}
          >
            Cluster \ Bundle
          </div>
          {columns.map((column) => {
            const bundle = bundles[column.index];
            if (!bundle) return null;
            return (
              <div
                key={column.key}
                role="columnheader"
                aria-colindex={column.index + 2}
                className="absolute top-0 flex h-full flex-col justify-center overflow-hidden px-2"
                style={{ left: column.start, width: column.size }}
              >
                <Link
                  href={`/bundles/${bundle.id}`}
                  className="truncate text-sm font-semibold text-teal-800 hover:underline dark:text-teal-300"
                  title={bundle.name}
                >
                  {bundle.name}
                </Link>
                <span
                  className="truncate text-xs text-slate-600 dark:text-slate-400"
                  title={bundle.gitRepoName}
                >
                  {bundle.gitRepoName}
                </span>
              </div>
            );
          })}
        </div>
        {rowVirtualizer.getVirtualItems().map((virtualRow) => {
          const row = rows[virtualRow.index];
          if (!row) return null;
          const style = { top: virtualRow.start, height: virtualRow.size, width: totalWidth };
          return row.kind === 'group' ? (
            <GroupRow
              key={virtualRow.key}
              row={row}
              rowIndex={virtualRow.index + 2}
              style={style}
            />
          ) : (
            <div
              key={virtualRow.key}
              role="row"
              aria-rowindex={virtualRow.index + 2}
              className="absolute left-0 border-b border-slate-100 hover:bg-slate-50 dark:border-slate-800 dark:hover:bg-slate-800/50"
              style={style}
            >
              <ClusterHeader cluster={row.cluster} />
              {columns.map((column) => {
                const bundle = bundles[column.index];
                if (!bundle) return null;
                return (
                  <div
                    key={column.key}
                    role="gridcell"
                    aria-colindex={column.index + 2}
                    className="absolute top-0 flex h-full items-center px-1.5"
                    style={{ left: column.start, width: column.size }}
                  >
                    <Cell
                      cell={cells.get(cellKey(row.cluster.id, bundle.id))}
                      clusterName={row.cluster.name}
                      bundleName={bundle.name}
                    />
                  </div>
                );
              })}
            </div>
          );
        })}
      </div>
    </div>
  );
}

function GroupRow({
  row,
  rowIndex,
  style,
}: {
  row: Extract<MatrixRow, { kind: 'group' }>;
  rowIndex: number;
  style: CSSProperties;
}) {
  return (
    <div
      role="row"
      aria-rowindex={rowIndex}
      className="absolute left-0 border-b border-slate-300 bg-slate-100 dark:border-slate-700 dark:bg-slate-800"
      style={style}
    >
      <div
        role="rowheader"
        aria-colindex={1}
        className="sticky left-0 flex h-full w-max items-center gap-2 px-3 text-sm font-semibold text-slate-800 dark:text-slate-100"
      >
        <span className="font-mono">{row.label}</span>
        <span className="font-normal text-slate-600 dark:text-slate-300">
          ({row.count.toLocaleString('en')} clusters)
        </span>
      </div>
    </div>
  );
}

function ClusterHeader({ cluster }: { cluster: MatrixCluster }) {
  const isOnline = cluster.connectivity === 'Online';
  const look = connectivityLook(cluster.connectivity);
  return (
    <div
      role="rowheader"
      aria-colindex={1}
      className="sticky left-0 z-10 flex h-full items-center gap-2 border-r border-slate-200 bg-white px-3 dark:border-slate-700 dark:bg-slate-900"
      style={{ width: NAME_WIDTH }}
    >
      <Link
        href={`/clusters/${cluster.id}`}
        className="truncate text-sm font-medium text-slate-900 hover:underline dark:text-slate-100"
        title={cluster.name}
      >
        {cluster.name}
      </Link>
      {isOnline ? null : (
        <span
          className="shrink-0 text-xs text-slate-600 dark:text-slate-400"
          title={`connectivity: ${look.label}`}
        >
          <span aria-hidden="true">{look.icon} </span>
          {look.label}
        </span>
      )}
    </div>
  );
}

function Cell({
  cell,
  clusterName,
  bundleName,
}: {
  cell: MatrixCell | undefined;
  clusterName: string;
  bundleName: string;
}) {
  if (!cell) {
    return (
      <span className="px-1.5 text-sm text-slate-600 dark:text-slate-400" title="not targeted">
        <span aria-hidden="true">—</span>
        <span className="sr-only">not targeted</span>
      </span>
    );
  }
  const look = deploymentStateLook(cell.state);
  return (
    <Link
      href={`/deployments/${cell.deploymentId}`}
      aria-label={`${bundleName} on ${clusterName}: ${look.label}`}
      data-state={cell.state}
      className={`flex w-full items-center gap-1 truncate rounded px-1.5 py-1 text-xs font-medium ring-1 ring-inset hover:brightness-95 ${look.tone}`}
    >
      <span aria-hidden="true">{look.icon}</span>
      {look.label}
    </Link>
  );
}

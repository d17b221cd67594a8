'use client';

import { apiFetch, type Page } from '@/client/api.ts';
import { relativeTime } from '@/client/format.ts';
import { keys } from '@/client/query-keys.ts';
import {
  connectivityLook,
  DEPLOYMENT_STATE_MEANING,
  deploymentStateLook,
} from '@/client/states.ts';
import type { DeploymentDto, DeploymentState } from '@/client/types.ts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type FocusEvent,
  type KeyboardEvent,
  type MouseEvent,
  type RefObject,
} from 'react';
import { cellsIn, isAllChosen, type SelectedCell } from './bulk-selection.ts';
import {
  buildRows,
  cellKey,
  stateAt,
  type MatrixBundle,
  type MatrixClusterRow,
  type MatrixModel,
  type MatrixRow,
} from './matrix-rows.ts';

const HEADER_HEIGHT = 56;
const ROW_HEIGHT = 36;
const GROUP_HEIGHT = 34;
/** Under this width (a phone) the cluster column and the cells are narrower. */
const NARROW = 640;

/** A place in the grid: row 0 is the header row, column 0 the cluster names. */
interface Position {
  row: number;
  col: number;
}

const positionKey = ({ row, col }: Position) => `${row}:${col}`;

function useContainerWidth(ref: RefObject<HTMLDivElement | null>): number {
  const [width, setWidth] = useState(1024);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    setWidth(element.clientWidth);
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.round(entry.contentRect.width));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

/** Opens a cell's deployment: the compact matrix names cells by cluster and bundle, not by id. */
function useDeploymentOpener() {
  const queryClient = useQueryClient();
  const router = useRouter();
  return useCallback(
    async (clusterId: string, bundleId: string) => {
      const page = await queryClient.fetchQuery({
        queryKey: keys.clusterDeployments(clusterId),
        queryFn: () => apiFetch<Page<DeploymentDto>>(`/clusters/${clusterId}/deployments`),
        staleTime: 5_000,
      });
      const deployment = page.items.find((item) => item.bundleId === bundleId);
      router.push(deployment ? `/deployments/${deployment.id}` : `/clusters/${clusterId}`);
    },
    [queryClient, router],
  );
}

/**
 * Clusters as rows, bundles as columns, one cell per deployment. Both axes are virtualised in
 * one scroll container (1000 x 50 renders a screenful, not 50,000 cells); the header row and
 * the cluster column stick. An ARIA grid with one Tab stop: arrows, Home/End and Page Up/Down
 * move between cells (roving tabindex), Enter opens what the cell names, Space chooses it for a
 * bulk action (a whole row or column from its header). The focused cell is always rendered,
 * however far the virtualiser has scrolled.
 */
export function FleetMatrix({
  model,
  groupBy,
  selection,
  onToggle,
  isSelecting,
}: {
  model: MatrixModel;
  groupBy: string;
  selection: ReadonlyMap<string, SelectedCell>;
  /** Absent for a viewer: nothing can be chosen. */
  onToggle?: ((cells: SelectedCell[]) => void) | undefined;
  /** Select mode: a click chooses (a cell, a row, a column) instead of opening. */
  isSelecting: boolean;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const width = useContainerWidth(scrollRef);
  const isNarrow = width < NARROW;
  const nameWidth = isNarrow ? 132 : 248;
  const { bundles } = model;
  // The columns fill the width the matrix has: few bundles get wider cells.
  const columnWidth = Math.max(
    isNarrow ? 112 : 136,
    Math.floor((width - nameWidth - 2) / Math.max(1, bundles.length)),
  );
  const rows = useMemo(() => buildRows(model.clusters, groupBy), [model.clusters, groupBy]);
  const openDeployment = useDeploymentOpener();
  const queryClient = useQueryClient();

  const [active, setActive] = useState<Position>({ row: 1, col: 1 });
  // Kept inside the grid as rows and columns come and go (a filter, a group).
  const current: Position = {
    row: Math.min(active.row, rows.length),
    col: Math.min(active.col, bundles.length),
  };
  const isFocusPending = useRef(false);
  const [tooltipAt, setTooltipAt] = useState<string | null>(null);

  const activeRow = current.row - 1;
  const activeCol = current.col - 1;
  const rowVirtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: useCallback(
      (index: number) => (rows[index]?.kind === 'group' ? GROUP_HEIGHT : ROW_HEIGHT),
      [rows],
    ),
    getItemKey: useCallback((index: number) => rows[index]?.id ?? index, [rows]),
    paddingStart: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
    overscan: 10,
    rangeExtractor: useCallback(
      (range: Range) => withIndex(defaultRangeExtractor(range), activeRow),
      [activeRow],
    ),
  });
  const columnVirtualizer = useVirtualizer({
    horizontal: true,
    count: bundles.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: useCallback(() => columnWidth, [columnWidth]),
    getItemKey: useCallback((index: number) => bundles[index]?.id ?? index, [bundles]),
    paddingStart: nameWidth,
    scrollPaddingStart: nameWidth,
    overscan: 3,
    rangeExtractor: useCallback(
      (range: Range) => withIndex(defaultRangeExtractor(range), activeCol),
      [activeCol],
    ),
  });
  useEffect(() => {
    columnVirtualizer.measure();
  }, [columnVirtualizer, columnWidth, nameWidth]);

  // After a key moved the focus: the new cell is rendered (the range always holds it).
  useEffect(() => {
    if (!isFocusPending.current) return;
    isFocusPending.current = false;
    const element = scrollRef.current?.querySelector<HTMLElement>(
      `[data-cell="${positionKey(current)}"]`,
    );
    element?.focus({ preventScroll: true });
  });

  const moveTo = (next: Position) => {
    const row = Math.max(0, Math.min(rows.length, next.row));
    const col =
      rows[row - 1]?.kind === 'group' ? 0 : Math.max(0, Math.min(bundles.length, next.col));
    if (row > 0) rowVirtualizer.scrollToIndex(row - 1, { align: 'auto' });
    else scrollRef.current?.scrollTo({ top: 0 });
    if (col > 0) columnVirtualizer.scrollToIndex(col - 1, { align: 'auto' });
    else scrollRef.current?.scrollTo({ left: 0 });
    isFocusPending.current = true;
    setActive({ row, col: rows[row - 1]?.kind === 'group' ? current.col : col });
    setTooltipAt(positionKey({ row, col }));
  };

  const cellsOfPosition = ({ row, col }: Position): SelectedCell[] => {
    const clusters =
      row === 0
        ? model.clusters
        : rows[row - 1]?.kind === 'cluster'
          ? [(rows[row - 1] as Extract<MatrixRow, { kind: 'cluster' }>).cluster]
          : [];
    const columns = col === 0 ? bundles : bundles.slice(col - 1, col);
    if (row === 0 && col === 0) return [];
    return cellsIn(model, clusters, columns);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const target = (event.target as HTMLElement).closest<HTMLElement>('[data-cell]');
    if (!target || event.altKey) return;
    const [row = 0, col = 0] = (target.dataset.cell ?? '0:0').split(':').map(Number);
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 2);
    const isCtrl = event.ctrlKey || event.metaKey;
    const moves: Record<string, Position | undefined> = {
      ArrowUp: { row: row - 1, col },
      ArrowDown: { row: row + 1, col },
      ArrowLeft: { row, col: col - 1 },
      ArrowRight: { row, col: col + 1 },
      Home: isCtrl ? { row: 0, col: 0 } : { row, col: 0 },
      End: isCtrl ? { row: rows.length, col: bundles.length } : { row, col: bundles.length },
      PageUp: { row: row - page, col },
      PageDown: { row: row + page, col },
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      moveTo(move);
      return;
    }
    if (event.key === 'Enter') {
      event.preventDefault();
      target.querySelector<HTMLAnchorElement>('a[href]')?.click();
      return;
    }
    if (event.key === ' ' && onToggle) {
      event.preventDefault();
      onToggle(cellsOfPosition({ row, col }));
    }
  };

  const onFocus = (event: FocusEvent<HTMLDivElement>) => {
    const target = (event.target as HTMLElement).closest<HTMLElement>('[data-cell]');
    if (!target?.dataset.cell) return;
    const [row = 0, col = 0] = target.dataset.cell.split(':').map(Number);
    if (row !== current.row || col !== current.col) setActive({ row, col });
    setTooltipAt(target.dataset.cell);
  };

  /** In select mode a click chooses instead of following the link. */
  const onChoose = (event: MouseEvent, position: Position) => {
    if (!onToggle || !isSelecting) return false;
    event.preventDefault();
    onToggle(cellsOfPosition(position));
    return true;
  };

  const totalWidth = columnVirtualizer.getTotalSize();
  const columns = columnVirtualizer.getVirtualItems();
  const tabIndexAt = (position: Position) =>
    position.row === current.row && position.col === current.col ? 0 : -1;

  return (
    <div
      ref={scrollRef}
      role="grid"
      aria-label="Fleet matrix: clusters by bundles"
      aria-rowcount={rows.length + 1}
      aria-colcount={bundles.length + 1}
      aria-multiselectable={onToggle ? true : undefined}
      data-testid="fleet-matrix"
      onKeyDown={onKeyDown}
      onFocus={onFocus}
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setTooltipAt(null);
      }}
      onMouseLeave={() => setTooltipAt(null)}
      className="relative h-[calc(100dvh-22rem)] min-h-[24rem] w-full overflow-auto overscroll-contain rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
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
            tabIndex={tabIndexAt({ row: 0, col: 0 })}
            data-cell="0:0"
            className="sticky left-0 z-30 flex h-full items-center border-r border-slate-300 bg-slate-50 px-3 text-xs font-semibold tracking-wide text-slate-700 uppercase focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-teal-600 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-300"
            style={{ width: nameWidth }}
          >
            Cluster \ Bundle
          </div>
          {columns.map((column) => {
            const bundle = bundles[column.index];
            if (!bundle) return null;
            const position = { row: 0, col: column.index + 1 };
            const isChosen =
              selection.size > 0 &&
              isAllChosen(selection, cellsIn(model, model.clusters, [bundle]));
            return (
              <BundleHeader
                key={column.key}
                bundle={bundle}
                colIndex={column.index + 2}
                tabIndex={tabIndexAt(position)}
                dataCell={positionKey(position)}
                isChosen={isChosen}
                style={{ left: column.start, width: column.size }}
                onClick={(event) => onChoose(event, position)}
              />
            );
          })}
        </div>
        {rowVirtualizer.getVirtualItems().map((virtualRow) => {
          const row = rows[virtualRow.index];
          if (!row) return null;
          const rowPosition = virtualRow.index + 1;
          const style = { top: virtualRow.start, height: virtualRow.size, width: totalWidth };
          if (row.kind === 'group')
            return (
              <GroupRow
                key={virtualRow.key}
                row={row}
                rowIndex={virtualRow.index + 2}
                style={style}
                tabIndex={tabIndexAt({ row: rowPosition, col: 0 })}
                dataCell={positionKey({ row: rowPosition, col: 0 })}
              />
            );
          const { cluster } = row;
          // Deployment ids already read for this cluster (a tooltip, an earlier click): the
          // cells link to them, so a middle click or Ctrl-click opens the deployment itself.
          const known = queryClient.getQueryData<Page<DeploymentDto>>(
            keys.clusterDeployments(cluster.id),
          );
          const isRowChosen =
            selection.size > 0 && isAllChosen(selection, cellsIn(model, [cluster], bundles));
          return (
            <div
              key={virtualRow.key}
              role="row"
              aria-rowindex={virtualRow.index + 2}
              className="absolute left-0 border-b border-slate-100 hover:bg-slate-50 dark:border-slate-800 dark:hover:bg-slate-800/50"
              style={style}
            >
              <ClusterHeader
                cluster={cluster}
                width={nameWidth}
                tabIndex={tabIndexAt({ row: rowPosition, col: 0 })}
                dataCell={positionKey({ row: rowPosition, col: 0 })}
                isChosen={isRowChosen}
                onClick={(event) => onChoose(event, { row: rowPosition, col: 0 })}
              />
              {columns.map((column) => {
                const bundle = bundles[column.index];
                if (!bundle) return null;
                const position = { row: rowPosition, col: column.index + 1 };
                const key = positionKey(position);
                const state = stateAt(model.legend, cluster, bundle);
                return (
                  <Cell
                    key={column.key}
                    state={state}
                    cluster={cluster}
                    bundle={bundle}
                    colIndex={column.index + 2}
                    style={{ left: column.start, width: column.size }}
                    tabIndex={tabIndexAt(position)}
                    dataCell={key}
                    isChosen={selection.has(cellKey(cluster.id, bundle.id))}
                    tooltip={
                      tooltipAt === key
                        ? tooltipPlace(scrollRef.current, column.start, virtualRow.start)
                        : null
                    }
                    href={hrefOf(known, cluster.id, bundle.id)}
                    onHover={() => setTooltipAt(key)}
                    onOpen={(event) => {
                      if (onChoose(event, position)) return;
                      // A new tab or window is the browser's to open, from the href.
                      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0)
                        return;
                      event.preventDefault();
                      void openDeployment(cluster.id, bundle.id);
                    }}
                  />
                );
              })}
            </div>
          );
        })}
      </div>
    </div>
  );
}

const TOOLTIP_WIDTH = 256;
const TOOLTIP_HEIGHT = 120;

/** Below and to the right of the cell, unless that would leave the visible part of the grid. */
function tooltipPlace(
  scroller: HTMLElement | null,
  left: number,
  top: number,
): { isAbove: boolean; isLeft: boolean } {
  if (!scroller) return { isAbove: false, isLeft: false };
  return {
    isAbove: top + ROW_HEIGHT + TOOLTIP_HEIGHT > scroller.scrollTop + scroller.clientHeight,
    isLeft: left + TOOLTIP_WIDTH > scroller.scrollLeft + scroller.clientWidth,
  };
}

/** A cell's deployment page when its id is known, else its cluster's page (which lists it). */
function hrefOf(known: Page<DeploymentDto> | undefined, clusterId: string, bundleId: string) {
  const deployment = known?.items.find((item) => item.bundleId === bundleId);
  return deployment ? `/deployments/${deployment.id}` : `/clusters/${clusterId}`;
}

/** The virtualiser's indexes plus the focused one, so that the focused cell stays in the DOM. */
function withIndex(indexes: number[], index: number): number[] {
  if (index < 0 || indexes.includes(index)) return indexes;
  return [...indexes, index].sort((a, b) => a - b);
}

const FOCUS_RING =
  'focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-teal-600';
const CHOSEN = 'bg-teal-50 ring-2 ring-inset ring-teal-600 dark:bg-teal-950/60 dark:ring-teal-400';

function BundleHeader({
  bundle,
  colIndex,
  tabIndex,
  dataCell,
  isChosen,
  style,
  onClick,
}: {
  bundle: MatrixBundle;
  colIndex: number;
  tabIndex: number;
  dataCell: string;
  isChosen: boolean;
  style: CSSProperties;
  onClick: (event: MouseEvent) => void;
}) {
  return (
    <div
      role="columnheader"
      aria-colindex={colIndex}
      aria-selected={isChosen}
      tabIndex={tabIndex}
      data-cell={dataCell}
      className={`absolute top-0 flex h-full flex-col justify-center overflow-hidden px-2 ${FOCUS_RING} ${isChosen ? CHOSEN : ''}`}
      style={style}
    >
      <Link
        href={`/bundles/${bundle.id}`}
        tabIndex={-1}
        onClick={onClick}
        className="truncate text-sm font-semibold text-teal-800 hover:underline dark:text-teal-300"
        title={`${bundle.name} (${bundle.gitRepoName})`}
      >
        {bundle.name}
      </Link>
      {bundle.isPaused || bundle.renderError ? (
        <span className="flex gap-2 truncate text-xs font-medium">
          {bundle.isPaused ? (
            <span
              className="text-violet-800 dark:text-violet-300"
              title="Paused: its clusters keep what they run until it is resumed"
            >
              <span aria-hidden="true">‖ </span>Paused
            </span>
          ) : null}
          {bundle.renderError ? (
            <span className="truncate text-red-700 dark:text-red-300" title={bundle.renderError}>
              <span aria-hidden="true">✗ </span>Render error
            </span>
          ) : null}
        </span>
      ) : (
        <span className="truncate text-xs text-slate-600 dark:text-slate-400">
          {bundle.gitRepoName}
        </span>
      )}
    </div>
  );
}

function GroupRow({
  row,
  rowIndex,
  style,
  tabIndex,
  dataCell,
}: {
  row: Extract<MatrixRow, { kind: 'group' }>;
  rowIndex: number;
  style: CSSProperties;
  tabIndex: number;
  dataCell: string;
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
        tabIndex={tabIndex}
        data-cell={dataCell}
        className={`sticky left-0 flex h-full w-max items-center gap-2 px-3 text-sm font-semibold text-slate-800 dark:text-slate-100 ${FOCUS_RING}`}
      >
        <span className="font-mono">{row.label}</span>
        <span className="font-normal text-slate-600 dark:text-slate-300">
          ({row.count.toLocaleString('en')} clusters)
        </span>
      </div>
    </div>
  );
}

function ClusterHeader({
  cluster,
  width,
  tabIndex,
  dataCell,
  isChosen,
  onClick,
}: {
  cluster: MatrixClusterRow;
  width: number;
  tabIndex: number;
  dataCell: string;
  isChosen: boolean;
  onClick: (event: MouseEvent) => void;
}) {
  const isOnline = cluster.connectivity === 'Online';
  const look = connectivityLook(cluster.connectivity);
  return (
    <div
      role="rowheader"
      aria-colindex={1}
      aria-selected={isChosen}
      tabIndex={tabIndex}
      data-cell={dataCell}
      className={`sticky left-0 z-10 flex h-full items-center gap-2 border-r border-slate-200 bg-white px-3 dark:border-slate-700 dark:bg-slate-900 ${FOCUS_RING} ${isChosen ? CHOSEN : ''}`}
      style={{ width }}
    >
      <Link
        href={`/clusters/${cluster.id}`}
        tabIndex={-1}
        onClick={onClick}
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
  state,
  cluster,
  bundle,
  colIndex,
  style,
  tabIndex,
  dataCell,
  isChosen,
  tooltip,
  href,
  onHover,
  onOpen,
}: {
  state: DeploymentState | null;
  cluster: MatrixClusterRow;
  bundle: MatrixBundle;
  colIndex: number;
  style: CSSProperties;
  tabIndex: number;
  dataCell: string;
  isChosen: boolean;
  /** Where its tooltip goes, when it shows one. */
  tooltip: { isAbove: boolean; isLeft: boolean } | null;
  href: string;
  onHover: () => void;
  onOpen: (event: MouseEvent) => void;
}) {
  const tooltipId = `tip-${dataCell.replace(':', '-')}`;
  return (
    <div
      role="gridcell"
      aria-colindex={colIndex}
      aria-selected={state ? isChosen : undefined}
      tabIndex={tabIndex}
      data-cell={dataCell}
      onMouseEnter={state ? onHover : undefined}
      className={`absolute top-0 flex h-full items-center px-1.5 ${FOCUS_RING}`}
      style={style}
    >
      {state ? (
        <>
          <a
            href={href}
            tabIndex={-1}
            onClick={onOpen}
            aria-label={`${bundle.name} on ${cluster.name}: ${deploymentStateLook(state).label}`}
            aria-describedby={tooltip ? tooltipId : undefined}
            data-state={state}
            className={`flex w-full items-center gap-1 truncate rounded px-1.5 py-1 text-xs font-medium ring-inset hover:brightness-95 ${deploymentStateLook(state).tone} ${isChosen ? 'ring-2 ring-teal-700 dark:ring-teal-300' : 'ring-1'}`}
          >
            <span aria-hidden="true">{deploymentStateLook(state).icon}</span>
            {deploymentStateLook(state).label}
          </a>
          {isChosen ? (
            <span
              aria-hidden="true"
              className="absolute top-0.5 right-0.5 rounded-full bg-teal-700 px-1 text-[10px] leading-4 text-white dark:bg-teal-300 dark:text-slate-950"
            >
              ✓
            </span>
          ) : null}
          {tooltip ? (
            <CellTooltip
              id={tooltipId}
              place={tooltip}
              state={state}
              clusterId={cluster.id}
              bundleId={bundle.id}
            />
          ) : null}
        </>
      ) : (
        <span className="px-1.5 text-sm text-slate-600 dark:text-slate-400" title="not targeted">
          <span aria-hidden="true">—</span>
          <span className="sr-only">not targeted</span>
        </span>
      )}
    </div>
  );
}

/** State, message and age of one deployment; the last two read from its cluster's deployments. */
function CellTooltip({
  id,
  place,
  state,
  clusterId,
  bundleId,
}: {
  id: string;
  place: { isAbove: boolean; isLeft: boolean };
  state: DeploymentState;
  clusterId: string;
  bundleId: string;
}) {
  const deployments = useQuery({
    queryKey: keys.clusterDeployments(clusterId),
    queryFn: () => apiFetch<Page<DeploymentDto>>(`/clusters/${clusterId}/deployments`),
    staleTime: 5_000,
  });
  const deployment = deployments.data?.items.find((item) => item.bundleId === bundleId);
  const look = deploymentStateLook(state);
  return (
    <div
      role="tooltip"
      id={id}
      className={`pointer-events-none absolute z-40 w-64 rounded-md ${place.isAbove ? 'bottom-full mb-1' : 'top-full mt-1'} ${place.isLeft ? 'right-0' : 'left-0'} border border-slate-300 bg-white p-2 text-xs text-slate-800 shadow-lg dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100`}
    >
      <p className="font-semibold">
        <span aria-hidden="true">{look.icon} </span>
        {look.label}: {DEPLOYMENT_STATE_MEANING[state]}
      </p>
      {deployment ? (
        <>
          {deployment.message ? <p className="mt-1 line-clamp-3">{deployment.message}</p> : null}
          <p className="mt-1 text-slate-600 dark:text-slate-300">
            {look.label} since {relativeTime(deployment.stateChangedAt)}
          </p>
        </>
      ) : (
        <p className="mt-1 text-slate-600 dark:text-slate-300">
          {deployments.isError ? 'Details could not be loaded.' : 'Loading details…'}
        </p>
      )}
    </div>
  );
}

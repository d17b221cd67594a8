'use client';

import { apiFetch, isProblemError, queryString, type Page } from '@/client/api.ts';
import { keys } from '@/client/query-keys.ts';
import { useCan } from '@/client/session.ts';
import type { CompactFleetMatrix, GitRepoDto } from '@/client/types.ts';
import { useDebounced } from '@/client/use-debounced.ts';
import { useUrlState } from '@/client/use-url-state.ts';
import { ButtonLink } from '@/components/ui/button.tsx';
import { Loading, PageHeader } from '@/components/ui/layout.tsx';
import { ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { pluralize } from '@/client/format.ts';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { BulkActions } from './bulk-actions.tsx';
import { toggleCells, type SelectedCell } from './bulk-selection.ts';
import { EmptyFleet } from './empty-fleet.tsx';
import { FleetMatrix } from './fleet-matrix.tsx';
import { MatrixFilters, type MatrixFilterValues } from './matrix-filters.tsx';
import {
  buildMatrixModel,
  labelKeys,
  parseRowSort,
  parseStateFilter,
  type StateFilter,
} from './matrix-rows.ts';
import { StateSummary } from './state-summary.tsx';

const FILTER_WORDS: Readonly<Record<Exclude<StateFilter, 'all'>, string>> = {
  problems: 'with problems',
  Offline: 'Offline',
  ErrApplied: 'ErrApplied',
  WaitApplied: 'WaitApplied',
  Modified: 'Modified',
  OutOfSync: 'OutOfSync',
  Pending: 'Pending',
  NotReady: 'NotReady',
  Ready: 'Ready',
};

export function OverviewPage() {
  const canOperate = useCan('operate');
  const [params, setParams] = useUrlState();
  const [filters, setFilters] = useState<MatrixFilterValues>({
    selector: params.get('selector') ?? '',
    bundle: params.get('bundle') ?? '',
    groupBy: params.get('group') ?? '',
    sort: parseRowSort(params.get('sort')),
  });
  const [stateFilter, setStateFilter] = useState<StateFilter>(() =>
    parseStateFilter(params.get('state')),
  );
  const selector = useDebounced(filters.selector.trim());
  const bundle = useDebounced(filters.bundle.trim());

  useEffect(() => {
    setParams({
      selector,
      bundle,
      group: filters.groupBy,
      sort: filters.sort === 'name' ? '' : filters.sort,
      state: stateFilter === 'all' ? '' : stateFilter,
    });
  }, [selector, bundle, filters.groupBy, filters.sort, stateFilter, setParams]);

  // The compact form: one letter per cell, and a 304 from the browser's cache (ETag) while
  // nothing changed, which is what a live update's refetch usually gets.
  const matrix = useQuery({
    queryKey: keys.matrix({ selector, bundle }),
    queryFn: ({ signal }) =>
      apiFetch<CompactFleetMatrix>(
        `/fleet/matrix${queryString({ selector, bundle, format: 'compact' })}`,
        { signal },
      ),
  });
  // A mistyped selector must not blank the matrix: keep showing the last good answer under the error.
  const lastGood = useRef<CompactFleetMatrix | undefined>(undefined);
  if (matrix.data) lastGood.current = matrix.data;
  const shown = matrix.data ?? lastGood.current;
  const model = useMemo(
    () => (shown ? buildMatrixModel(shown, { filter: stateFilter, sort: filters.sort }) : null),
    [shown, stateFilter, filters.sort],
  );

  const [isSelecting, setSelecting] = useState(false);
  const [selection, setSelection] = useState<ReadonlyMap<string, SelectedCell>>(new Map());
  const toggle = useCallback(
    (cells: SelectedCell[]) => setSelection((current) => toggleCells(current, cells)),
    [],
  );
  // A chosen cell's state follows the matrix; one no longer shown is no longer chosen.
  useEffect(() => {
    if (!model) return;
    setSelection((current) => {
      if (current.size === 0) return current;
      const next = new Map<string, SelectedCell>();
      const clusterById = new Map(model.clusters.map((entry) => [entry.id, entry]));
      const bundleById = new Map(model.bundles.map((entry) => [entry.id, entry]));
      for (const [key, cell] of current) {
        const cluster = clusterById.get(cell.clusterId);
        const column = bundleById.get(cell.bundleId);
        const state =
          cluster && column ? model.legend[cluster.letters[column.column] ?? '.'] : null;
        if (state) next.set(key, { ...cell, state });
      }
      return next;
    });
  }, [model]);

  const isUnfiltered = selector === '' && bundle === '';
  const isEmptyFleet = Boolean(
    shown && isUnfiltered && (shown.clusters.length === 0 || shown.bundles.length === 0),
  );
  const repos = useQuery({
    queryKey: keys.gitRepos,
    queryFn: () => apiFetch<Page<GitRepoDto>>('/gitrepos'),
    enabled: isEmptyFleet,
  });
  const groupKeys = useMemo(() => labelKeys(shown?.clusters ?? []), [shown?.clusters]);

  const selectorError =
    isProblemError(matrix.error) && matrix.error.status === 422
      ? (matrix.error.fieldError('selector') ?? matrix.error.detail)
      : undefined;

  return (
    <>
      <PageHeader
        title="Overview"
        description={
          model
            ? `${pluralize(model.clusters.length, 'cluster')} × ${pluralize(model.bundles.length, 'bundle')} · ${pluralize(model.deployments, 'deployment')}${stateFilter === 'all' ? '' : ` (rows and columns ${FILTER_WORDS[stateFilter]})`}`
            : 'Every bundle on every cluster'
        }
        actions={
          canOperate ? (
            <>
              <ButtonLink href="/clusters?register=1">Register a cluster</ButtonLink>
              <ButtonLink href="/gitrepos?connect=1">Connect a repository</ButtonLink>
            </>
          ) : null
        }
      />
      {!shown && matrix.isPending ? <Loading what="Loading the fleet" /> : null}
      {!shown && matrix.error && !selectorError ? <ProblemAlert error={matrix.error} /> : null}
      {shown && isEmptyFleet ? (
        <EmptyFleet
          canOperate={canOperate}
          hasClusters={shown.clusters.length > 0}
          hasRepos={(repos.data?.items.length ?? 0) > 0}
        />
      ) : null}
      {shown && model && !isEmptyFleet ? (
        <div className="space-y-4">
          <StateSummary summary={shown.summary} filter={stateFilter} onFilter={setStateFilter} />
          <MatrixFilters
            values={filters}
            onChange={(change) => setFilters((current) => ({ ...current, ...change }))}
            selectorError={selectorError}
            groupKeys={groupKeys}
            isFetching={matrix.isFetching}
          />
          {matrix.error && !selectorError ? <ProblemAlert error={matrix.error} /> : null}
          {canOperate && model.clusters.length > 0 ? (
            <BulkActions
              model={model}
              selection={selection}
              isSelecting={isSelecting}
              onSelectingChange={setSelecting}
              onClear={() => setSelection(new Map())}
            />
          ) : null}
          {model.clusters.length === 0 || model.bundles.length === 0 ? (
            <p
              role="status"
              className="rounded-md border border-slate-200 bg-white p-4 text-sm text-slate-700 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-300"
            >
              {shown.clusters.length === 0
                ? 'No cluster matches the selector.'
                : shown.bundles.length === 0
                  ? 'No bundle matches the name.'
                  : stateFilter === 'problems'
                    ? 'No problems: every deployment is Ready.'
                    : `No deployment is ${stateFilter} now.`}
            </p>
          ) : (
            <FleetMatrix
              model={model}
              groupBy={filters.groupBy}
              selection={selection}
              onToggle={canOperate ? toggle : undefined}
              isSelecting={isSelecting}
            />
          )}
        </div>
      ) : null}
    </>
  );
}

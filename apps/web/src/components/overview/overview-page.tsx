'use client';

import { apiFetch, isProblemError, queryString, type Page } from '@/client/api.ts';
import { keys } from '@/client/query-keys.ts';
import { useCan } from '@/client/session.ts';
import type { FleetMatrix as FleetMatrixDto, GitRepoDto } from '@/client/types.ts';
import { useDebounced } from '@/client/use-debounced.ts';
import { useUrlState } from '@/client/use-url-state.ts';
import { ButtonLink } from '@/components/ui/button.tsx';
import { Loading, PageHeader } from '@/components/ui/layout.tsx';
import { ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { pluralize } from '@/client/format.ts';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { EmptyFleet } from './empty-fleet.tsx';
import { FleetMatrix } from './fleet-matrix.tsx';
import { MatrixFilters, type MatrixFilterValues } from './matrix-filters.tsx';
import { labelKeys } from './matrix-rows.ts';
import { StateSummary } from './state-summary.tsx';

export function OverviewPage() {
  const canOperate = useCan('operate');
  const [params, setParams] = useUrlState();
  const [filters, setFilters] = useState<MatrixFilterValues>({
    selector: params.get('selector') ?? '',
    bundle: params.get('bundle') ?? '',
    groupBy: params.get('group') ?? '',
  });
  const selector = useDebounced(filters.selector.trim());
  const bundle = useDebounced(filters.bundle.trim());

  useEffect(() => {
    setParams({ selector, bundle, group: filters.groupBy });
  }, [selector, bundle, filters.groupBy, setParams]);

  const matrix = useQuery({
    queryKey: keys.matrix({ selector, bundle }),
    queryFn: ({ signal }) =>
      apiFetch<FleetMatrixDto>(`/fleet/matrix${queryString({ selector, bundle })}`, { signal }),
  });
  // A mistyped selector must not blank the matrix: keep showing the last good answer under the error.
  const lastGood = useRef<FleetMatrixDto | undefined>(undefined);
  if (matrix.data) lastGood.current = matrix.data;
  const shown = matrix.data ?? lastGood.current;

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
          shown
            ? `${pluralize(shown.clusters.length, 'cluster')} × ${pluralize(shown.bundles.length, 'bundle')} · ${pluralize(shown.cells.length, 'deployment')}`
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
      {shown && !isEmptyFleet ? (
        <div className="space-y-4">
          <StateSummary summary={shown.summary} />
          <MatrixFilters
            values={filters}
            onChange={(change) => setFilters((current) => ({ ...current, ...change }))}
            selectorError={selectorError}
            groupKeys={groupKeys}
            isFetching={matrix.isFetching}
          />
          {matrix.error && !selectorError ? <ProblemAlert error={matrix.error} /> : null}
          {shown.clusters.length === 0 || shown.bundles.length === 0 ? (
            <p
              role="status"
              className="rounded-md border border-slate-200 bg-white p-4 text-sm text-slate-700 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-300"
            >
              No{' '}
              {shown.clusters.length === 0
                ? 'cluster matches the selector'
                : 'bundle matches the name'}
              .
            </p>
          ) : (
            <FleetMatrix matrix={shown} groupBy={filters.groupBy} />
          )}
        </div>
      ) : null}
    </>
  );
}

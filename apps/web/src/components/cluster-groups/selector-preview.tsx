'use client';

import { apiFetch, isProblemError } from '@/client/api.ts';
import { pluralize } from '@/client/format.ts';
import { keys } from '@/client/query-keys.ts';
import type { ClusterDto, LabelSelector } from '@/client/types.ts';
import { useDebounced } from '@/client/use-debounced.ts';
import { ConnectivityBadge } from '@/components/ui/badges.tsx';
import { useQuery } from '@tanstack/react-query';

const SHOWN = 50;

/** The clusters a selector matches right now, asked of the server as the user types. */
export function SelectorPreview({ selector }: { selector: LabelSelector | string }) {
  const debounced = useDebounced(selector, 400);
  const preview = useQuery({
    queryKey: keys.selectorPreview(debounced),
    queryFn: ({ signal }) =>
      apiFetch<{ items: ClusterDto[] }>('/selectors/preview', {
        json: { selector: debounced },
        signal,
      }),
    placeholderData: (previous) => previous,
  });
  const error = preview.error;
  return (
    <section
      aria-labelledby="selector-preview-title"
      aria-live="polite"
      className="rounded-md border border-slate-200 p-3 dark:border-slate-700"
      data-testid="selector-preview"
    >
      <h3
        id="selector-preview-title"
        className="mb-2 text-sm font-semibold text-slate-900 dark:text-slate-50"
      >
        Matching clusters now {preview.data && !error ? `(${preview.data.items.length})` : ''}
        {preview.isFetching ? (
          <span className="ml-2 text-xs font-normal text-slate-600 dark:text-slate-400">
            updating…
          </span>
        ) : null}
      </h3>
      {error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          <span aria-hidden="true">✗ </span>
          {isProblemError(error)
            ? error.errors[0]
              ? `${error.errors[0].path}: ${error.errors[0].message}`
              : error.detail
            : 'the preview failed'}
        </p>
      ) : preview.data ? (
        preview.data.items.length === 0 ? (
          <p className="text-sm text-slate-700 dark:text-slate-300">No cluster matches.</p>
        ) : (
          <ul className="max-h-64 space-y-1 overflow-y-auto text-sm">
            {preview.data.items.slice(0, SHOWN).map((cluster) => (
              <li key={cluster.id} className="flex items-center justify-between gap-2">
                <span className="truncate">{cluster.name}</span>
                <ConnectivityBadge state={cluster.connectivity.state} />
              </li>
            ))}
            {preview.data.items.length > SHOWN ? (
              <li className="text-slate-600 dark:text-slate-400">
                and {pluralize(preview.data.items.length - SHOWN, 'more cluster')}
              </li>
            ) : null}
          </ul>
        )
      ) : (
        <p className="text-sm text-slate-600 dark:text-slate-400">Loading…</p>
      )}
    </section>
  );
}

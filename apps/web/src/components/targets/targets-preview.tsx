import type { BundleTargetsDto } from '@/client/types.ts';
import { ConnectivityBadge } from '@/components/ui/badges.tsx';

const SHOWN = 100;

/** The final set: every selected cluster, with the target that selected it (first match wins). */
export function TargetsPreview({
  preview,
  editorIndex,
  isFetching,
  error,
}: {
  preview: BundleTargetsDto | undefined;
  editorIndex: number[];
  isFetching: boolean;
  error: string | undefined;
}) {
  return (
    <section
      aria-labelledby="targets-preview-title"
      aria-live="polite"
      className="rounded-md border border-slate-200 p-3 dark:border-slate-700"
      data-testid="targets-preview"
    >
      <h3
        id="targets-preview-title"
        className="mb-2 text-sm font-semibold text-slate-900 dark:text-slate-50"
      >
        Selected clusters {preview && !error ? `(${preview.clusters.length})` : ''}
        {isFetching ? (
          <span className="ml-2 text-xs font-normal text-slate-600 dark:text-slate-400">
            updating…
          </span>
        ) : null}
      </h3>
      {error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          <span aria-hidden="true">✗ </span>
          {error}
        </p>
      ) : null}
      {!error && preview && preview.clusters.length === 0 ? (
        <p className="text-sm text-slate-700 dark:text-slate-300">
          No cluster is selected: this bundle would be deployed nowhere.
        </p>
      ) : null}
      {!error && preview && preview.clusters.length > 0 ? (
        <ul className="max-h-80 space-y-1 overflow-y-auto text-sm">
          {preview.clusters.slice(0, SHOWN).map((cluster) => (
            <li key={cluster.id} className="flex items-center justify-between gap-2">
              <span className="truncate">{cluster.name}</span>
              <span className="flex shrink-0 items-center gap-2">
                <span className="text-xs text-slate-600 dark:text-slate-400">
                  via target {(editorIndex[cluster.targetIndex] ?? cluster.targetIndex) + 1}
                </span>
                <ConnectivityBadge state={cluster.connectivity.state} />
              </span>
            </li>
          ))}
          {preview.clusters.length > SHOWN ? (
            <li className="text-slate-600 dark:text-slate-400">
              and {preview.clusters.length - SHOWN} more
            </li>
          ) : null}
        </ul>
      ) : null}
    </section>
  );
}

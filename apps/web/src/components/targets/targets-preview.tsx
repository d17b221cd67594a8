import type { BundleTargetsDto } from '@/client/types.ts';
import { ConnectivityBadge } from '@/components/ui/badges.tsx';
import { nameList, type TargetsImpact } from './targets-impact.ts';

const SHOWN = 100;

/**
 * The final set: every selected cluster, with the target that selected it (first match wins),
 * and what the edit changes against the saved targets: the clusters it gains and loses.
 */
export function TargetsPreview({
  preview,
  editorIndex,
  isFetching,
  error,
  impact,
}: {
  preview: BundleTargetsDto | undefined;
  editorIndex: number[];
  isFetching: boolean;
  error: string | undefined;
  impact?: TargetsImpact | undefined;
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
      {!error && impact ? <ImpactSummary impact={impact} /> : null}
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

/** Gained and lost against the saved targets, in words a person checks before saving. */
function ImpactSummary({ impact }: { impact: TargetsImpact }) {
  if (impact.gained.length === 0 && impact.lost.length === 0) {
    return (
      <p className="mb-2 text-sm text-slate-700 dark:text-slate-300" data-testid="targets-impact">
        No change: the same clusters get the bundle as with the saved targets.
      </p>
    );
  }
  return (
    <ul className="mb-2 space-y-1 text-sm" data-testid="targets-impact">
      {impact.gained.length > 0 ? (
        <li className="text-emerald-800 dark:text-emerald-300">
          <span aria-hidden="true">+ </span>
          Will gain the bundle ({impact.gained.length}): {nameList(impact.gained)}
        </li>
      ) : null}
      {impact.lost.length > 0 ? (
        <li className="text-red-800 dark:text-red-300">
          <span aria-hidden="true">− </span>
          Will lose the bundle ({impact.lost.length}): {nameList(impact.lost)}
        </li>
      ) : null}
    </ul>
  );
}

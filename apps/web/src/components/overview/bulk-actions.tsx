'use client';

import { apiFetch } from '@/client/api.ts';
import { pluralize } from '@/client/format.ts';
import type { FleetActionResult } from '@/client/types.ts';
import { Button } from '@/components/ui/button.tsx';
import { Dialog } from '@/components/ui/dialog.tsx';
import { ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import {
  bulkRequests,
  planBulkAction,
  type BulkAction,
  type BulkPlan,
  type SelectedCell,
} from './bulk-selection.ts';
import type { MatrixModel } from './matrix-rows.ts';

const DONE: Readonly<Record<BulkAction, string>> = {
  'correct-drift': 'Drift correction queued',
  retry: 'Retry queued',
  pause: 'Paused',
  resume: 'Resumed',
};

/**
 * The bar over the matrix for acting on many deployments at once: select mode, what is chosen,
 * the actions, and a confirmation that says how many deployments on how many clusters. The
 * answer is read per item: what was done, and why each other item was not.
 */
export function BulkActions({
  model,
  selection,
  isSelecting,
  onSelectingChange,
  onClear,
}: {
  model: MatrixModel;
  selection: ReadonlyMap<string, SelectedCell>;
  isSelecting: boolean;
  onSelectingChange: (isSelecting: boolean) => void;
  onClear: () => void;
}) {
  const queryClient = useQueryClient();
  const [plan, setPlan] = useState<BulkPlan | null>(null);
  const run = useMutation({
    mutationFn: async (chosen: BulkPlan) => {
      const results: FleetActionResult[] = [];
      // One request per 1,000 items, one after another: the server works a few at a time anyway.
      for (const body of bulkRequests(chosen))
        results.push(await apiFetch<FleetActionResult>('/fleet/actions', { json: body }));
      return {
        plan: chosen,
        done: results.reduce((sum, result) => sum + result.done, 0),
        failures: results.flatMap((result) => result.items.filter((item) => !item.isDone)),
      };
    },
    onSuccess: () => {
      setPlan(null);
      onClear();
      void queryClient.invalidateQueries({ queryKey: ['matrix'] });
      void queryClient.invalidateQueries({ queryKey: ['cluster'] });
      void queryClient.invalidateQueries({ queryKey: ['bundles'] });
    },
  });

  const chosen = [...selection.values()];
  const clusters = new Set(chosen.map((cell) => cell.clusterId)).size;
  const failed = chosen.filter((cell) => cell.state === 'ErrApplied').length;
  const ask = (action: BulkAction) => {
    run.reset();
    setPlan(planBulkAction(action, selection, model));
  };
  const nameOf = (bundleId: string, clusterId?: string) => {
    const bundle = model.bundles.find((entry) => entry.id === bundleId)?.name ?? bundleId;
    if (!clusterId) return bundle;
    const cluster = model.allClusters.find((entry) => entry.id === clusterId)?.name ?? clusterId;
    return `${bundle} on ${cluster}`;
  };

  return (
    <div className="space-y-2">
      <div
        role="toolbar"
        aria-label="Bulk actions"
        className="flex flex-wrap items-center gap-2 rounded-md border border-slate-200 bg-white px-3 py-2 dark:border-slate-800 dark:bg-slate-900"
      >
        <Button aria-pressed={isSelecting} onClick={() => onSelectingChange(!isSelecting)}>
          <span aria-hidden="true">{isSelecting ? '☑' : '☐'}</span>
          Select deployments
        </Button>
        <p
          role="status"
          className="basis-full text-sm text-slate-700 sm:min-w-0 sm:flex-1 sm:basis-0 dark:text-slate-300"
          data-testid="selection-status"
        >
          {chosen.length > 0
            ? `${pluralize(chosen.length, 'deployment')} on ${pluralize(clusters, 'cluster')} chosen`
            : isSelecting
              ? 'Click cells, cluster names or bundle names to choose them (Space from the keyboard).'
              : 'Choose deployments to act on many at once.'}
        </p>
        {chosen.length > 0 ? (
          <>
            <Button variant="primary" onClick={() => ask('correct-drift')}>
              Correct drift…
            </Button>
            <Button onClick={() => ask('retry')} disabled={failed === 0}>
              Retry failed ({failed.toLocaleString('en')})…
            </Button>
            <Button onClick={() => ask('pause')}>Pause bundles…</Button>
            <Button onClick={() => ask('resume')}>Resume bundles…</Button>
            <Button variant="ghost" onClick={onClear}>
              Clear
            </Button>
          </>
        ) : null}
      </div>
      {run.data ? (
        <div
          role="status"
          className="rounded-md border border-slate-200 bg-white p-3 text-sm text-slate-800 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-200"
        >
          <p className="font-medium">
            {DONE[run.data.plan.action]}: {run.data.done.toLocaleString('en')} of{' '}
            {(run.data.done + run.data.failures.length).toLocaleString('en')}.
          </p>
          {run.data.failures.length > 0 ? (
            <ul className="mt-1 list-disc pl-5">
              {run.data.failures.slice(0, 10).map((item) => (
                <li key={`${item.clusterId ?? ''}/${item.bundleId}`}>
                  {nameOf(item.bundleId, item.clusterId)}: {item.isDone ? '' : item.error.message}
                </li>
              ))}
              {run.data.failures.length > 10 ? (
                <li>and {pluralize(run.data.failures.length - 10, 'other')}</li>
              ) : null}
            </ul>
          ) : null}
        </div>
      ) : null}
      <Dialog isOpen={plan !== null} onClose={() => setPlan(null)} title={plan?.verb ?? ''}>
        {plan ? (
          <div className="space-y-4">
            <p className="text-sm" data-testid="bulk-confirmation">
              {plan.question}
            </p>
            {run.error ? <ProblemAlert error={run.error} /> : null}
            <div className="flex justify-end gap-2">
              <Button onClick={() => setPlan(null)}>Cancel</Button>
              <Button
                variant="primary"
                disabled={run.isPending || plan.deployments.length + plan.bundleIds.length === 0}
                onClick={() => run.mutate(plan)}
              >
                {run.isPending ? 'Working…' : plan.verb}
              </Button>
            </div>
          </div>
        ) : null}
      </Dialog>
    </div>
  );
}

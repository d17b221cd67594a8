'use client';

import { apiFetch, type ProblemError } from '@/client/api.ts';
import { keys } from '@/client/query-keys.ts';
import type { BundleTargetsDto } from '@/client/types.ts';
import { useDebounced } from '@/client/use-debounced.ts';
import { TextField } from '@/components/ui/field.tsx';
import type { TargetPayload } from '@/components/targets/target-drafts.ts';
import { nameList } from '@/components/targets/targets-impact.ts';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';

export type RepoTargetsChoice =
  { kind: 'every' } | { kind: 'selector'; selector: string } | { kind: 'none' };

/** The repository's default targets for a choice ("none" saves an empty list on purpose). */
export function targetsOfChoice(choice: RepoTargetsChoice): TargetPayload[] {
  switch (choice.kind) {
    case 'every':
      return [{ name: 'every cluster', clusterSelector: {} }];
    case 'selector':
      return [{ clusterSelector: choice.selector.trim() }];
    case 'none':
      return [];
  }
}

const OPTIONS = [
  ['every', 'Every cluster'],
  ['selector', 'Clusters matching a label selector'],
  ['none', 'No cluster for now (set targets later)'],
] as const;

/**
 * The connect form's targets step: where the new repository's bundles go, with the clusters that
 * choice selects right now, so a new repository does not deploy nowhere without saying so.
 * Finer rules (several targets, groups) are edited on the repository page afterwards.
 */
export function RepoTargetsStep({
  choice,
  onChange,
  problem,
  missingSelector,
}: {
  choice: RepoTargetsChoice;
  onChange: (choice: RepoTargetsChoice) => void;
  problem: ProblemError | null;
  /** Set when the form was submitted with the selector option and no selector. */
  missingSelector?: string | undefined;
}) {
  // Memoised: useDebounced restarts on every new value, and a new array each render never settles.
  const targets = useMemo(() => targetsOfChoice(choice), [choice]);
  const debounced = useDebounced(targets, 400);
  const isPreviewable =
    debounced.length > 0 &&
    (typeof debounced[0]?.clusterSelector !== 'string' || debounced[0].clusterSelector !== '');
  const preview = useQuery({
    queryKey: keys.targetsPreview(debounced),
    queryFn: ({ signal }) =>
      apiFetch<BundleTargetsDto>('/targets/preview', { json: { targets: debounced }, signal }),
    enabled: isPreviewable,
    placeholderData: (previous) => previous,
  });
  const selectorError =
    missingSelector ??
    problem?.fieldError('targets[0].clusterSelector') ??
    (choice.kind === 'selector' && preview.error && isPreviewable
      ? (preview.error as Partial<ProblemError>).errors?.[0]?.message
      : undefined);

  return (
    <fieldset className="space-y-2 rounded-md border border-slate-200 p-3 dark:border-slate-700">
      <legend className="px-1 text-sm font-medium text-slate-800 dark:text-slate-200">
        Deploy to
      </legend>
      <div className="flex flex-col gap-1 text-sm">
        {OPTIONS.map(([kind, label]) => (
          <label key={kind} className="flex items-center gap-1.5">
            <input
              type="radio"
              name="repo-targets"
              value={kind}
              checked={choice.kind === kind}
              onChange={() => onChange(kind === 'selector' ? { kind, selector: '' } : { kind })}
              className="accent-teal-700"
            />
            {label}
          </label>
        ))}
      </div>
      {choice.kind === 'selector' ? (
        <TextField
          label="Cluster selector"
          isMono
          placeholder="env=prod,region in (eu,us)"
          value={choice.selector}
          onChange={(event) => onChange({ kind: 'selector', selector: event.target.value })}
          error={selectorError}
          spellCheck={false}
          autoComplete="off"
        />
      ) : null}
      <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="repo-targets-preview">
        {choice.kind === 'none'
          ? 'Nothing is deployed until you add targets on the repository page.'
          : !isPreviewable
            ? 'Type a selector to see the clusters it selects.'
            : preview.data && !selectorError
              ? preview.data.clusters.length === 0
                ? 'No cluster matches now: the bundles deploy once a matching cluster is registered.'
                : `Deploys to ${preview.data.clusters.length} cluster${preview.data.clusters.length === 1 ? '' : 's'} now: ${nameList(preview.data.clusters)}.`
              : ''}
      </p>
    </fieldset>
  );
}

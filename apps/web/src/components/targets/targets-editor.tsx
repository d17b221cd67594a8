'use client';

import { apiFetch, isProblemError, type Page, type ProblemError } from '@/client/api.ts';
import { keys } from '@/client/query-keys.ts';
import type { BundleTargetsDto, ClusterGroupDto, Target } from '@/client/types.ts';
import { useDebounced } from '@/client/use-debounced.ts';
import { Button } from '@/components/ui/button.tsx';
import { ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { TargetCard } from './target-card.tsx';
import {
  draftToPayload,
  emptyDraft,
  moveItem,
  previewRequest,
  targetToDraft,
  type TargetDraft,
  type TargetPayload,
} from './target-drafts.ts';
import { targetsImpact, type TargetsImpact } from './targets-impact.ts';
import { TargetsPreview } from './targets-preview.tsx';
import { TargetsRemovalDialog } from './targets-removal-dialog.tsx';

/**
 * Ordered targets with a live preview of what each selects and of the final set. A cluster goes
 * to the first target that matches it (Fleet's rule), so order matters and can be changed.
 * The preview compares with the saved targets (clusters gained and lost), and saving a change
 * that takes the bundle away from clusters asks first, naming them.
 */
export function TargetsEditor({
  initial,
  isReadOnly,
  isSaving,
  saveError,
  saveLabel = 'Save targets',
  onSave,
}: {
  initial: Target[];
  isReadOnly: boolean;
  isSaving: boolean;
  saveError: unknown;
  saveLabel?: string;
  onSave: (targets: TargetPayload[]) => void;
}) {
  const [drafts, setDrafts] = useState<TargetDraft[]>(() => initial.map(targetToDraft));
  const [pending, setPending] = useState<{
    targets: TargetPayload[];
    impact: TargetsImpact;
  } | null>(null);
  const [isChecking, setIsChecking] = useState(false);
  const request = useMemo(() => previewRequest(drafts), [drafts]);
  // What the saved targets select now: the baseline of "gains" and "loses".
  const savedRequest = useMemo(() => previewRequest(initial.map(targetToDraft)), [initial]);
  const debounced = useDebounced(request, 400);
  const groups = useQuery({
    queryKey: keys.clusterGroups,
    queryFn: () => apiFetch<Page<ClusterGroupDto>>('/cluster-groups'),
  });
  const preview = useQuery({
    queryKey: keys.targetsPreview(debounced.targets),
    queryFn: ({ signal }) =>
      apiFetch<BundleTargetsDto>('/targets/preview', {
        json: { targets: debounced.targets },
        signal,
      }),
    placeholderData: (previous) => previous,
  });
  const saved = useQuery({
    queryKey: keys.targetsPreview(savedRequest.targets),
    queryFn: ({ signal }) =>
      apiFetch<BundleTargetsDto>('/targets/preview', {
        json: { targets: savedRequest.targets },
        signal,
      }),
  });
  const impact = useMemo(
    () =>
      saved.data && preview.data && !preview.error
        ? targetsImpact(saved.data.clusters, preview.data.clusters)
        : undefined,
    [saved.data, preview.data, preview.error],
  );

  /**
   * Saving asks the preview for exactly what is about to be sent (the debounced one may lag a
   * keystroke behind), so the confirmation names the clusters this save would really drop.
   */
  const requestSave = async () => {
    const targets = drafts.map(draftToPayload);
    setIsChecking(true);
    try {
      // A save right after the page opened must not skip the check: wait for the baseline.
      const baseline = saved.data ?? (await saved.refetch()).data;
      if (!baseline) {
        onSave(targets);
        return;
      }
      const next = await apiFetch<BundleTargetsDto>('/targets/preview', { json: { targets } });
      const change = targetsImpact(baseline.clusters, next.clusters);
      if (change.lost.length > 0) setPending({ targets, impact: change });
      else onSave(targets);
    } catch {
      // Invalid targets: the save itself reports each field's problem.
      onSave(targets);
    } finally {
      setIsChecking(false);
    }
  };

  const problem: ProblemError | null = isProblemError(saveError)
    ? saveError
    : isProblemError(preview.error)
      ? remapPreviewErrors(preview.error, debounced.editorIndex)
      : null;
  const matchedByTarget = useMemo(() => {
    if (!preview.data || preview.error) return undefined;
    const counts = new Map<number, number>();
    for (const cluster of preview.data.clusters) {
      const index = debounced.editorIndex[cluster.targetIndex];
      if (index !== undefined) counts.set(index, (counts.get(index) ?? 0) + 1);
    }
    return counts;
  }, [preview.data, preview.error, debounced.editorIndex]);
  const groupNames = (groups.data?.items ?? []).map((group) => group.name);
  const previewError = isProblemError(preview.error)
    ? 'Fix the marked fields to see which clusters are selected.'
    : preview.error
      ? 'the preview failed'
      : undefined;

  return (
    <div className="grid gap-4 xl:grid-cols-[3fr_2fr]">
      <div className="space-y-3">
        <ProblemAlert
          error={saveError}
          shownPaths={['targets']}
          title="The targets were not saved"
        />
        {drafts.length === 0 ? (
          <p className="text-sm text-slate-700 dark:text-slate-300">
            No targets: no cluster gets this bundle.
          </p>
        ) : null}
        <p className="text-sm text-slate-700 dark:text-slate-300">
          A cluster gets the bundle through the first target that matches it. Within one target,
          every field you fill in must match (they combine with AND); leave a field blank to ignore
          it.
        </p>
        <ol className="space-y-3" aria-label="Targets, first match wins">
          {drafts.map((draft, index) => (
            <TargetCard
              key={draft.key}
              draft={draft}
              index={index}
              count={drafts.length}
              matched={matchedByTarget ? (matchedByTarget.get(index) ?? 0) : undefined}
              groupNames={groupNames}
              problem={problem}
              isReadOnly={isReadOnly}
              onChange={(next) =>
                setDrafts((current) => current.map((entry, at) => (at === index ? next : entry)))
              }
              onMove={(to) => setDrafts((current) => moveItem(current, index, to))}
              onRemove={() => setDrafts((current) => current.filter((_, at) => at !== index))}
            />
          ))}
        </ol>
        {isReadOnly ? null : (
          <div className="flex flex-wrap gap-2">
            <Button onClick={() => setDrafts((current) => [...current, emptyDraft()])}>
              + Add target
            </Button>
            <Button
              variant="primary"
              disabled={isSaving || isChecking}
              onClick={() => void requestSave()}
            >
              {isSaving ? 'Saving…' : saveLabel}
            </Button>
          </div>
        )}
      </div>
      <TargetsPreview
        preview={preview.data}
        editorIndex={debounced.editorIndex}
        isFetching={preview.isFetching}
        error={previewError}
        impact={impact}
      />
      <TargetsRemovalDialog
        impact={pending?.impact ?? null}
        onCancel={() => setPending(null)}
        onConfirm={() => {
          if (pending) onSave(pending.targets);
          setPending(null);
        }}
      />
    </div>
  );
}

/** The preview was asked without blank targets: put its error paths back on the editor's indexes. */
function remapPreviewErrors(error: ProblemError, editorIndex: number[]): ProblemError {
  const remapped = Object.create(Object.getPrototypeOf(error) as object) as ProblemError;
  Object.assign(remapped, error, {
    errors: error.errors.map((fieldError) => ({
      ...fieldError,
      path: fieldError.path.replace(
        /^targets\[(\d+)\]/,
        (_, index: string) => `targets[${editorIndex[Number(index)] ?? index}]`,
      ),
    })),
  });
  return remapped;
}

'use client';

import { apiFetch } from '@/client/api.ts';
import { keys } from '@/client/query-keys.ts';
import type { BundleTargetsDto, GitRepoDto } from '@/client/types.ts';
import { TargetsEditor } from '@/components/targets/targets-editor.tsx';
import { targetsImpact, type TargetsImpact } from '@/components/targets/targets-impact.ts';
import { TargetsRemovalDialog } from '@/components/targets/targets-removal-dialog.tsx';
import type { TargetPayload } from '@/components/targets/target-drafts.ts';
import { Button } from '@/components/ui/button.tsx';
import { Checkbox } from '@/components/ui/field.tsx';
import { Loading } from '@/components/ui/layout.tsx';
import { Notice, ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

/**
 * Which clusters get this bundle: its own ordered targets, or its repository's (the toggle).
 * Saving replaces the rules in Postgres and re-plans the bundle at once. Going back to the
 * repository's targets asks first when they select fewer clusters, naming the ones that lose
 * the bundle, as an edit of the bundle's own targets does.
 */
export function BundleTargets({
  bundleId,
  gitRepoId,
  canOperate,
}: {
  bundleId: string;
  gitRepoId: string;
  canOperate: boolean;
}) {
  const queryClient = useQueryClient();
  const current = useQuery({
    queryKey: keys.bundleTargets(bundleId),
    queryFn: () => apiFetch<BundleTargetsDto>(`/bundles/${bundleId}/targets`),
  });
  const [usesRepo, setUsesRepo] = useState<boolean | null>(null);
  const [version, setVersion] = useState(0);
  const [loss, setLoss] = useState<TargetsImpact | null>(null);
  const [isChecking, setIsChecking] = useState(false);
  const save = useMutation({
    mutationFn: (targets: TargetPayload[] | null) =>
      apiFetch<BundleTargetsDto>(`/bundles/${bundleId}/targets`, {
        method: 'PUT',
        json: { targets },
      }),
    onSuccess: async (saved) => {
      queryClient.setQueryData(keys.bundleTargets(bundleId), saved);
      setUsesRepo(null);
      setVersion((value) => value + 1);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: keys.bundle(bundleId) }),
        queryClient.invalidateQueries({ queryKey: ['matrix'] }),
      ]);
    },
  });

  /** What the repository's targets select now, against what the bundle's own select. */
  const switchToRepoTargets = async (selected: BundleTargetsDto['clusters']) => {
    setIsChecking(true);
    try {
      const repo = await apiFetch<GitRepoDto>(`/gitrepos/${gitRepoId}`);
      const next = await apiFetch<BundleTargetsDto>('/targets/preview', {
        json: { targets: repo.targets },
      });
      const change = targetsImpact(selected, next.clusters);
      if (change.lost.length > 0) setLoss(change);
      else save.mutate(null);
    } catch {
      // The preview failed (the repository has no targets to preview, say): the save itself
      // says what is wrong, if anything.
      save.mutate(null);
    } finally {
      setIsChecking(false);
    }
  };

  if (current.isPending) return <Loading what="Loading targets" />;
  if (!current.data) return <ProblemAlert error={current.error} />;
  const selected = current.data.clusters;
  const isInherited = usesRepo ?? current.data.inherited;
  const hasChangedMode = isInherited !== current.data.inherited;

  return (
    <div className="space-y-4">
      {save.isSuccess && !hasChangedMode ? (
        <Notice tone="success">Targets saved: the bundle is being re-planned.</Notice>
      ) : null}
      <Checkbox
        label="Use the repository's targets"
        hint="Off: this bundle has its own targets, which replace the repository's."
        checked={isInherited}
        disabled={!canOperate}
        onChange={(event) => {
          save.reset();
          setUsesRepo(event.target.checked);
          setVersion((value) => value + 1);
        }}
      />
      {isInherited && hasChangedMode ? (
        <div className="flex flex-wrap items-center gap-3">
          <p className="text-sm text-slate-700 dark:text-slate-300">
            This bundle&apos;s own targets will be dropped in favour of the repository&apos;s.
          </p>
          <Button
            variant="primary"
            disabled={save.isPending || isChecking}
            onClick={() => void switchToRepoTargets(selected)}
          >
            Use the repository&apos;s targets
          </Button>
          <ProblemAlert error={save.error} />
        </div>
      ) : null}
      <TargetsEditor
        key={`${version}-${isInherited ? 'repo' : 'own'}`}
        initial={current.data.targets}
        isReadOnly={!canOperate || isInherited}
        isSaving={save.isPending}
        saveError={isInherited ? null : save.error}
        saveLabel="Save targets"
        onSave={(targets) => save.mutate(targets)}
      />
      <TargetsRemovalDialog
        impact={loss}
        onCancel={() => setLoss(null)}
        onConfirm={() => {
          save.mutate(null);
          setLoss(null);
        }}
      />
    </div>
  );
}

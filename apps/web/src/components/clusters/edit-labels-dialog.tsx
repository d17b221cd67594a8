'use client';

import { apiFetch, isProblemError } from '@/client/api.ts';
import { labelsToRows, rowsToLabels, type LabelRow } from '@/client/labels.ts';
import type { ClusterDto } from '@/client/types.ts';
import { Button } from '@/components/ui/button.tsx';
import { Dialog } from '@/components/ui/dialog.tsx';
import { LabelsEditor } from '@/components/ui/labels-editor.tsx';
import { ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

/** Replaces a cluster's labels (PATCH `{ labels }`); targets are re-evaluated right after. */
export function EditLabelsDialog({
  cluster,
  onClose,
}: {
  cluster: ClusterDto;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [rows, setRows] = useState<LabelRow[]>(() => labelsToRows(cluster.labels));
  const save = useMutation({
    mutationFn: () =>
      apiFetch<ClusterDto>(`/clusters/${cluster.id}`, {
        method: 'PATCH',
        json: { labels: rowsToLabels(rows) },
      }),
    onSuccess: async () => {
      await Promise.all(
        ['clusters', 'cluster', 'matrix', 'cluster-groups'].map((key) =>
          queryClient.invalidateQueries({ queryKey: [key] }),
        ),
      );
      onClose();
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <Dialog isOpen onClose={onClose} title={<>Labels of {cluster.name}</>}>
      <form onSubmit={onSubmit} className="space-y-4">
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Labels decide which bundles this cluster gets. Saving re-evaluates every bundle&apos;s
          targets.
        </p>
        <ProblemAlert
          error={save.error}
          shownPaths={['labels']}
          title="The labels were not saved"
        />
        <LabelsEditor
          rows={rows}
          onChange={setRows}
          problem={isProblemError(save.error) ? save.error : null}
        />
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={save.isPending}>
            Save labels
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

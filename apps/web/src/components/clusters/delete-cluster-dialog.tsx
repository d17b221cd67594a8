'use client';

import { apiFetch } from '@/client/api.ts';
import type { ClusterDto } from '@/client/types.ts';
import { Button } from '@/components/ui/button.tsx';
import { Dialog } from '@/components/ui/dialog.tsx';
import { ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { useMutation, useQueryClient } from '@tanstack/react-query';

/** Says exactly what unregistering does before doing it: Flotilla forgets, the cluster keeps its objects. */
export function DeleteClusterDialog({
  cluster,
  onClose,
  onDeleted,
}: {
  cluster: ClusterDto;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => apiFetch<void>(`/clusters/${cluster.id}`, { method: 'DELETE' }),
    onSuccess: async () => {
      await Promise.all(
        ['clusters', 'matrix', 'cluster-groups'].map((key) =>
          queryClient.invalidateQueries({ queryKey: [key] }),
        ),
      );
      queryClient.removeQueries({ queryKey: ['cluster', cluster.id] });
      onDeleted();
    },
  });
  return (
    <Dialog isOpen onClose={onClose} title={<>Unregister {cluster.name}?</>}>
      <div className="space-y-3 text-sm text-slate-700 dark:text-slate-300">
        <p>Flotilla stops managing this cluster:</p>
        <ul className="list-disc space-y-1 pl-5">
          <li>
            <strong>The objects it deployed stay on the cluster</strong>, running. Nothing is
            deleted there.
          </li>
          <li>Its deployments, states and credentials are removed from Flotilla.</li>
          <li>
            To remove the workloads too, untarget the cluster first and wait until its bundles are
            pruned.
          </li>
        </ul>
        <ProblemAlert error={remove.error} title="The cluster was not unregistered" />
        <div className="flex justify-end gap-2 pt-2">
          <Button onClick={onClose} autoFocus>
            Cancel
          </Button>
          <Button variant="danger" onClick={() => remove.mutate()} disabled={remove.isPending}>
            {remove.isPending ? 'Unregistering…' : 'Unregister cluster'}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}

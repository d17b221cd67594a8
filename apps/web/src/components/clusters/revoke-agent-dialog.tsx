'use client';

import { apiFetch } from '@/client/api.ts';
import type { ClusterDto } from '@/client/types.ts';
import { Button } from '@/components/ui/button.tsx';
import { Dialog } from '@/components/ui/dialog.tsx';
import { ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { useMutation, useQueryClient } from '@tanstack/react-query';

export interface RevokedAgent {
  credentialsRevoked: number;
  tokensRevoked: number;
}

/** Says what revoking cuts off, and what it leaves, before doing it. */
export function RevokeAgentDialog({
  cluster,
  onClose,
  onRevoked,
}: {
  cluster: ClusterDto;
  onClose: () => void;
  onRevoked: (result: RevokedAgent) => void;
}) {
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: () =>
      apiFetch<RevokedAgent>(`/clusters/${cluster.id}/agent/revoke`, { method: 'POST' }),
    onSuccess: async (result) => {
      await queryClient.invalidateQueries({ queryKey: ['cluster', cluster.id] });
      onRevoked(result);
    },
  });
  return (
    <Dialog isOpen onClose={onClose} title={<>Revoke the agent of {cluster.name}?</>}>
      <div className="space-y-3 text-sm text-slate-700 dark:text-slate-300">
        <ul className="list-disc space-y-1 pl-5">
          <li>
            <strong>Every credential of the agent and every unused registration token</strong> stop
            working: Flotilla refuses the agent from its next request on.
          </li>
          <li>
            The cluster turns Offline when its heartbeats stop. Its deployments stay in Flotilla and
            the objects on the cluster stay, running.
          </li>
          <li>A new registration token lets an agent in again.</li>
        </ul>
        <ProblemAlert error={revoke.error} title="The agent was not revoked" />
        <div className="flex justify-end gap-2 pt-2">
          <Button onClick={onClose} autoFocus>
            Cancel
          </Button>
          <Button variant="danger" onClick={() => revoke.mutate()} disabled={revoke.isPending}>
            {revoke.isPending ? 'Revoking…' : 'Revoke agent'}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}

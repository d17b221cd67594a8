'use client';

import { apiFetch } from '@/client/api.ts';
import { keys } from '@/client/query-keys.ts';
import type { BundleDetailDto, DeploymentHistoryEntryDto } from '@/client/types.ts';
import { CommitLink } from '@/components/common/commit-link.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Loading } from '@/components/ui/layout.tsx';
import { Notice, ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { RelativeTime } from '@/components/ui/relative-time.tsx';
import { MUTED, Table, Td, Th } from '@/components/ui/table.tsx';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

const TRIGGER_LABEL: Readonly<Record<DeploymentHistoryEntryDto['trigger'], string>> = {
  commit: 'Git commit',
  drift: 'drift correction',
  retry: 'retry',
  rollback: 'rollback',
};

/**
 * The revisions applied to one deployment, newest first. An operator may roll the whole
 * bundle back to the commit of an entry that was applied (a pin; released on the bundle page).
 */
export function DeploymentHistory({
  deploymentId,
  bundleId,
  appliedCommit,
  template,
  canOperate,
}: {
  deploymentId: string;
  bundleId: string;
  appliedCommit: string | null;
  template: string | null;
  canOperate: boolean;
}) {
  const queryClient = useQueryClient();
  const history = useQuery({
    queryKey: keys.deploymentHistory(deploymentId),
    queryFn: () =>
      apiFetch<{ items: DeploymentHistoryEntryDto[] }>(`/deployments/${deploymentId}/history`),
  });
  const rollBack = useMutation({
    mutationFn: (commit: string) =>
      apiFetch<BundleDetailDto>(`/bundles/${bundleId}/pin`, { method: 'PUT', json: { commit } }),
    onSuccess: (updated) => {
      queryClient.setQueryData(keys.bundle(bundleId), updated);
      void queryClient.invalidateQueries({ queryKey: keys.deployment(deploymentId) });
    },
  });

  if (history.isPending) return <Loading what="Loading the history" />;
  if (!history.data) return <ProblemAlert error={history.error} />;
  const items = history.data.items;
  if (items.length === 0)
    return <p className={`text-sm ${MUTED}`}>Nothing has been applied to this cluster yet.</p>;
  return (
    <div className="space-y-2">
      <ProblemAlert error={rollBack.error} title="Could not roll back" />
      {rollBack.isSuccess ? (
        <Notice tone="success">
          Rolled back: the bundle is pinned to {rollBack.variables.slice(0, 7)} on every cluster;
          release the pin on the bundle page to follow Git again.
        </Notice>
      ) : null}
      <Table label="History">
        <thead>
          <tr>
            <Th>When</Th>
            <Th>Commit</Th>
            <Th>Trigger</Th>
            <Th>Result</Th>
            {canOperate ? <Th>Action</Th> : null}
          </tr>
        </thead>
        <tbody>
          {items.map((entry) => (
            <tr key={entry.id} data-testid="history-entry">
              <Td>
                <RelativeTime iso={entry.at} />
              </Td>
              <Td>
                <CommitLink commit={entry.commit} template={template} />
                <span className={`ml-2 text-xs ${MUTED}`} title={entry.revisionHash}>
                  revision <code className="font-mono">{entry.revisionHash.slice(0, 12)}</code>
                </span>
              </Td>
              <Td>{TRIGGER_LABEL[entry.trigger]}</Td>
              <Td>
                {entry.result === 'applied' ? (
                  'applied'
                ) : (
                  <span className="whitespace-pre-wrap text-red-800 dark:text-red-300">
                    failed: {entry.error}
                  </span>
                )}
              </Td>
              {canOperate ? (
                <Td>
                  {entry.result === 'applied' && entry.commit && entry.commit !== appliedCommit ? (
                    <Button
                      onClick={() => entry.commit && rollBack.mutate(entry.commit)}
                      disabled={rollBack.isPending}
                    >
                      Roll back to this commit
                    </Button>
                  ) : null}
                </Td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}

'use client';

import { apiFetch, type Page } from '@/client/api.ts';
import { keys } from '@/client/query-keys.ts';
import { useCan } from '@/client/session.ts';
import type { ClusterGroupDto } from '@/client/types.ts';
import { LabelChips } from '@/components/ui/badges.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Dialog } from '@/components/ui/dialog.tsx';
import { EmptyState, Loading, PageHeader } from '@/components/ui/layout.tsx';
import { ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { LINK_CLASS, Table, Td, Th } from '@/components/ui/table.tsx';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { GroupEditor } from './group-editor.tsx';

export function ClusterGroupsPage() {
  const canOperate = useCan('operate');
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<ClusterGroupDto | 'new' | null>(null);
  const [deleting, setDeleting] = useState<ClusterGroupDto | null>(null);
  const groups = useQuery({
    queryKey: keys.clusterGroups,
    queryFn: () => apiFetch<Page<ClusterGroupDto>>('/cluster-groups'),
  });
  const remove = useMutation({
    mutationFn: (group: ClusterGroupDto) =>
      apiFetch<void>(`/cluster-groups/${group.id}`, { method: 'DELETE' }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['cluster-groups'] });
      setDeleting(null);
    },
  });

  return (
    <>
      <PageHeader
        title="Cluster groups"
        description="Named label selectors over clusters; targets can select a group by name or by its labels."
        actions={
          canOperate ? (
            <Button variant="primary" onClick={() => setEditing('new')}>
              New cluster group
            </Button>
          ) : null
        }
      />
      {groups.isPending ? <Loading what="Loading cluster groups" /> : null}
      {groups.error ? (
        <ProblemAlert error={groups.error} onRetry={() => void groups.refetch()} />
      ) : null}
      {groups.data && groups.data.items.length === 0 ? (
        <EmptyState
          title="No cluster groups yet"
          actions={
            canOperate ? (
              <Button variant="primary" onClick={() => setEditing('new')}>
                New cluster group
              </Button>
            ) : null
          }
        >
          A group names a set of clusters by their labels, such as all production clusters in
          Europe.
        </EmptyState>
      ) : null}
      {groups.data && groups.data.items.length > 0 ? (
        <Table label="Cluster groups">
          <thead>
            <tr>
              <Th>Name</Th>
              <Th>Selector</Th>
              <Th>Group labels</Th>
              <Th className="text-right">Clusters</Th>
              {canOperate ? (
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {groups.data.items.map((group) => (
              <tr key={group.id} data-testid="group-row">
                <Td className="font-medium break-all">
                  <Link href={`/cluster-groups/${group.id}`} className={LINK_CLASS}>
                    {group.name}
                  </Link>
                </Td>
                <Td>
                  <code className="font-mono text-xs break-all">
                    {group.selectorText || '(every cluster)'}
                  </code>
                </Td>
                <Td>
                  <LabelChips labels={group.labels} />
                </Td>
                <Td className="text-right tabular-nums">
                  {group.clusterCount.toLocaleString('en')}
                </Td>
                {canOperate ? (
                  <Td className="text-right whitespace-nowrap">
                    <Button variant="ghost" onClick={() => setEditing(group)}>
                      Edit<span className="sr-only"> {group.name}</span>
                    </Button>
                    <Button variant="ghost" onClick={() => setDeleting(group)}>
                      Delete<span className="sr-only"> {group.name}</span>
                    </Button>
                  </Td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
      <Dialog
        isOpen={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? 'New cluster group' : `Edit ${editing?.name ?? ''}`}
        width="max-w-4xl"
      >
        {editing !== null ? (
          <GroupEditor
            key={editing === 'new' ? 'new' : editing.id}
            group={editing === 'new' ? null : editing}
            onDone={() => setEditing(null)}
            onCancel={() => setEditing(null)}
          />
        ) : null}
      </Dialog>
      <Dialog
        isOpen={deleting !== null}
        onClose={() => setDeleting(null)}
        title={`Delete ${deleting?.name ?? ''}?`}
      >
        <p className="text-sm text-slate-700 dark:text-slate-300">
          Targets that name this group will no longer match any cluster through it; their bundles
          are re-planned and pruned from clusters no other target selects.
        </p>
        <div className="mt-3">
          <ProblemAlert error={remove.error} />
        </div>
        <div className="mt-4 flex justify-end gap-2">
          <Button onClick={() => setDeleting(null)} autoFocus>
            Cancel
          </Button>
          <Button
            variant="danger"
            disabled={remove.isPending}
            onClick={() => deleting && remove.mutate(deleting)}
          >
            Delete group
          </Button>
        </div>
      </Dialog>
    </>
  );
}

'use client';

import { apiFetch, type Page } from '@/client/api.ts';
import { useCan } from '@/client/session.ts';
import { Button } from '@/components/ui/button.tsx';
import { Dialog } from '@/components/ui/dialog.tsx';
import { EmptyState, Loading, PageHeader } from '@/components/ui/layout.tsx';
import { ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { Table, Td, Th } from '@/components/ui/table.tsx';
import type { SyncWindowDto } from '@flotilla/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { SyncWindowForm } from './sync-window-form.tsx';

const QUERY_KEY = ['sync-windows'] as const;

/** How a window's targets read in the table: "env=prod", "group europe". */
function targetsText(window: SyncWindowDto): string {
  return window.targets
    .map((target) =>
      [
        target.clusterName ? `cluster ${target.clusterName}` : '',
        target.clusterSelector ? selectorText(target.clusterSelector) : '',
        target.clusterGroup ? `group ${target.clusterGroup}` : '',
        target.clusterGroupSelector ? `groups ${selectorText(target.clusterGroupSelector)}` : '',
      ]
        .filter(Boolean)
        .join(' & '),
    )
    .join('; ');
}

function selectorText(selector: NonNullable<SyncWindowDto['targets'][number]['clusterSelector']>) {
  const labels = Object.entries(selector.matchLabels ?? {}).map(
    ([key, value]) => `${key}=${value}`,
  );
  const expressions = (selector.matchExpressions ?? []).map(
    (expression) =>
      `${expression.key} ${expression.operator} (${(expression.values ?? []).join(',')})`,
  );
  return [...labels, ...expressions].join(',') || '(every cluster)';
}

/** The workspace's sync windows: when changes may (allow) or may not (deny) reach clusters. */
export function SyncWindowsPage() {
  const canOperate = useCan('operate');
  const queryClient = useQueryClient();
  const [isCreating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<SyncWindowDto | null>(null);
  const windows = useQuery({
    queryKey: QUERY_KEY,
    queryFn: () => apiFetch<Page<SyncWindowDto>>('/sync-windows'),
  });
  const remove = useMutation({
    mutationFn: (window: SyncWindowDto) =>
      apiFetch<void>(`/sync-windows/${window.id}`, { method: 'DELETE' }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: QUERY_KEY });
      setDeleting(null);
    },
  });
  const newButton = canOperate ? (
    <Button variant="primary" onClick={() => setCreating(true)}>
      New sync window
    </Button>
  ) : null;

  return (
    <>
      <PageHeader
        title="Sync windows"
        description="When changes may reach clusters. Outside an allow window, or inside a deny window, new commits and drift corrections wait and show Pending until the window opens."
        actions={newButton}
      />
      {windows.isPending ? <Loading what="Loading sync windows" /> : null}
      {windows.error ? (
        <ProblemAlert error={windows.error} onRetry={() => void windows.refetch()} />
      ) : null}
      {windows.data && windows.data.items.length === 0 ? (
        <EmptyState title="No sync windows" actions={newButton}>
          Without windows, changes reach clusters at any time. A window such as &quot;prod only
          Tue-Thu 09:00-16:00 Europe/Berlin&quot; holds them back outside those hours.
        </EmptyState>
      ) : null}
      {windows.data && windows.data.items.length > 0 ? (
        <Table label="Sync windows">
          <thead>
            <tr>
              <Th>Name</Th>
              <Th>Kind</Th>
              <Th>Schedule</Th>
              <Th>Duration</Th>
              <Th>Time zone</Th>
              <Th>Targets</Th>
              <Th>Manual sync</Th>
              <Th>Now</Th>
              {canOperate ? (
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {windows.data.items.map((window) => (
              <tr key={window.id} data-testid="sync-window-row">
                <Td className="font-medium break-all">{window.name}</Td>
                <Td>{window.kind}</Td>
                <Td>
                  <code className="font-mono text-xs">{window.schedule}</code>
                </Td>
                <Td>{window.duration}</Td>
                <Td>{window.timeZone}</Td>
                <Td>
                  <code className="font-mono text-xs break-all">{targetsText(window)}</code>
                </Td>
                <Td>{window.manualSync ? 'allowed' : 'no'}</Td>
                <Td>{window.isActive ? 'active' : 'inactive'}</Td>
                {canOperate ? (
                  <Td className="text-right whitespace-nowrap">
                    <Button variant="ghost" onClick={() => setDeleting(window)}>
                      Delete<span className="sr-only"> {window.name}</span>
                    </Button>
                  </Td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
      <Dialog
        isOpen={isCreating}
        onClose={() => setCreating(false)}
        title="New sync window"
        width="max-w-3xl"
      >
        {isCreating ? (
          <SyncWindowForm onDone={() => setCreating(false)} onCancel={() => setCreating(false)} />
        ) : null}
      </Dialog>
      <Dialog
        isOpen={deleting !== null}
        onClose={() => setDeleting(null)}
        title={`Delete ${deleting?.name ?? ''}?`}
      >
        <p className="text-sm text-slate-700 dark:text-slate-300">
          What this window holds back is planned again at once.
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
            Delete window
          </Button>
        </div>
      </Dialog>
    </>
  );
}

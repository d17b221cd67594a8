'use client';

import { apiFetch, type Page } from '@/client/api.ts';
import { selectorToText } from '@/client/selectors.ts';
import { useCan } from '@/client/session.ts';
import { Tag } from '@/components/ui/badges.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Dialog } from '@/components/ui/dialog.tsx';
import { EmptyState, Loading, PageHeader } from '@/components/ui/layout.tsx';
import { ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { Table, Td, Th } from '@/components/ui/table.tsx';
import type { NotificationRuleDto } from '@flotilla/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { DeliveryLog } from './delivery-log.tsx';
import { EVENT_LABELS, NotificationRuleForm } from './notification-rule-form.tsx';

const QUERY_KEY = ['notification-rules'] as const;

/** The workspace's notification rules, a form for each, "Send test", and the delivery log. */
export function NotificationsPage() {
  const canOperate = useCan('operate');
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<NotificationRuleDto | 'new' | null>(null);
  const [deleting, setDeleting] = useState<NotificationRuleDto | null>(null);
  const [shownLog, setShownLog] = useState<string | null>(null);
  const rules = useQuery({
    queryKey: QUERY_KEY,
    queryFn: () => apiFetch<Page<NotificationRuleDto>>('/notifications/rules'),
  });
  const remove = useMutation({
    mutationFn: (rule: NotificationRuleDto) =>
      apiFetch<void>(`/notifications/rules/${rule.id}`, { method: 'DELETE' }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: QUERY_KEY });
      setDeleting(null);
    },
  });
  const sendTest = useMutation({
    mutationFn: (rule: NotificationRuleDto) =>
      apiFetch<unknown>(`/notifications/rules/${rule.id}/test`, { method: 'POST' }),
    onSuccess: async (_, rule) => {
      setShownLog(rule.id);
      await queryClient.invalidateQueries({ queryKey: [...QUERY_KEY, rule.id, 'deliveries'] });
    },
  });
  const newButton = canOperate ? (
    <Button variant="primary" onClick={() => setEditing('new')}>
      New rule
    </Button>
  ) : null;
  const logRule = rules.data?.items.find((rule) => rule.id === shownLog) ?? null;

  return (
    <>
      <PageHeader
        title="Notifications"
        description="Messages to a webhook or Slack when deployments enter ErrApplied, Modified or Offline, or a rollout halts. Transitions within a rule's window are sent as one summary."
        actions={newButton}
      />
      {rules.isPending ? <Loading what="Loading notification rules" /> : null}
      {rules.error ? (
        <ProblemAlert error={rules.error} onRetry={() => void rules.refetch()} />
      ) : null}
      <ProblemAlert error={sendTest.error} title="The test message was not queued" />
      {rules.data && rules.data.items.length === 0 ? (
        <EmptyState title="No notification rules" actions={newButton}>
          A rule such as &quot;prod clusters going Offline, to the on-call webhook&quot; sends one
          signed message per incident, and one summary when a whole fleet goes down.
        </EmptyState>
      ) : null}
      {rules.data && rules.data.items.length > 0 ? (
        <Table label="Notification rules">
          <thead>
            <tr>
              <Th>Name</Th>
              <Th>When</Th>
              <Th>Clusters</Th>
              <Th>Destination</Th>
              <Th>Window</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </thead>
          <tbody>
            {rules.data.items.map((rule) => (
              <tr key={rule.id} data-testid="notification-rule-row">
                <Td className="font-medium break-all">
                  {rule.name} {rule.isEnabled ? null : <Tag>disabled</Tag>}
                </Td>
                <Td>
                  <ul className="text-xs">
                    {rule.events.map((event) => (
                      <li key={event}>{EVENT_LABELS[event]}</li>
                    ))}
                  </ul>
                </Td>
                <Td>
                  <code className="font-mono text-xs break-all">
                    {rule.clusterSelector ? selectorToText(rule.clusterSelector) : 'every cluster'}
                  </code>
                </Td>
                <Td className="text-xs">
                  {rule.destination.kind === 'slack' ? 'Slack' : 'Webhook'}{' '}
                  <code className="font-mono break-all">{rule.destination.urlHint}</code>
                  {rule.destination.kind === 'webhook' ? (
                    <div>{rule.destination.hasSecret ? 'signed' : 'unsigned'}</div>
                  ) : null}
                </Td>
                <Td>{rule.windowSeconds} s</Td>
                <Td className="text-right whitespace-nowrap">
                  <Button
                    variant="ghost"
                    onClick={() => setShownLog(shownLog === rule.id ? null : rule.id)}
                    aria-pressed={shownLog === rule.id}
                  >
                    Deliveries<span className="sr-only"> of {rule.name}</span>
                  </Button>
                  {canOperate ? (
                    <>
                      <Button
                        variant="ghost"
                        disabled={sendTest.isPending}
                        onClick={() => sendTest.mutate(rule)}
                      >
                        Send test<span className="sr-only"> to {rule.name}</span>
                      </Button>
                      <Button variant="ghost" onClick={() => setEditing(rule)}>
                        Edit<span className="sr-only"> {rule.name}</span>
                      </Button>
                      <Button variant="ghost" onClick={() => setDeleting(rule)}>
                        Delete<span className="sr-only"> {rule.name}</span>
                      </Button>
                    </>
                  ) : null}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
      {logRule ? (
        <div className="mt-6">
          <DeliveryLog rule={logRule} />
        </div>
      ) : null}
      <Dialog
        isOpen={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? 'New notification rule' : `Edit ${editing?.name ?? ''}`}
        width="max-w-3xl"
      >
        {editing !== null ? (
          <NotificationRuleForm
            rule={editing === 'new' ? null : editing}
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
          The rule and its delivery log are removed; messages not yet sent are dropped.
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
            Delete rule
          </Button>
        </div>
      </Dialog>
    </>
  );
}

'use client';

import { apiFetch, type Page } from '@/client/api.ts';
import { Section, Loading } from '@/components/ui/layout.tsx';
import { ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { RelativeTime } from '@/components/ui/relative-time.tsx';
import { Table, Td, Th } from '@/components/ui/table.tsx';
import { Tag } from '@/components/ui/badges.tsx';
import type { NotificationDeliveryDto, NotificationRuleDto } from '@flotilla/core';
import { useQuery } from '@tanstack/react-query';

/** How an attempt reads: "HTTP 500", "HTTP 200", or the network error. */
function attemptText(attempt: NotificationDeliveryDto['attempts'][number]): string {
  if (attempt.statusCode !== null) return `HTTP ${attempt.statusCode}`;
  return attempt.error ?? 'no answer';
}

/**
 * A rule's delivery log: each message (or summary) and every attempt to send it. Polled while a
 * delivery is still pending, since retries happen in the worker without a live update.
 */
export function DeliveryLog({ rule }: { rule: NotificationRuleDto }) {
  const deliveries = useQuery({
    queryKey: ['notification-rules', rule.id, 'deliveries'],
    queryFn: () =>
      apiFetch<Page<NotificationDeliveryDto>>(`/notifications/rules/${rule.id}/deliveries`),
    refetchInterval: (query) =>
      query.state.data?.items.some((delivery) => delivery.status === 'pending') ? 1000 : 5000,
  });
  return (
    <Section title={`Delivery log: ${rule.name}`} id="delivery-log">
      {deliveries.isPending ? <Loading what="Loading deliveries" /> : null}
      {deliveries.error ? <ProblemAlert error={deliveries.error} /> : null}
      {deliveries.data && deliveries.data.items.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Nothing sent yet. &quot;Send test&quot; sends a sample message.
        </p>
      ) : null}
      {deliveries.data && deliveries.data.items.length > 0 ? (
        <Table label={`Deliveries of ${rule.name}`}>
          <thead>
            <tr>
              <Th>Created</Th>
              <Th>Message</Th>
              <Th>Events</Th>
              <Th>Status</Th>
              <Th>Attempts</Th>
            </tr>
          </thead>
          <tbody>
            {deliveries.data.items.map((delivery) => (
              <tr key={delivery.id} data-testid="delivery-row">
                <Td className="whitespace-nowrap">
                  <RelativeTime iso={delivery.createdAt} />
                </Td>
                <Td className="break-words">
                  {delivery.kind === 'test' ? (
                    <>
                      <Tag>test</Tag>{' '}
                    </>
                  ) : null}
                  {delivery.summary}
                </Td>
                <Td>{delivery.eventCount}</Td>
                <Td>
                  <Tag tone={delivery.status === 'failed' ? 'warning' : 'neutral'}>
                    {delivery.status}
                  </Tag>
                </Td>
                <Td>
                  <ol className="space-y-0.5 text-xs">
                    {delivery.attempts.map((attempt) => (
                      <li key={attempt.attempt} data-testid="delivery-attempt">
                        #{attempt.attempt} {attemptText(attempt)}{' '}
                        <span className="text-slate-600 dark:text-slate-400">
                          <RelativeTime iso={attempt.at} /> · {attempt.durationMs} ms
                        </span>
                      </li>
                    ))}
                  </ol>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
    </Section>
  );
}

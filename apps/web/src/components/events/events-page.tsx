'use client';

import { apiFetch, queryString, type Page } from '@/client/api.ts';
import { absoluteTime } from '@/client/format.ts';
import { keys } from '@/client/query-keys.ts';
import type { EventDto } from '@/client/types.ts';
import { useUrlState } from '@/client/use-url-state.ts';
import { StateBadge } from '@/components/ui/badges.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Loading, PageHeader } from '@/components/ui/layout.tsx';
import { ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { RelativeTime } from '@/components/ui/relative-time.tsx';
import { LINK_CLASS, Table, Td, Th } from '@/components/ui/table.tsx';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { EventsFilters, type EventFilters } from './events-filters.tsx';

const PAGE_SIZE = 50;

/** State changes and actions, newest first; filters live in the URL, pages go by cursor. */
export function EventsPage() {
  const [params, setParams] = useUrlState();
  const filters: EventFilters = {
    clusterId: params.get('clusterId') ?? '',
    bundleId: params.get('bundleId') ?? '',
    state: params.get('state') ?? '',
  };
  // The cursors of the pages before this one, so "Newer" can go back.
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const events = useQuery({
    queryKey: keys.events({ ...filters, cursor: cursor ?? '' }),
    queryFn: () =>
      apiFetch<Page<EventDto>>(`/events${queryString({ ...filters, limit: PAGE_SIZE, cursor })}`),
    placeholderData: keepPreviousData,
  });
  const onFilter = (change: Partial<EventFilters>) => {
    setCursors([]);
    setParams({ ...filters, ...change });
  };

  return (
    <>
      <PageHeader
        title="Events"
        description="What changed in the fleet and who did what, newest first."
      />
      <EventsFilters filters={filters} onChange={onFilter} />
      {events.isPending ? <Loading what="Loading events" /> : null}
      {events.error ? <ProblemAlert error={events.error} /> : null}
      {events.data && events.data.items.length === 0 ? (
        <p className="text-sm text-slate-700 dark:text-slate-300">No events match.</p>
      ) : null}
      {events.isPlaceholderData ? (
        <p role="status" className="mb-2 text-sm text-slate-600 dark:text-slate-400">
          Updating…
        </p>
      ) : null}
      {events.data && events.data.items.length > 0 ? (
        <Table label="Events">
          <thead>
            <tr>
              <Th>When</Th>
              <Th>Event</Th>
              <Th>Cluster</Th>
              <Th>Bundle</Th>
              <Th>Change</Th>
              <Th>Message</Th>
            </tr>
          </thead>
          <tbody>
            {events.data.items.map((event) => (
              <tr key={event.id}>
                <Td className="text-xs whitespace-nowrap" title={absoluteTime(event.at)}>
                  <RelativeTime iso={event.at} />
                </Td>
                <Td className="text-xs font-medium">{event.type}</Td>
                <Td className="text-xs break-all">
                  {event.clusterId ? (
                    <Link className={LINK_CLASS} href={`/clusters/${event.clusterId}`}>
                      {event.clusterName ?? 'deleted cluster'}
                    </Link>
                  ) : (
                    '—'
                  )}
                </Td>
                <Td className="text-xs break-all">
                  {event.bundleId ? (
                    <Link className={LINK_CLASS} href={`/bundles/${event.bundleId}`}>
                      {event.bundleName ?? 'deleted bundle'}
                    </Link>
                  ) : (
                    '—'
                  )}
                </Td>
                <Td className="whitespace-nowrap">
                  {event.toState ? (
                    <span className="inline-flex items-center gap-1">
                      {event.fromState ? <StateBadge state={event.fromState} /> : null}
                      {event.fromState ? <span aria-label="to">→</span> : null}
                      {event.deploymentId ? (
                        <Link
                          href={`/deployments/${event.deploymentId}`}
                          aria-label={`open the deployment, now ${event.toState}`}
                        >
                          <StateBadge state={event.toState} />
                        </Link>
                      ) : (
                        <StateBadge state={event.toState} />
                      )}
                    </span>
                  ) : (
                    <span className="text-xs text-slate-600 dark:text-slate-400">action</span>
                  )}
                </Td>
                <Td className="max-w-lg text-xs break-words">{event.message}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
      <nav aria-label="Pages of events" className="mt-4 flex gap-2">
        <Button
          disabled={cursors.length === 0}
          onClick={() => setCursors((current) => current.slice(0, -1))}
        >
          ← Newer
        </Button>
        <Button
          disabled={!events.data?.nextCursor}
          onClick={() =>
            events.data?.nextCursor &&
            setCursors((current) => [...current, events.data.nextCursor as string])
          }
        >
          Older →
        </Button>
      </nav>
    </>
  );
}

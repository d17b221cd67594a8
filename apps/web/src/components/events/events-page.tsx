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
import { LINK_CLASS, SortableTh, Table, Td, Th } from '@/components/ui/table.tsx';
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
    q: params.get('q') ?? '',
  };
  const sort = params.get('sort') === 'at' ? 'at' : '-at';
  // The cursors of the pages before this one, so "Newer" (or "Earlier") can go back.
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const events = useQuery({
    queryKey: keys.events({ ...filters, sort, cursor: cursor ?? '' }),
    queryFn: () =>
      apiFetch<Page<EventDto>>(
        `/events${queryString({
          ...filters,
          sort: sort === '-at' ? undefined : sort,
          limit: PAGE_SIZE,
          cursor,
        })}`,
      ),
    placeholderData: keepPreviousData,
  });
  const onFilter = (change: Partial<EventFilters>) => {
    setCursors([]);
    setParams({ ...filters, ...change });
  };
  const onSort = (next: string) => {
    setCursors([]);
    setParams({ sort: next === 'at' ? 'at' : '' });
  };

  return (
    <>
      <PageHeader
        title="Events"
        description="What changed in the fleet and who did what, newest first (sort by When to turn it round)."
      />
      <EventsFilters filters={filters} onChange={onFilter} />
      {events.isPending ? <Loading what="Loading events" /> : null}
      {events.error ? (
        <ProblemAlert error={events.error} onRetry={() => void events.refetch()} />
      ) : null}
      {events.data && events.data.items.length === 0 ? (
        <p className="text-sm text-slate-700 dark:text-slate-300">No events match.</p>
      ) : null}
      {events.isPlaceholderData ? (
        <p role="status" className="mb-2 text-sm text-slate-600 dark:text-slate-400">
          Updating…
        </p>
      ) : null}
      {events.data && events.data.items.length > 0 ? (
        <Table label="Events" isReflowing>
          <thead>
            <tr>
              <SortableTh column="at" sort={sort} onSort={onSort}>
                When
              </SortableTh>
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
                <Td
                  data-label="When"
                  className="text-xs whitespace-nowrap"
                  title={absoluteTime(event.at)}
                >
                  <RelativeTime iso={event.at} />
                </Td>
                <Td data-label="Event" className="text-xs font-medium">
                  {event.type}
                </Td>
                <Td data-label="Cluster" className="text-xs break-all">
                  {event.clusterId ? (
                    <Link className={LINK_CLASS} href={`/clusters/${event.clusterId}`}>
                      {event.clusterName ?? 'deleted cluster'}
                    </Link>
                  ) : (
                    '—'
                  )}
                </Td>
                <Td data-label="Bundle" className="text-xs break-all">
                  {event.bundleId ? (
                    <Link className={LINK_CLASS} href={`/bundles/${event.bundleId}`}>
                      {event.bundleName ?? 'deleted bundle'}
                    </Link>
                  ) : (
                    '—'
                  )}
                </Td>
                <Td data-label="Change" className="whitespace-nowrap">
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
                <Td data-label="Message" className="max-w-lg text-xs break-words">
                  {event.message}
                </Td>
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
          {sort === 'at' ? '← Earlier' : '← Newer'}
        </Button>
        <Button
          disabled={!events.data?.nextCursor}
          onClick={() =>
            events.data?.nextCursor &&
            setCursors((current) => [...current, events.data.nextCursor as string])
          }
        >
          {sort === 'at' ? 'Later →' : 'Older →'}
        </Button>
      </nav>
    </>
  );
}

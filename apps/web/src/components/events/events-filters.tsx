'use client';

import { apiFetch, type Page } from '@/client/api.ts';
import { keys } from '@/client/query-keys.ts';
import { DEPLOYMENT_STATES } from '@/client/states.ts';
import type { BundleDto, ClusterDto } from '@/client/types.ts';
import { useDebounced } from '@/client/use-debounced.ts';
import { SelectField, TextField } from '@/components/ui/field.tsx';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';

export interface EventFilters {
  clusterId: string;
  bundleId: string;
  state: string;
  /** Text in the message or the event type. */
  q: string;
}

export function EventsFilters({
  filters,
  onChange,
}: {
  filters: EventFilters;
  onChange: (change: Partial<EventFilters>) => void;
}) {
  const clusters = useQuery({
    queryKey: keys.clusterPicker,
    queryFn: () => apiFetch<Page<ClusterDto>>('/clusters?limit=1000'),
    staleTime: 60_000,
  });
  const bundles = useQuery({
    queryKey: keys.bundles,
    queryFn: () => apiFetch<Page<BundleDto>>('/bundles'),
  });
  // The text box follows the keyboard; the list (and the URL) follow it after a pause.
  const [text, setText] = useState(filters.q);
  const q = useDebounced(text.trim());
  useEffect(() => {
    if (q !== filters.q) onChange({ q });
    // Only a new pause in typing asks again; `filters` changing alone must not.
  }, [q]);
  return (
    <form
      role="search"
      aria-label="Filter events"
      className="mb-4 flex flex-wrap gap-3"
      onSubmit={(event) => event.preventDefault()}
    >
      <TextField
        className="w-64"
        label="Text"
        type="search"
        placeholder="In the message or the type"
        value={text}
        onChange={(event) => setText(event.target.value)}
        spellCheck={false}
        autoComplete="off"
      />
      <SelectField
        className="w-64"
        label="Cluster"
        value={filters.clusterId}
        onChange={(event) => onChange({ clusterId: event.target.value })}
      >
        <option value="">All clusters</option>
        {(clusters.data?.items ?? []).map((cluster) => (
          <option key={cluster.id} value={cluster.id}>
            {cluster.name}
          </option>
        ))}
        {filters.clusterId &&
        !clusters.data?.items.some((cluster) => cluster.id === filters.clusterId) ? (
          <option value={filters.clusterId}>this cluster</option>
        ) : null}
      </SelectField>
      <SelectField
        className="w-64"
        label="Bundle"
        value={filters.bundleId}
        onChange={(event) => onChange({ bundleId: event.target.value })}
      >
        <option value="">All bundles</option>
        {(bundles.data?.items ?? []).map((bundle) => (
          <option key={bundle.id} value={bundle.id}>
            {bundle.name}
          </option>
        ))}
        {filters.bundleId &&
        !bundles.data?.items.some((bundle) => bundle.id === filters.bundleId) ? (
          <option value={filters.bundleId}>this bundle</option>
        ) : null}
      </SelectField>
      <SelectField
        className="w-48"
        label="Changed to state"
        value={filters.state}
        onChange={(event) => onChange({ state: event.target.value })}
      >
        <option value="">Any (and actions)</option>
        {DEPLOYMENT_STATES.map((state) => (
          <option key={state} value={state}>
            {state}
          </option>
        ))}
      </SelectField>
    </form>
  );
}

'use client';

import { apiFetch } from '@/client/api.ts';
import type {
  DeploymentLiveDto,
  LiveObjectDto,
  ObjectEventsDto,
  ResourceTreeNode,
} from '@/client/types.ts';
import { HealthBadge } from '@/components/ui/badges.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Loading } from '@/components/ui/layout.tsx';
import { Notice, ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { RelativeTime } from '@/components/ui/relative-time.tsx';
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';

const liveKey = (id: string) => ['deployment', id, 'live'] as const;

function objectLabel(object: { kind: string; namespace: string; name: string }): string {
  return `${object.kind} ${object.namespace ? `${object.namespace}/` : ''}${object.name}`;
}

function YamlPane({
  title,
  shown,
  empty,
}: {
  title: string;
  shown: { yaml: string; isTruncated: boolean } | null;
  empty: string;
}) {
  return (
    <figure className="min-w-0 overflow-hidden rounded-md border border-slate-200 dark:border-slate-700">
      <figcaption className="border-b border-slate-200 bg-slate-50 px-3 py-1.5 text-xs font-medium text-slate-700 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-300">
        {title}
      </figcaption>
      {shown ? (
        <pre
          className="max-h-[32rem] overflow-auto bg-white px-3 py-2 font-mono text-xs leading-5 text-slate-800 dark:bg-slate-950 dark:text-slate-200"
          tabIndex={0}
          aria-label={title}
        >
          {shown.yaml}
        </pre>
      ) : (
        <p className="px-3 py-2 text-sm text-slate-600 dark:text-slate-400">{empty}</p>
      )}
    </figure>
  );
}

function DesiredAndLive({ data }: { data: DeploymentLiveDto }) {
  const selectId = useId();
  const [selected, setSelected] = useState(0);
  const object: LiveObjectDto | undefined = data.objects[selected] ?? data.objects[0];
  if (!object)
    return (
      <p className="text-sm text-slate-600 dark:text-slate-400">
        This deployment has no objects yet: nothing is desired or applied.
      </p>
    );
  const isRead = data.live.status === 'read';
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-2">
        <label
          htmlFor={selectId}
          className="text-sm font-medium text-slate-800 dark:text-slate-200"
        >
          Object
        </label>
        <select
          id={selectId}
          value={selected}
          onChange={(event) => setSelected(Number(event.target.value))}
          className="max-w-full min-w-0 rounded-md border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100"
        >
          {data.objects.map((entry, index) => (
            <option key={`${entry.apiVersion}/${objectLabel(entry)}`} value={index}>
              {objectLabel(entry)}
            </option>
          ))}
        </select>
        {data.isTruncated ? (
          <span className="text-xs text-slate-600 dark:text-slate-400">
            (the first {data.objects.length} objects)
          </span>
        ) : null}
      </div>
      <div className="grid gap-3 lg:grid-cols-2" data-testid="desired-and-live">
        <YamlPane
          title="Desired (Git)"
          shown={object.desired}
          empty="Not in the desired revision: the last apply left it, and the next one prunes it."
        />
        <YamlPane
          title="Live on the cluster"
          shown={object.live}
          empty={
            !isRead
              ? 'Not read: see above.'
              : object.liveError
                ? `Could not be read: ${object.liveError}`
                : 'Not on the cluster.'
          }
        />
      </div>
    </div>
  );
}

function EventsOf({ deploymentId, node }: { deploymentId: string; node: ResourceTreeNode }) {
  const query = new URLSearchParams({
    apiVersion: node.apiVersion,
    kind: node.kind,
    namespace: node.namespace,
    name: node.name,
  });
  const events = useQuery({
    queryKey: ['deployment', deploymentId, 'events', node.uid || objectLabel(node)],
    queryFn: () =>
      apiFetch<ObjectEventsDto>(`/deployments/${deploymentId}/live/events?${query.toString()}`),
  });
  if (events.isPending) return <Loading what={`Reading the events of ${node.name}`} />;
  if (!events.data) return <ProblemAlert error={events.error} title="Could not read the events" />;
  if (events.data.live.status === 'unavailable')
    return <Notice tone="warning">{events.data.live.message}</Notice>;
  if (events.data.events.length === 0)
    return (
      <p className="text-sm text-slate-600 dark:text-slate-400">
        No events: the cluster has none for {node.kind} {node.name} (events expire after an hour).
      </p>
    );
  return (
    <ul className="space-y-1 text-sm" aria-label={`Events of ${node.kind} ${node.name}`}>
      {events.data.events.map((event, index) => (
        <li key={index} className="text-slate-800 dark:text-slate-200">
          <span
            className={
              event.type === 'Warning'
                ? 'font-semibold text-amber-900 dark:text-amber-200'
                : 'font-semibold'
            }
          >
            {event.type === 'Warning' ? '⚠ ' : ''}
            {event.reason}
          </span>
          {event.count > 1 ? ` ×${event.count}` : ''}: {event.message}{' '}
          <span className="text-xs text-slate-600 dark:text-slate-400">
            <RelativeTime iso={event.lastSeen} />
            {event.source ? `, ${event.source}` : ''}
          </span>
        </li>
      ))}
    </ul>
  );
}

function TreeNode({ deploymentId, node }: { deploymentId: string; node: ResourceTreeNode }) {
  const [isShowingEvents, setShowingEvents] = useState(false);
  const eventsId = useId();
  // Events are read in the deployment's namespaces only: a cluster-scoped object has none there.
  const hasEvents = node.health !== 'Missing' && node.namespace !== '';
  return (
    <li className="mt-2">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <span className="text-sm">
          <span className="font-medium text-slate-900 dark:text-slate-100">{node.kind}</span>{' '}
          <span className="font-mono text-xs break-all text-slate-700 dark:text-slate-300">
            {node.name}
          </span>
        </span>
        <HealthBadge health={node.health} />
        {hasEvents ? (
          <button
            type="button"
            aria-expanded={isShowingEvents}
            aria-controls={eventsId}
            onClick={() => setShowingEvents((shown) => !shown)}
            className="text-sm font-medium text-teal-800 hover:underline dark:text-teal-300"
          >
            {isShowingEvents ? 'Hide events' : 'Show events'}
            <span className="sr-only">
              {' '}
              of {node.kind} {node.name}
            </span>
          </button>
        ) : null}
      </div>
      {node.healthMessage ? (
        <p className="text-xs text-slate-600 dark:text-slate-400">{node.healthMessage}</p>
      ) : null}
      {isShowingEvents ? (
        <div
          id={eventsId}
          className="mt-1 ml-1 border-l-2 border-slate-200 pl-3 dark:border-slate-700"
        >
          <EventsOf deploymentId={deploymentId} node={node} />
        </div>
      ) : null}
      {node.children.length > 0 ? (
        <ul
          className="ml-2 border-l border-slate-200 pl-4 dark:border-slate-700"
          aria-label={`Owned by ${node.kind} ${node.name}`}
        >
          {node.children.map((child) => (
            <TreeNode
              key={child.uid || objectLabel(child)}
              deploymentId={deploymentId}
              node={child}
            />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

/**
 * Desired against live, side by side, and the resource tree, read from the cluster only when
 * asked (through the worker: the web holds no cluster credential). Secret values arrive masked.
 */
export function DeploymentLive({ deploymentId }: { deploymentId: string }) {
  const [isAsked, setAsked] = useState(false);
  const live = useQuery({
    queryKey: liveKey(deploymentId),
    queryFn: () => apiFetch<DeploymentLiveDto>(`/deployments/${deploymentId}/live`),
    enabled: isAsked,
    staleTime: Infinity,
  });
  if (!isAsked)
    return (
      <div className="flex flex-wrap items-center gap-3">
        <Button variant="primary" onClick={() => setAsked(true)}>
          Read live objects
        </Button>
        <span className="text-sm text-slate-600 dark:text-slate-400">
          Reads the cluster now: the desired YAML beside the live one, and what the controllers made
          of it (ReplicaSets, Pods) with their health and events.
        </span>
      </div>
    );
  if (live.isPending) return <Loading what="Reading the cluster" />;
  if (!live.data)
    return <ProblemAlert error={live.error} title="Could not read the live objects" />;
  const data = live.data;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3 text-sm text-slate-700 dark:text-slate-300">
        {data.live.status === 'read' ? (
          <span>
            Read from {data.clusterName} <RelativeTime iso={data.live.readAt} />
            {data.revision ? (
              <>
                ; desired is revision{' '}
                <code className="font-mono">{data.revision.hash.slice(0, 12)}</code>
              </>
            ) : null}
            . Secret values are masked.
          </span>
        ) : null}
        <Button onClick={() => void live.refetch()} disabled={live.isFetching}>
          {live.isFetching ? 'Reading…' : 'Read again'}
        </Button>
      </div>
      {data.live.status === 'unavailable' ? (
        <div data-testid="live-unavailable">
          <Notice tone="warning">
            {data.live.reason === 'agent'
              ? 'Live objects are not available for agent clusters: Flotilla never connects to them; their agent reports health and drift (see Resources).'
              : `Live objects could not be read: ${data.live.message}`}
          </Notice>
        </div>
      ) : null}
      <div>
        <h3 className="mb-2 text-sm font-semibold text-slate-900 dark:text-slate-50">
          Desired and live YAML
        </h3>
        <DesiredAndLive data={data} />
      </div>
      {data.live.status === 'read' ? (
        <div>
          <h3 className="mb-1 text-sm font-semibold text-slate-900 dark:text-slate-50">
            Resource tree
          </h3>
          <p className="text-xs text-slate-600 dark:text-slate-400">
            Each object and what its controller made (by owner references), with health.
          </p>
          {data.treeErrors.length > 0 ? (
            <Notice tone="warning">
              Some objects could not be listed: {data.treeErrors.join('; ')}
            </Notice>
          ) : null}
          <ul aria-label="Resource tree" data-testid="resource-tree">
            {data.tree.map((node) => (
              <TreeNode
                key={node.uid || objectLabel(node)}
                deploymentId={deploymentId}
                node={node}
              />
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}

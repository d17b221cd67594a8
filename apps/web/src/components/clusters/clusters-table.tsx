'use client';

import type { ClusterDto } from '@/client/types.ts';
import { LabelChips } from '@/components/ui/badges.tsx';
import { Button } from '@/components/ui/button.tsx';
import { LINK_CLASS, SortableTh, Table, Td, Th } from '@/components/ui/table.tsx';
import { RelativeTime } from '@/components/ui/relative-time.tsx';
import Link from 'next/link';
import { ClusterTags, ConnectionKind, Connectivity } from './connectivity.tsx';

export function ClustersTable({
  clusters,
  canOperate,
  sort,
  onSort,
  onLabel,
  selectedLabels,
  onEditLabels,
  onDelete,
}: {
  clusters: ClusterDto[];
  canOperate: boolean;
  /** The column the rows are sorted by (`-` first: descending), and how to change it. */
  sort: string;
  onSort: (sort: string) => void;
  /** A label chip was pressed: filter (or stop filtering) by its `key=value`. */
  onLabel: (key: string, value: string) => void;
  selectedLabels: readonly string[];
  onEditLabels: (cluster: ClusterDto) => void;
  onDelete: (cluster: ClusterDto) => void;
}) {
  return (
    <Table label="Clusters" isReflowing>
      <thead>
        <tr>
          <SortableTh column="name" sort={sort} onSort={onSort}>
            Name
          </SortableTh>
          <Th>Labels</Th>
          <Th>Connection</Th>
          <SortableTh column="connectivity" sort={sort} onSort={onSort}>
            Connectivity
          </SortableTh>
          <SortableTh column="kubernetesVersion" sort={sort} onSort={onSort}>
            Kubernetes
          </SortableTh>
          <SortableTh column="createdAt" sort={sort} onSort={onSort}>
            Added
          </SortableTh>
          {canOperate ? (
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {clusters.map((cluster) => (
          <tr key={cluster.id} data-testid="cluster-row">
            <Td>
              <Link href={`/clusters/${cluster.id}`} className={`${LINK_CLASS} break-all`}>
                {cluster.name}
              </Link>
              <div className="mt-1">
                <ClusterTags cluster={cluster} />
              </div>
            </Td>
            <Td data-label="Labels">
              <LabelChips
                labels={cluster.labels}
                max={6}
                onSelect={onLabel}
                selected={selectedLabels}
              />
            </Td>
            <Td data-label="Connection">
              <ConnectionKind cluster={cluster} />
            </Td>
            <Td data-label="Connectivity">
              <Connectivity cluster={cluster} />
            </Td>
            <Td data-label="Kubernetes" className="font-mono text-xs">
              {cluster.connectivity.kubernetesVersion ?? (
                <span className="font-sans text-slate-600 dark:text-slate-400">unknown</span>
              )}
            </Td>
            <Td data-label="Added" className="text-xs whitespace-nowrap">
              <RelativeTime iso={cluster.createdAt} />
            </Td>
            {canOperate ? (
              <Td className="text-right whitespace-nowrap">
                <Button variant="ghost" onClick={() => onEditLabels(cluster)}>
                  Edit labels<span className="sr-only"> of {cluster.name}</span>
                </Button>
                <Button variant="ghost" onClick={() => onDelete(cluster)}>
                  Unregister<span className="sr-only"> {cluster.name}</span>
                </Button>
              </Td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

'use client';

import type { ClusterDto } from '@/client/types.ts';
import { LabelChips } from '@/components/ui/badges.tsx';
import { Button } from '@/components/ui/button.tsx';
import { LINK_CLASS, Table, Td, Th } from '@/components/ui/table.tsx';
import Link from 'next/link';
import { ClusterTags, ConnectionKind, Connectivity } from './connectivity.tsx';

export function ClustersTable({
  clusters,
  canOperate,
  onEditLabels,
  onDelete,
}: {
  clusters: ClusterDto[];
  canOperate: boolean;
  onEditLabels: (cluster: ClusterDto) => void;
  onDelete: (cluster: ClusterDto) => void;
}) {
  return (
    <Table label="Clusters">
      <thead>
        <tr>
          <Th>Name</Th>
          <Th>Labels</Th>
          <Th>Connection</Th>
          <Th>Connectivity</Th>
          <Th>Kubernetes</Th>
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
            <Td>
              <LabelChips labels={cluster.labels} max={6} />
            </Td>
            <Td>
              <ConnectionKind cluster={cluster} />
            </Td>
            <Td>
              <Connectivity cluster={cluster} />
            </Td>
            <Td className="font-mono text-xs">
              {cluster.connectivity.kubernetesVersion ?? (
                <span className="font-sans text-slate-600 dark:text-slate-400">unknown</span>
              )}
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

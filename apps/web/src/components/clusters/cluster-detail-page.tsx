'use client';

import { apiFetch, type Page } from '@/client/api.ts';
import { keys } from '@/client/query-keys.ts';
import { useCan } from '@/client/session.ts';
import type { ClusterDto, DeploymentDto } from '@/client/types.ts';
import { LabelChips } from '@/components/ui/badges.tsx';
import { Button, ButtonLink } from '@/components/ui/button.tsx';
import { Facts, Loading, PageHeader, Section } from '@/components/ui/layout.tsx';
import { ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { RelativeTime } from '@/components/ui/relative-time.tsx';
import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { DeploymentsTable } from '@/components/common/deployments-table.tsx';
import { ClusterTags, Connectivity } from './connectivity.tsx';
import { DeleteClusterDialog } from './delete-cluster-dialog.tsx';
import { EditLabelsDialog } from './edit-labels-dialog.tsx';

export function ClusterDetailPage({ id }: { id: string }) {
  const canOperate = useCan('operate');
  const router = useRouter();
  const [dialog, setDialog] = useState<'labels' | 'delete' | null>(null);
  const cluster = useQuery({
    queryKey: keys.cluster(id),
    queryFn: () => apiFetch<ClusterDto>(`/clusters/${id}`),
  });
  const deployments = useQuery({
    queryKey: keys.clusterDeployments(id),
    queryFn: () => apiFetch<Page<DeploymentDto>>(`/clusters/${id}/deployments`),
    enabled: cluster.isSuccess,
  });

  if (cluster.isPending) return <Loading what="Loading the cluster" />;
  if (!cluster.data) return <ProblemAlert error={cluster.error} />;
  const data = cluster.data;

  return (
    <>
      <PageHeader
        title={data.name}
        description={<ClusterTags cluster={data} />}
        actions={
          <>
            <ButtonLink href={`/events?clusterId=${encodeURIComponent(data.id)}`}>
              Events
            </ButtonLink>
            {canOperate ? (
              <>
                <Button onClick={() => setDialog('labels')}>Edit labels</Button>
                <Button variant="danger" onClick={() => setDialog('delete')}>
                  Unregister
                </Button>
              </>
            ) : null}
          </>
        }
      />
      <Section title="Cluster" id="cluster-facts">
        <Facts
          items={[
            ['Connectivity', <Connectivity key="connectivity" cluster={data} isDetailed />],
            ['Kubernetes', data.connectivity.kubernetesVersion ?? 'unknown'],
            [
              'API server',
              <code key="url" className="font-mono text-xs break-all">
                {data.apiServerUrl}
              </code>,
            ],
            [
              'Credentials',
              `${data.credentialKind}${data.hasCaData ? ', custom CA' : ''}${data.isInsecure ? ', TLS not verified' : ''}`,
            ],
            ['Labels', <LabelChips key="labels" labels={data.labels} />],
            ['Registered', <RelativeTime key="created" iso={data.createdAt} />],
          ]}
        />
      </Section>
      <Section title="Deployments" id="cluster-deployments">
        {deployments.isPending ? <Loading what="Loading deployments" /> : null}
        {deployments.error ? <ProblemAlert error={deployments.error} /> : null}
        {deployments.data && deployments.data.items.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">
            No bundle targets this cluster yet.
          </p>
        ) : null}
        {deployments.data && deployments.data.items.length > 0 ? (
          <DeploymentsTable deployments={deployments.data.items} by="bundle" />
        ) : null}
      </Section>
      {dialog === 'labels' ? (
        <EditLabelsDialog cluster={data} onClose={() => setDialog(null)} />
      ) : null}
      {dialog === 'delete' ? (
        <DeleteClusterDialog
          cluster={data}
          onClose={() => setDialog(null)}
          onDeleted={() => router.push('/clusters')}
        />
      ) : null}
    </>
  );
}

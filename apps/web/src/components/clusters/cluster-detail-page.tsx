'use client';

import { apiFetch, type Page } from '@/client/api.ts';
import { keys } from '@/client/query-keys.ts';
import { useCan } from '@/client/session.ts';
import type { ClusterDto, DeploymentDto } from '@/client/types.ts';
import { LabelChips } from '@/components/ui/badges.tsx';
import { Button, ButtonLink } from '@/components/ui/button.tsx';
import { Facts, Loading, PageHeader, Section } from '@/components/ui/layout.tsx';
import { LoadFailure } from '@/components/ui/load-failure.tsx';
import { Notice, ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { RelativeTime } from '@/components/ui/relative-time.tsx';
import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type ReactNode } from 'react';
import { DeploymentsTable } from '@/components/common/deployments-table.tsx';
import { pluralize } from '@/client/format.ts';
import { ClusterTags, Connectivity } from './connectivity.tsx';
import { DeleteClusterDialog } from './delete-cluster-dialog.tsx';
import { EditConnectionDialog } from './edit-connection-dialog.tsx';
import { EditLabelsDialog } from './edit-labels-dialog.tsx';
import { NewRegistrationTokenDialog } from './new-registration-token-dialog.tsx';
import { RevokeAgentDialog, type RevokedAgent } from './revoke-agent-dialog.tsx';

export function ClusterDetailPage({ id }: { id: string }) {
  const canOperate = useCan('operate');
  const router = useRouter();
  const [dialog, setDialog] = useState<
    'labels' | 'delete' | 'token' | 'revoke' | 'connection' | null
  >(null);
  const [isConnectionSaved, setIsConnectionSaved] = useState(false);
  const [revoked, setRevoked] = useState<RevokedAgent | null>(null);
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
  if (!cluster.data)
    return (
      <LoadFailure
        error={cluster.error}
        what="Cluster"
        backHref="/clusters"
        backLabel="Back to the clusters"
        onRetry={() => void cluster.refetch()}
        isRetrying={cluster.isFetching}
      />
    );
  const data = cluster.data;
  const isAgent = data.connectionKind === 'agent';
  const connectionFacts: [string, ReactNode][] = isAgent
    ? [
        ['Connection', 'agent: an agent in the cluster connects to Flotilla'],
        [
          'Agent version',
          data.agent?.version ? (
            <code key="version" className="font-mono text-xs">
              {data.agent.version}
            </code>
          ) : (
            'not installed yet'
          ),
        ],
        [
          'Last heartbeat',
          data.agent?.lastHeartbeatAt ? (
            <span key="heartbeat" data-testid="agent-heartbeat">
              <RelativeTime iso={data.agent.lastHeartbeatAt} />
              {data.agent.heartbeatSeconds
                ? ` (every ${pluralize(data.agent.heartbeatSeconds, 'second')})`
                : ''}
            </span>
          ) : (
            'no heartbeat yet'
          ),
        ],
      ]
    : [
        ['Connection', "direct: Flotilla connects to the cluster's API server"],
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
      ];

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
                {isAgent ? (
                  <>
                    <Button onClick={() => setDialog('token')}>New registration token</Button>
                    <Button variant="danger" onClick={() => setDialog('revoke')}>
                      Revoke agent
                    </Button>
                  </>
                ) : (
                  <Button onClick={() => setDialog('connection')}>Edit connection</Button>
                )}
                <Button onClick={() => setDialog('labels')}>Edit labels</Button>
                <Button variant="danger" onClick={() => setDialog('delete')}>
                  Unregister
                </Button>
              </>
            ) : null}
          </>
        }
      />
      {revoked ? (
        <div className="mb-4">
          <Notice tone="success">
            Revoked the agent of {data.name}: {pluralize(revoked.credentialsRevoked, 'credential')}{' '}
            and {pluralize(revoked.tokensRevoked, 'unused registration token')}.
          </Notice>
        </div>
      ) : null}
      {isConnectionSaved ? (
        <div className="mb-4">
          <Notice tone="success">
            Connection saved: Flotilla is checking it now; the connectivity below shows the result.
          </Notice>
        </div>
      ) : null}
      <Section title="Cluster" id="cluster-facts">
        <Facts
          items={[
            ['Connectivity', <Connectivity key="connectivity" cluster={data} isDetailed />],
            ['Kubernetes', data.connectivity.kubernetesVersion ?? 'unknown'],
            ...connectionFacts,
            [
              'Labels',
              // A chip links to the clusters list filtered by it: the others with that label.
              <LabelChips
                key="labels"
                labels={data.labels}
                linkOf={(key, value) =>
                  `/clusters?selector=${encodeURIComponent(`${key}=${value}`)}`
                }
              />,
            ],
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
      {dialog === 'connection' ? (
        <EditConnectionDialog
          cluster={data}
          onClose={() => setDialog(null)}
          onSaved={() => {
            setDialog(null);
            setIsConnectionSaved(true);
          }}
        />
      ) : null}
      {dialog === 'token' ? (
        <NewRegistrationTokenDialog cluster={data} onClose={() => setDialog(null)} />
      ) : null}
      {dialog === 'revoke' ? (
        <RevokeAgentDialog
          cluster={data}
          onClose={() => setDialog(null)}
          onRevoked={(result) => {
            setDialog(null);
            setRevoked(result);
          }}
        />
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

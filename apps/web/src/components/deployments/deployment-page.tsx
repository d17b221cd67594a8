'use client';

import { apiFetch } from '@/client/api.ts';
import { shortSha } from '@/client/format.ts';
import { DEPLOYMENT_STATE_MEANING } from '@/client/states.ts';
import { keys } from '@/client/query-keys.ts';
import { useCan } from '@/client/session.ts';
import type { DeploymentDetailDto, DeploymentDto } from '@/client/types.ts';
import { CommitLink } from '@/components/common/commit-link.tsx';
import { ChartAndValues, RenderErrorAlert } from '@/components/renders/render-details.tsx';
import { StateBadge } from '@/components/ui/badges.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Facts, Loading, PageHeader, Section } from '@/components/ui/layout.tsx';
import { LoadFailure } from '@/components/ui/load-failure.tsx';
import { Notice, ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { RelativeTime } from '@/components/ui/relative-time.tsx';
import { LINK_CLASS } from '@/components/ui/table.tsx';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { DeploymentHistory } from './deployment-history.tsx';
import { ResourcesTable } from './resources-table.tsx';

function Revision({
  commit,
  revision,
  template,
}: {
  commit: string | null;
  revision: string | null;
  template: string | null;
}) {
  return (
    <span className="inline-flex flex-wrap items-baseline gap-2">
      <CommitLink commit={commit} template={template} />
      {revision ? (
        <span className="text-xs text-slate-600 dark:text-slate-400" title={revision}>
          revision <code className="font-mono">{revision.slice(0, 12)}</code>
        </span>
      ) : null}
    </span>
  );
}

export function DeploymentPage({ id }: { id: string }) {
  const canOperate = useCan('operate');
  const queryClient = useQueryClient();
  const deployment = useQuery({
    queryKey: keys.deployment(id),
    queryFn: () => apiFetch<DeploymentDetailDto>(`/deployments/${id}`),
  });
  const correct = useMutation({
    mutationFn: () =>
      apiFetch<DeploymentDto>(`/deployments/${id}/correct-drift`, { method: 'POST' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.deployment(id) }),
  });
  const confirmPrune = useMutation({
    mutationFn: () =>
      apiFetch<DeploymentDto>(`/deployments/${id}/confirm-prune`, { method: 'POST' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.deployment(id) }),
  });

  if (deployment.isPending) return <Loading what="Loading the deployment" />;
  if (!deployment.data)
    return (
      <LoadFailure
        error={deployment.error}
        what="Deployment"
        backHref="/"
        backLabel="Back to the overview"
        onRetry={() => void deployment.refetch()}
        isRetrying={deployment.isFetching}
      />
    );
  const data = deployment.data;
  const isInSync = data.appliedRevision !== null && data.appliedRevision === data.desiredRevision;
  const hasDrift = data.resources.some((resource) => resource.modified || resource.missing);
  // The engine's wording of a revision with no objects held for confirmation (stateMessage).
  const isPruneHeld = data.state === 'Pending' && data.message.includes('would delete all');
  const inEffect = data.renders.find((render) => render.commit === data.desiredCommit);
  const failedRenders = data.renders.filter((render) => render.error);

  return (
    <>
      <PageHeader
        title={
          <>
            <Link href={`/bundles/${data.bundleId}`} className={LINK_CLASS}>
              {data.bundleName}
            </Link>{' '}
            <span className="font-normal text-slate-600 dark:text-slate-400">on</span>{' '}
            <Link href={`/clusters/${data.clusterId}`} className={LINK_CLASS}>
              {data.clusterName}
            </Link>
          </>
        }
        description="One bundle on one cluster"
        actions={
          canOperate ? (
            <>
              {isPruneHeld ? (
                <Button
                  variant="danger"
                  onClick={() => confirmPrune.mutate()}
                  disabled={confirmPrune.isPending}
                >
                  {confirmPrune.isPending ? 'Confirming…' : 'Confirm prune'}
                </Button>
              ) : null}
              <Button
                variant={hasDrift ? 'primary' : 'secondary'}
                onClick={() => correct.mutate()}
                disabled={correct.isPending}
              >
                {correct.isPending ? 'Queuing…' : 'Correct drift now'}
              </Button>
            </>
          ) : null
        }
      />
      <div className="mb-4 space-y-2">
        <ProblemAlert error={correct.error} title="Could not queue the correction" />
        <ProblemAlert error={confirmPrune.error} title="Could not confirm the prune" />
        {failedRenders.map((render) => (
          <RenderErrorAlert
            key={render.commit}
            render={render}
            note={
              render.commit === data.desiredCommit
                ? 'nothing new is deployed to this cluster'
                : 'this cluster keeps its last good revision'
            }
          />
        ))}
        {data.pin ? (
          <div data-testid="deployment-pin">
            <Notice tone="warning">
              The bundle is pinned to <code className="font-mono">{shortSha(data.pin.commit)}</code>{' '}
              by {data.pin.by || 'an operator'}, <RelativeTime iso={data.pin.at} />
              {data.pin.isHoldingBack ? '; newer commits are held back' : ''}. Release the pin on
              the{' '}
              <Link href={`/bundles/${data.bundleId}`} className={LINK_CLASS}>
                bundle page
              </Link>
              .
            </Notice>
          </div>
        ) : null}
        {confirmPrune.isSuccess ? (
          <Notice tone="success">
            Prune confirmed: Flotilla deletes this bundle&apos;s objects from the cluster.
          </Notice>
        ) : null}
        {correct.isSuccess ? (
          <Notice tone="success">
            Correction queued: Flotilla re-applies what Git says, overwriting the hand edits.
          </Notice>
        ) : null}
      </div>
      <Section title="State" id="deployment-state">
        <Facts
          items={[
            [
              'State',
              <span
                key="state"
                className="inline-flex flex-wrap items-center gap-2"
                data-testid="deployment-state"
              >
                <StateBadge state={data.state} />
                <span className="text-slate-600 dark:text-slate-400">
                  {DEPLOYMENT_STATE_MEANING[data.state]}, since{' '}
                  <RelativeTime iso={data.stateChangedAt} />
                </span>
              </span>,
            ],
            [
              'Message',
              data.message || <span className="text-slate-600 dark:text-slate-400">none</span>,
            ],
            ...(data.lastError
              ? ([
                  [
                    'Last error',
                    <span
                      key="error"
                      className="whitespace-pre-wrap text-red-800 dark:text-red-300"
                    >
                      {data.lastError}
                    </span>,
                  ],
                ] as [string, ReactNode][])
              : []),
            [
              'Desired (Git)',
              <Revision
                key="desired"
                commit={data.desiredCommit}
                revision={data.desiredRevision}
                template={data.commitUrlTemplate}
              />,
            ],
            [
              'Applied',
              <span key="applied" className="inline-flex flex-wrap items-center gap-2">
                <Revision
                  commit={data.appliedCommit}
                  revision={data.appliedRevision}
                  template={data.commitUrlTemplate}
                />
                <span className="text-xs text-slate-700 dark:text-slate-300">
                  {isInSync
                    ? '✓ same as desired'
                    : data.appliedRevision
                      ? '↻ differs from desired'
                      : ''}
                </span>
              </span>,
            ],
            ['Customization', data.customization || 'defaults'],
            ['Last applied', <RelativeTime key="applied-at" iso={data.lastAppliedAt} />],
            ['Last checked', <RelativeTime key="checked-at" iso={data.lastCheckedAt} />],
          ]}
        />
      </Section>
      {inEffect?.chart ? (
        <Section title="Helm chart and values" id="deployment-helm">
          <ChartAndValues render={inEffect} />
        </Section>
      ) : null}
      <Section title={`Resources (${data.resources.length})`} id="deployment-resources">
        <ResourcesTable resources={data.resources} />
      </Section>
      <Section title="History" id="deployment-history">
        <DeploymentHistory
          deploymentId={id}
          bundleId={data.bundleId}
          appliedCommit={data.appliedCommit}
          template={data.commitUrlTemplate}
          canOperate={canOperate}
        />
      </Section>
    </>
  );
}

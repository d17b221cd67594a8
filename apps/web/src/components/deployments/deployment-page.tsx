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
import { DeploymentLive } from './deployment-live.tsx';
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

/** A customization by name; "" is the bundle's own options, no targetCustomization applied. */
function customizationName(name: string): string {
  return name ? `"${name}"` : 'defaults (no target customization)';
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
  const retry = useMutation({
    mutationFn: () =>
      apiFetch<{ deploymentId: string }>(`/deployments/${id}/retry`, { method: 'POST' }),
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
  const failedApply = data.state === 'ErrApplied' ? data.failedApply : null;
  // Correcting drift re-applies what was applied: nothing to correct before a first apply, and
  // after a failed one Retry is the action (the same revision again), not a correction.
  const canCorrect = !data.isAgentCluster && data.appliedRevision !== null && !failedApply;
  const canRetry = !data.isAgentCluster && failedApply !== null;

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
              {canRetry ? (
                <Button
                  variant="primary"
                  onClick={() => retry.mutate()}
                  disabled={retry.isPending || retry.isSuccess}
                >
                  {retry.isPending ? 'Queuing…' : 'Retry'}
                </Button>
              ) : null}
              {canCorrect ? (
                <Button
                  variant={hasDrift ? 'primary' : 'secondary'}
                  onClick={() => correct.mutate()}
                  disabled={correct.isPending}
                >
                  {correct.isPending ? 'Queuing…' : 'Correct drift now'}
                </Button>
              ) : null}
            </>
          ) : null
        }
      />
      <div className="mb-4 space-y-2">
        <ProblemAlert error={correct.error} title="Could not queue the correction" />
        <ProblemAlert error={retry.error} title="Could not queue the retry" />
        {failedApply ? (
          <div
            data-testid="apply-failed"
            className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950/50 dark:text-red-100"
          >
            <p className="font-semibold">
              Apply failed: revision{' '}
              <code className="font-mono" title={failedApply.revision}>
                {failedApply.revision.slice(0, 12)}
              </code>
              {failedApply.commit ? (
                <>
                  {' '}
                  (commit <code className="font-mono">{shortSha(failedApply.commit)}</code>)
                </>
              ) : null}{' '}
              with customization {customizationName(failedApply.customization)}
              {failedApply.at ? (
                <>
                  , <RelativeTime iso={failedApply.at} />
                </>
              ) : null}
            </p>
            <p className="mt-1 whitespace-pre-wrap">{failedApply.error}</p>
            <p className="mt-1">
              {data.isAgentCluster
                ? 'The agent tries again on its own.'
                : canOperate
                  ? 'Fix the cause (in Git or on the cluster), then press Retry.'
                  : 'An operator can retry once the cause is fixed.'}
            </p>
          </div>
        ) : null}
        {retry.isSuccess ? (
          <Notice tone="success">Retry queued: Flotilla applies the same revision again.</Notice>
        ) : null}
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
            // The failed-apply notice above already says it.
            ...(data.lastError && data.lastError !== failedApply?.error
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
            ...(failedApply
              ? ([
                  [
                    'Attempted (failed)',
                    <Revision
                      key="attempted"
                      commit={failedApply.commit}
                      revision={failedApply.revision}
                      template={data.commitUrlTemplate}
                    />,
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
                {data.appliedRevision ? (
                  <Revision
                    commit={data.appliedCommit}
                    revision={data.appliedRevision}
                    template={data.commitUrlTemplate}
                  />
                ) : (
                  <span className="text-slate-600 dark:text-slate-400">
                    {failedApply ? 'nothing yet: the first apply failed' : 'nothing yet'}
                  </span>
                )}
                <span className="text-xs text-slate-700 dark:text-slate-300">
                  {isInSync
                    ? '✓ same as desired'
                    : data.appliedRevision
                      ? '↻ differs from desired'
                      : ''}
                </span>
              </span>,
            ],
            [
              failedApply ? 'Customization (failed)' : 'Customization',
              customizationName(failedApply?.customization ?? data.customization),
            ],
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
        <ResourcesTable
          resources={data.resources}
          emptyMessage={
            failedApply
              ? 'No resources recorded: the apply failed before any object was applied (see the error above).'
              : data.state === 'ErrApplied'
                ? 'No resources: nothing could be applied (see the error above).'
                : data.appliedRevision
                  ? 'No resources: the applied revision has no objects.'
                  : 'No resources recorded yet: the first apply has not finished.'
          }
        />
      </Section>
      <Section title="Desired and live" id="deployment-live">
        <DeploymentLive deploymentId={id} />
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

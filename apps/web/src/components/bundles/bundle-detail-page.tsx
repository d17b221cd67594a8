'use client';

import { apiFetch, type Page } from '@/client/api.ts';
import { shortSha } from '@/client/format.ts';
import { keys } from '@/client/query-keys.ts';
import { useCan } from '@/client/session.ts';
import type { BundleDetailDto, DeploymentDto } from '@/client/types.ts';
import { DeploymentsTable } from '@/components/common/deployments-table.tsx';
import { ChartAndValues, RenderErrorAlert } from '@/components/renders/render-details.tsx';
import { customizationLabel } from '@/components/renders/chart-source.ts';
import { StateSummary } from '@/components/overview/state-summary.tsx';
import { StateBadge, Tag } from '@/components/ui/badges.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Facts, Loading, PageHeader, Section } from '@/components/ui/layout.tsx';
import { LoadFailure } from '@/components/ui/load-failure.tsx';
import { Notice, ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { RelativeTime } from '@/components/ui/relative-time.tsx';
import { LINK_CLASS } from '@/components/ui/table.tsx';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { BundleTargets } from './bundle-targets.tsx';
import { RolloutPanel } from './rollout-panel.tsx';

export function BundleDetailPage({ id }: { id: string }) {
  const canOperate = useCan('operate');
  const queryClient = useQueryClient();
  const bundle = useQuery({
    queryKey: keys.bundle(id),
    queryFn: () => apiFetch<BundleDetailDto>(`/bundles/${id}`),
  });
  const deployments = useQuery({
    queryKey: keys.bundleDeployments(id),
    queryFn: () => apiFetch<Page<DeploymentDto>>(`/bundles/${id}/deployments`),
  });
  const pause = useMutation({
    mutationFn: (isPaused: boolean) =>
      apiFetch<BundleDetailDto>(`/bundles/${id}/pause`, { method: 'PUT', json: { isPaused } }),
    onSuccess: (updated) => {
      queryClient.setQueryData(keys.bundle(id), updated);
      void queryClient.invalidateQueries({ queryKey: ['matrix'] });
    },
  });
  const release = useMutation({
    mutationFn: () => apiFetch<BundleDetailDto>(`/bundles/${id}/pin`, { method: 'DELETE' }),
    onSuccess: (updated) => {
      queryClient.setQueryData(keys.bundle(id), updated);
      void queryClient.invalidateQueries({ queryKey: keys.bundleDeployments(id) });
    },
  });

  if (bundle.isPending) return <Loading what="Loading the bundle" />;
  if (!bundle.data)
    return (
      <LoadFailure
        error={bundle.error}
        what="Bundle"
        backHref="/bundles"
        backLabel="Back to the bundles"
        onRetry={() => void bundle.refetch()}
        isRetrying={bundle.isFetching}
      />
    );
  const data = bundle.data;
  const { options } = data;
  const failedRenders = data.renders.filter((render) => render.error);
  const chartRenders = data.renders.filter(
    (render) => render.chart && render.commit === data.commit,
  );

  return (
    <>
      <PageHeader
        title={data.name}
        description={
          <span className="inline-flex flex-wrap items-center gap-2">
            {data.state ? <StateBadge state={data.state} /> : <span>not deployed anywhere</span>}
            {data.isPaused ? (
              <Tag tone="warning">‖ paused{data.isPausedInGit ? ' in Git' : ''}</Tag>
            ) : null}
            {data.pin ? <Tag tone="warning">pinned to {shortSha(data.pin.commit)}</Tag> : null}
          </span>
        }
        actions={
          canOperate ? (
            <Button
              onClick={() => pause.mutate(!data.isPaused)}
              disabled={pause.isPending || (data.isPaused && data.isPausedInGit)}
            >
              {data.isPaused ? '► Resume rollout' : '‖ Pause rollout'}
            </Button>
          ) : null
        }
      />
      <div className="mb-4 space-y-2">
        <ProblemAlert error={pause.error} />
        <ProblemAlert error={release.error} title="Could not release the pin" />
        {data.pin ? (
          <div data-testid="bundle-pin">
            <Notice tone="warning">
              <span className="inline-flex flex-wrap items-center gap-2">
                <span>
                  Pinned to <code className="font-mono">{shortSha(data.pin.commit)}</code> by{' '}
                  {data.pin.by || 'an operator'}, <RelativeTime iso={data.pin.at} />
                  {data.pin.isHoldingBack
                    ? `; newer commits held back (latest ${shortSha(data.commit)})`
                    : '; newer commits will be held back'}
                  .
                </span>
                {canOperate ? (
                  <Button onClick={() => release.mutate()} disabled={release.isPending}>
                    {release.isPending ? 'Releasing…' : 'Release'}
                  </Button>
                ) : null}
              </span>
            </Notice>
          </div>
        ) : null}
        {failedRenders.map((render) => (
          <RenderErrorAlert
            key={`${render.commit}-${render.customization}`}
            render={render}
            note={
              render.commit === data.commit
                ? 'clusters of this customization keep their last good revision'
                : `${shortSha(data.commit)} keeps deploying`
            }
          />
        ))}
        {data.renderError && failedRenders.length === 0 ? (
          <ProblemAlert
            error={new Error(data.renderError)}
            title={`Commit ${shortSha(data.failedCommit)} failed to render; ${shortSha(data.commit)} keeps deploying`}
          />
        ) : null}
        {data.dependencyError ? (
          <ProblemAlert
            error={new Error(data.dependencyError)}
            title="Its dependsOn cannot be met: no cluster gets a new revision of this bundle"
          />
        ) : null}
      </div>
      <Section title="Bundle" id="bundle-facts">
        <Facts
          items={[
            [
              'Repository',
              <Link key="repo" href={`/gitrepos/${data.gitRepo.id}`} className={LINK_CLASS}>
                {data.gitRepo.name}
              </Link>,
            ],
            [
              'Path',
              <code key="path" className="font-mono">
                {data.path || '/'}
              </code>,
            ],
            [
              'Commit',
              <code key="commit" className="font-mono" title={data.commit ?? ''}>
                {shortSha(data.commit)}
              </code>,
            ],
            [
              'Namespace',
              options.namespace ??
                (options.defaultNamespace
                  ? `${options.defaultNamespace} (default)`
                  : 'as in the manifests'),
            ],
            ['Drift', options.correctDrift ? 'corrected automatically' : 'reported, not corrected'],
            [
              'Customizations',
              options.customizations.length > 0 ? options.customizations.join(', ') : 'none',
            ],
            ...(options.keepResources
              ? ([['Removal', 'objects are kept when the bundle leaves a cluster']] as [
                  string,
                  string,
                ][])
              : []),
          ]}
        />
      </Section>
      {chartRenders.length > 0 ? (
        <Section title="Helm chart and values" id="bundle-helm">
          <div className="space-y-6">
            {chartRenders.map((render) => (
              <ChartAndValues
                key={render.customization}
                render={render}
                heading={`Customization: ${customizationLabel(render.customization)}`}
              />
            ))}
          </div>
        </Section>
      ) : null}
      {data.rollout && (data.rollout.partitions.length > 1 || data.rollout.halted) ? (
        <Section title="Rollout" id="bundle-rollout">
          <RolloutPanel
            bundleId={id}
            rollout={data.rollout}
            canOperate={canOperate}
            deployments={deployments.data?.items ?? []}
          />
        </Section>
      ) : null}
      <Section title={`Deployments (${data.deployments})`} id="bundle-deployments">
        <div className="mb-3">
          <StateSummary summary={data.summary} />
        </div>
        {deployments.isPending ? <Loading what="Loading deployments" /> : null}
        {deployments.error ? <ProblemAlert error={deployments.error} /> : null}
        {deployments.data && deployments.data.items.length > 0 ? (
          <DeploymentsTable deployments={deployments.data.items} by="cluster" />
        ) : null}
        {deployments.data && deployments.data.items.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">No cluster is targeted yet.</p>
        ) : null}
      </Section>
      <Section title="Targets" id="bundle-targets">
        <BundleTargets bundleId={id} gitRepoId={data.gitRepo.id} canOperate={canOperate} />
      </Section>
    </>
  );
}
